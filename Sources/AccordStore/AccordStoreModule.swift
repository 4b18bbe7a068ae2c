/// Storage protocols every backend implements (SQLite, PostgreSQL).
public enum AccordStoreModule {}
