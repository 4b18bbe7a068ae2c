import AccordStore

/// The embedded default store, on SQLite through GRDB.
public enum AccordSQLiteModule {}
