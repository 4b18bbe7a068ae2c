import AccordStore

/// The production store, on PostgreSQL through PostgresNIO.
public enum AccordPostgresModule {}
