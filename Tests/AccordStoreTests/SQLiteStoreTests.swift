import AccordCore
@testable import AccordSQLite
import AccordStore
import Foundation
import GRDB
import Testing

/// The conformance suite on SQLite: in memory, and on a real file in WAL mode.
@Suite("SQLite store")
struct SQLiteStoreTests {
    static let migrations = ["v1-node-store", "v2-objects", "v3-outbox-bytes", "v4-signed-roots", "v5-objects-labels", "v6-outbox-withdrawal", "v7-epoch-announcements"]

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
    @Test("the v6 rebuild of the outbox keeps every row, its seq and the sequence: new rows never reuse a seq")
    func outboxWithdrawalMigration() async throws {
        let store = try SQLiteStore.inMemory()
        try SQLiteStore.migrator.migrate(store.writer, upTo: "v5-objects-labels")
        // Rows as the v5 schema held them (this build's writer knows the v6 columns only).
        try await store.writer.write { db in
            for (seq, id, state) in [(1, "e1", "pending"), (2, "e2", "delivered"), (3, "e3", "pending")] {
                let delivered = state == "delivered"
                try db.execute(sql: """
                    INSERT INTO outbox (seq, envelope_id, sender, recipient, agreement_id, created_us, attempts, next_attempt_us, state,
                                        delivered_us, receipt)
                    VALUES (?, ?, 'KR', 'JP', 'kr-jp-gsomia-2016', \(StoredValue.microseconds(instant(0))), ?, ?, ?, ?, ?)
                    """, arguments: [seq, id, id == "e3" ? 1 : 0, StoredValue.microseconds(instant(id == "e3" ? 9 : 0)), state,
                                     delivered ? StoredValue.microseconds(instant(5)) : nil, delivered ? bytes("r2") : nil])
                try db.execute(sql: "INSERT INTO outbox_bytes (seq, bytes) VALUES (?, ?)", arguments: [seq, bytes("sealed \(id)")])
            }
            // The sequence ran ahead of the rows (a row was inserted and removed): it must not go back.
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = 40 WHERE name = 'outbox'")
        }
        let before = try await store.writer.read { db in try Row.fetchAll(db, sql: "SELECT seq, envelope_id FROM outbox ORDER BY seq") }
        try await store.migrate()
        #expect(try await store.appliedMigrations() == Self.migrations)
        let after = try await store.writer.read { db in try Row.fetchAll(db, sql: "SELECT seq, envelope_id FROM outbox ORDER BY seq") }
        #expect(after == before)
        #expect(try await store.outboxEnvelope(id: "e2")?.state == .delivered(at: instant(5), receipt: bytes("r2")))
        let retried = try #require(try await store.outboxEnvelope(id: "e3"))
        #expect(retried.attempts == 1 && retried.nextAttempt == instant(9) && retried.lastError == nil && !retried.refused)
        try await store.commit(StepWrite(outbox: [outbox("e4")]), audit: audit(["released e4"]))
        let seq = try await store.writer.read { db in try Int64.fetchOne(db, sql: "SELECT seq FROM outbox WHERE envelope_id = 'e4'") }
        #expect(seq == 41)
        #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 5).map(\.id) == ["e1", "e3", "e4"])
        #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 5).map(\.bytes) == [bytes("sealed e1"), bytes("sealed e3"), bytes("sealed e4")])
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

    @Test("a store a newer build migrated is refused with a migration error, and nothing is written to it")
    func newerStore() async throws {
        let store = try SQLiteStore.inMemory()
        try SQLiteStore.migrator.migrate(store.writer, upTo: "v6-outbox-withdrawal")
        try await store.writer.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        do {
            try await store.migrate()
            Issue.record("a store with an unknown migration was accepted")
        } catch let error as StoreError {
            #expect(error.code == .migration && error.message.contains("v99-from-the-future"), "\(error)")
        }
        // v7 was not applied.
        #expect(try await store.writer.read { db in try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations") }
                == Set(Self.migrations.dropLast() + ["v99-from-the-future"]))
        #expect(try await store.writer.read { db in try db.tableExists("epoch_announcements") } == false)
    }

    @Test("a file store's log is checkpointed beside the commits: SQLite's own threshold is only a safety net")
    func backgroundCheckpoints() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteStore(path: directory.appendingPathComponent("node.sqlite").path)
            try await store.migrate()
            let (threshold, limit) = try await store.writer.writeWithoutTransaction { db in
                (try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint"), try Int.fetchOne(db, sql: "PRAGMA journal_size_limit"))
            }
            #expect(threshold == WALCheckpointer.safetyPages && limit == 64 << 20)
            // Far below that threshold: only the checkpointer moves these pages into the database file.
            for index in 0..<20 {
                try await store.commit(StepWrite(outbox: [outbox("e\(index)")]), audit: audit(["released e\(index)"]))
            }
            let checkpointer = try #require(store.checkpointer)
            var latest = checkpointer.latest
            for _ in 0..<100 where !(latest.map { $0.walFrames > 0 && $0.checkpointed == $0.walFrames } ?? false) {
                try await Task.sleep(for: .milliseconds(50))
                latest = checkpointer.latest
            }
            let outcome = try #require(latest)
            #expect(outcome.walFrames > 0 && outcome.checkpointed == outcome.walFrames)
            #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 50).count == 20)
        }
        #expect(try SQLiteStore.inMemory().checkpointer == nil)
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
