import AccordCore
@testable import AccordSQLite
import AccordStore
import Foundation
import GRDB
import Testing

/// The conformance suite on SQLite: in memory, and on a real file in WAL mode.
@Suite("SQLite store")
struct SQLiteStoreTests {
    static let migrations = ["v1-node-store", "v2-objects", "v3-outbox-bytes", "v4-signed-roots", "v5-objects-labels"]

    @Test("a store written before v3 keeps its outbox: the envelopes' bytes move beside their rows, pending and delivered alike")
    func outboxBytesMigration() async throws {
        let store = try SQLiteStore.inMemory()
        try SQLiteStore.migrator.migrate(store.writer, upTo: "v2-objects")
        try await store.writer.write { db in
            try db.execute(sql: """
                INSERT INTO outbox (envelope_id, sender, recipient, agreement_id, created_us, bytes, attempts, next_attempt_us, state)
                VALUES ('e1', 'KR', 'JP', 'a', 0, X'0102', 0, 0, 'pending');
                INSERT INTO outbox (envelope_id, sender, recipient, agreement_id, created_us, bytes, attempts, next_attempt_us, state,
                                    delivered_us, receipt)
                VALUES ('e2', 'KR', 'JP', 'a', 0, X'0304', 1, 0, 'delivered', 5, X'AA');
                """)
        }
        try await store.migrate()
        #expect(try await store.appliedMigrations() == Self.migrations)
        #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 5).map(\.bytes) == [Data([1, 2])])
        let delivered = try #require(try await store.outboxEnvelope(id: "e2"))
        #expect(delivered.bytes == Data([3, 4]) && delivered.state == .delivered(at: StoredValue.date(microseconds: 5), receipt: Data([0xAA])))
        // An outbox row whose bytes went missing is reported as a corrupt store, not skipped.
        try await store.writer.write { db in try db.execute(sql: "DELETE FROM outbox_bytes WHERE seq = (SELECT seq FROM outbox WHERE envelope_id = 'e2')") }
        do {
            _ = try await store.outboxEnvelope(id: "e2")
            Issue.record("a row without bytes was read")
        } catch let error as StoreError { #expect(error.code == .corrupt) }
        // New rows after the migration go on getting increasing sequence numbers, in order.
        try await store.commit(StepWrite(outbox: [outbox("e3")]), audit: audit(["released e3"]))
        #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 5).map(\.id) == ["e1", "e3"])
    }
    @Test("conformance, in memory", arguments: StoreConformance.Check.allCases)
    func inMemory(_ check: StoreConformance.Check) async throws {
        let store = try SQLiteStore.inMemory()
        try await store.migrate()
        try await StoreConformance(store: store, tamper: tamper(store), appliedMigrations: store.appliedMigrations,
                                   expectedMigrations: SQLiteStoreTests.migrations).run(check)
    }

    @Test("conformance, on a file (WAL, synchronous=FULL)", arguments: StoreConformance.Check.allCases)
    func onFile(_ check: StoreConformance.Check) async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteStore(path: directory.appendingPathComponent("node.sqlite").path)
            try await store.migrate()
            try await StoreConformance(store: store, tamper: tamper(store), appliedMigrations: store.appliedMigrations,
                                   expectedMigrations: SQLiteStoreTests.migrations).run(check)
        }
    }

    @Test("a file store is durable: WAL, synchronous=FULL, and its data survives reopening")
    func durableFile() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("node.sqlite").path
            do {
                let store = try SQLiteStore(path: path)
                try await store.migrate()
                // The writer's connection is the one whose commits must reach the disk (GRDB turns WAL on with
                // synchronous=NORMAL after the store's own set-up: a reader showing FULL proved nothing).
                let (journal, synchronous) = try await store.writer.writeWithoutTransaction { db in
                    (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
                }
                #expect(journal == "wal")
                #expect(synchronous == 2)  // FULL
                #expect(try await store.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
                try await store.commit(StepWrite(outbox: [outbox("e1")]), audit: audit(["released e1"]))
            }
            let reopened = try SQLiteStore(path: path)
            try await reopened.migrate()
            #expect(try await reopened.pendingOutbox(sender: KR, recipient: JP, limit: 5).map(\.id) == ["e1"])
            #expect(try await reopened.auditSize() == 1)
            #expect(try await reopened.appliedMigrations() == Self.migrations)
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
