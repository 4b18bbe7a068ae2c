import AccordCore
import AccordSQLite
import AccordStore
import Foundation
import GRDB
import Testing

/// The conformance suite on SQLite: in memory, and on a real file in WAL mode.
@Suite("SQLite store")
struct SQLiteStoreTests {
    @Test("conformance, in memory", arguments: StoreConformance.Check.allCases)
    func inMemory(_ check: StoreConformance.Check) async throws {
        let store = try SQLiteStore.inMemory()
        try await store.migrate()
        try await StoreConformance(store: store, tamper: tamper(store), appliedMigrations: store.appliedMigrations).run(check)
    }

    @Test("conformance, on a file (WAL, synchronous=FULL)", arguments: StoreConformance.Check.allCases)
    func onFile(_ check: StoreConformance.Check) async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteStore(path: directory.appendingPathComponent("node.sqlite").path)
            try await store.migrate()
            try await StoreConformance(store: store, tamper: tamper(store), appliedMigrations: store.appliedMigrations).run(check)
        }
    }

    @Test("a file store is durable: WAL, synchronous=FULL, and its data survives reopening")
    func durableFile() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("node.sqlite").path
            do {
                let store = try SQLiteStore(path: path)
                try await store.migrate()
                let (journal, synchronous) = try await store.writer.read { db in
                    (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
                }
                #expect(journal == "wal")
                #expect(synchronous == 2)  // FULL
                try await store.commit(StepWrite(outbox: [outbox("e1")]), audit: audit(["released e1"]))
            }
            let reopened = try SQLiteStore(path: path)
            try await reopened.migrate()
            #expect(try await reopened.pendingOutbox(sender: KR, recipient: JP, limit: 5).map(\.id) == ["e1"])
            #expect(try await reopened.auditSize() == 1)
            #expect(try await reopened.appliedMigrations() == ["v1-node-store", "v2-objects"])
        }
    }

    @Test("a path that cannot be opened is a typed error")
    func unopenable() throws {
        #expect(throws: StoreError(.unavailable, "")) { try SQLiteStore(path: "/nonexistent-accord-dir/x/node.sqlite") }
    }

    private func tamper(_ store: SQLiteStore) -> @Sendable (String) async throws -> Void {
        { sql in try await store.writer.write { db in try db.execute(sql: sql) } }
    }
}

/// Runs `body` with a fresh temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}
