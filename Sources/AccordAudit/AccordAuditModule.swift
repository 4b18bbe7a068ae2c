/// The tamper-evident audit log in the shape of RFC 9162.
public enum AccordAuditModule {}
