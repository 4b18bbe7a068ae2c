import AccordCore
import AccordStore
import Foundation
import GRDB

/// The embedded default ``NodeStore``: SQLite through GRDB.
///
/// On a file it uses a `DatabasePool` in WAL mode with `synchronous=FULL`, so a committed step
/// survives a power cut; tests may hand it an in-memory `DatabaseQueue`. Writes are serialised by
/// GRDB's single writer, which is also what keeps audit indexes sequential.
public final class SQLiteStore: NodeStore {
    /// The database; any writer works (queue or pool).
    public let writer: any DatabaseWriter
    /// Checkpoints a file store's log off the commit path (nil in memory).
    let checkpointer: WALCheckpointer?

    /// Wraps an open database. Call ``migrate()`` before use.
    public init(writer: any DatabaseWriter) {
        self.writer = writer
        self.checkpointer = nil
    }

    private init(writer: any DatabaseWriter, checkpointer: WALCheckpointer?) {
        self.writer = writer
        self.checkpointer = checkpointer
    }

    /// Opens (or creates) the store file at `path`: WAL, `synchronous=FULL`, foreign keys on; each
    /// connection keeps up to 64 MiB of pages in its cache and reads the file through a 1 GiB memory
    /// map (a profile showed a tenth of a node's time in `pread` copies with SQLite's 2 MiB default).
    /// The log is checkpointed beside the commits by a ``WALCheckpointer`` rather than inside them.
    /// - Throws: ``StoreError/Code/unavailable`` if the file cannot be opened.
    public convenience init(path: String) throws(StoreError) {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA cache_size = -65536")
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
        }
        configuration.busyMode = .timeout(10)
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB turns WAL on with `synchronous = NORMAL` on the writer after `prepareDatabase` has run, and
            // NORMAL in WAL mode syncs only at checkpoints: a committed step could be lost with the power.
            // The writer is one long-lived connection, so setting FULL once holds for every commit.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            // Checkpoints run beside the commits, not inside them (see WALCheckpointer); SQLite's own is the safety net.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(WALCheckpointer.safetyPages)")
                // After the log starts over, its file is cut back to 64 MiB rather than keeping its largest size.
                try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            }
            self.init(writer: pool, checkpointer: try WALCheckpointer(path: path, interval: WALCheckpointer.interval))
        } catch let error as DatabaseError {
            throw StoreError(.unavailable, "cannot open SQLite store: \(error.message ?? "\(error.resultCode)")")
        } catch {
            throw StoreError(.unavailable, "cannot open SQLite store: \(type(of: error))")
        }
    }

    /// An empty store in memory, for tests and tools.
    public static func inMemory() throws(StoreError) -> SQLiteStore {
        do {
            return SQLiteStore(writer: try DatabaseQueue())
        } catch {
            throw StoreError(.unavailable, "cannot open an in-memory SQLite database")
        }
    }

    /// - Throws: ``StoreError/Code/migration`` if the store holds a migration this build does not know (a newer build
    ///   migrated it: an older one must not write to it), as PostgreSQL's `migrate()` does.
    public func migrate() async throws {
        let unknown: [String]
        do {
            unknown = try await writer.read { db in
                try Self.migrator.appliedIdentifiers(db).subtracting(Self.migrator.migrations).sorted()
            }
        } catch {
            throw Self.storeError(error, "reading the applied migrations", code: .migration)
        }
        guard unknown.isEmpty else {
            throw StoreError(.migration, "the store has migration \(unknown.joined(separator: ", ")), newer than this build knows: run the build that wrote it")
        }
        do {
            try Self.migrator.migrate(writer)
        } catch {
            throw Self.storeError(error, "migrating the schema", code: .migration)
        }
    }

    @discardableResult
    public func commit<Result: Sendable>(
        _ step: StepWrite,
        audit: @Sendable (AuditContext) throws -> (AuditAppend, Result)
    ) async throws -> StepOutcome<Result> {
        try step.validate()
        // The closure runs inside GRDB's write transaction; GRDB rolls back if it throws.
        return try await run("committing a step") { db in
            try SQLiteStepWriter(db: db).write(step, audit: audit)
        }
    }

    /// Runs `body` in a write transaction, mapping database errors to ``StoreError``.
    func run<T: Sendable>(_ what: String, _ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(body)
        } catch {
            throw Self.storeError(error, what)
        }
    }

    /// Runs `body` as a read of committed state.
    func read<T: Sendable>(_ what: String, _ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(body)
        } catch {
            throw Self.storeError(error, what)
        }
    }

    /// Maps GRDB's errors to ``StoreError`` without statement arguments (they may hold secrets).
    static func storeError(_ error: any Error, _ what: String, code: StoreError.Code = .unavailable) -> any Error {
        switch error {
        case let error as StoreError:
            return error
        case let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT:
            return StoreError(.conflict, "\(what): \(error.message ?? "constraint violated"); nothing was written")
        case let error as DatabaseError:
            return StoreError(code, "\(what): SQLite \(error.resultCode): \(error.message ?? "no message")")
        case is RowDecodingError:
            return StoreError(.corrupt, "\(what): a stored value has the wrong type")
        default:
            // Errors thrown by the caller's audit closure pass through unchanged.
            return error
        }
    }
}
