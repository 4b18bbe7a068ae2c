/// Parties, classification schemes, labels, agreements, notes, lifecycle and the release decision.
public enum AccordCoreModule {}
