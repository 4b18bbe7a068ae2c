import AccordCore
import AccordStore
import Foundation
import Logging
import PostgresNIO

/// The production ``NodeStore``: PostgreSQL through PostgresNIO.
///
/// The store does not own the client's lifetime: run `client.run()` in a task group next to the
/// code that uses the store (or use ``withStore(url:logger:_:)``). Every step takes the row lock
/// of `audit_head` first, so steps are serialised even across replicas sharing the database:
/// audit indexes stay sequential and the outbox order is the commit order.
public final class PostgresStore: NodeStore {
    /// The connection pool.
    public let client: PostgresClient
    let logger: Logger

    /// Wraps a client; call ``migrate()`` before use.
    public init(client: PostgresClient, logger: Logger = PostgresStore.silentLogger) {
        self.client = client
        self.logger = logger
    }

    /// A logger that discards everything (the default, as PostgresNIO's is).
    public static let silentLogger = Logger(label: "accord.store.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Opens a client for `url`, runs it for the duration of `body`, and shuts it down after.
    @discardableResult
    public static func withStore<T: Sendable>(
        url: String, logger: Logger = PostgresStore.silentLogger, _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: try PostgresURL.configuration(url), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(PostgresStore(client: client, logger: logger))
        }
    }

    @discardableResult
    public func commit<Result: Sendable>(
        _ step: StepWrite,
        audit: @Sendable (AuditContext) throws -> (AuditAppend, Result)
    ) async throws -> StepOutcome<Result> {
        try step.validate()
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await PostgresStepWriter(connection: connection, logger: logger).write(step, audit: audit)
            }
        } catch {
            throw Self.storeError(error, "committing a step")
        }
    }

    /// Runs `body` with a pooled connection, mapping database errors to ``StoreError``.
    func read<T: Sendable>(_ what: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw Self.storeError(error, what)
        }
    }

    /// Maps PostgresNIO's errors to ``StoreError``; statement binds are never included.
    static func storeError(_ error: any Error, _ what: String, code: StoreError.Code = .unavailable) -> any Error {
        switch error {
        case let error as StoreError:
            return error
        case let error as PostgresTransactionError:
            // The first failure is the one that matters; a failed rollback after it changes nothing.
            if let inner = error.closureError ?? error.beginError ?? error.commitError {
                return storeError(inner, what, code: code)
            }
            return StoreError(code, "\(what): the transaction failed")
        case let error as PSQLError:
            let state = error.serverInfo?[.sqlState] ?? ""
            if state.hasPrefix("23") {
                let constraint = error.serverInfo?[.constraintName] ?? "a constraint"
                return StoreError(.conflict, "\(what): the step violates \(constraint) (SQLSTATE \(state)); nothing was written")
            }
            if let message = error.serverInfo?[.message] {
                return StoreError(code, "\(what): PostgreSQL \(state): \(message)")
            }
            return StoreError(code, "\(what): \(error.code)")
        case is PostgresDecodingError:
            return StoreError(.corrupt, "\(what): a stored value has the wrong type")
        default:
            // Errors thrown by the caller's audit closure pass through unchanged.
            return error
        }
    }
}

/// Reads a `postgres://user[:password]@host[:port]/database` URL.
public enum PostgresURL {
    /// The client configuration for `url` (TLS off for loopback hosts, preferred otherwise).
    /// - Throws: ``StoreError/Code/invalid`` if the URL is not of that form.
    public static func configuration(_ url: String) throws(StoreError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty
        else {
            throw StoreError(.invalid, "the PostgreSQL URL must look like postgres://user@host:port/database")
        }
        let database = String(components.path.drop { $0 == "/" })
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(host)
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database.isEmpty ? nil : database, tls: loopback ? .disable : .prefer(.makeClientConfiguration()))
        configuration.options.maximumConnections = 8
        return configuration
    }
}

extension PostgresStore {
    /// Drops (if it exists) and creates database `name` on the server of `serverURL`, for benchmarks and
    /// tests that need a fresh store; returns the URL of the new database. `name` is letters, digits and `_` only.
    public static func recreateDatabase(_ name: String, serverURL: String) async throws -> String {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }),
              var components = URLComponents(string: serverURL) else {
            throw StoreError(.invalid, "database name '\(name)' must be lower-case letters, digits and '_'")
        }
        // Identifiers cannot be bound; `name` was checked above.
        try await withStore(url: serverURL) { admin in
            try await admin.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
            try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        components.path = "/" + name
        guard let url = components.string else { throw StoreError(.invalid, "cannot form the URL of database \(name)") }
        return url
    }

    /// Drops database `name` on the server of `serverURL` (see ``recreateDatabase(_:serverURL:)``).
    public static func dropDatabase(_ name: String, serverURL: String) async throws {
        guard name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw StoreError(.invalid, "database name '\(name)' must be lower-case letters, digits and '_'")
        }
        try await withStore(url: serverURL) { admin in
            try await admin.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
    }
}
