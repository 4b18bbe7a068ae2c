/// STIX 2.1 objects, marking definitions for labels, the missile-event extension and TAXII 2.1 wire types.
public enum AccordSTIXModule {}
