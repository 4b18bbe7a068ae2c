import AccordPostgres
import AccordStore
import Foundation
import PostgresNIO
import Testing

/// Where the throw-away PostgreSQL server is, as `scripts/postgres-test-server start` prints it
/// and `scripts/test` exports it.
let postgresTestURL = ProcessInfo.processInfo.environment["ACCORD_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

/// The conformance suite on PostgreSQL, each check in a database of its own.
// Skipped, with this reason shown, when no server was started: `scripts/test` starts one with
// `scripts/postgres-test-server` and says so when it cannot.
@Suite(
    "PostgreSQL store",
    .enabled(if: postgresTestURL != nil, "ACCORD_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against (scripts/test starts one)")
)
struct PostgresStoreTests {
    @Test("conformance", arguments: StoreConformance.Check.allCases)
    func conformance(_ check: StoreConformance.Check) async throws {
        try await withScratchDatabase { store in
            try await StoreConformance(
                store: store, tamper: { sql in try await store.client.query(PostgresQuery(unsafeSQL: sql)) },
                appliedMigrations: store.appliedMigrations
            ).run(check)
        }
    }

    @Test("a migrator that finds a newer schema refuses to run")
    func newerSchemaRefused() async throws {
        try await withScratchDatabase { store in
            try await store.client.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from-the-future')")
            await #expect(throws: StoreError(.migration, "")) { try await store.migrate() }
        }
    }

    @Test("under a collation other than C, the inbox's compromise reports are read through their partial index, not a scan")
    func compromiseReportsUseTheirIndex() async throws {
        try await withScratchDatabase(options: "TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'") { store in
            try await store.commit(StepWrite(inbox: (0..<5_000).map { inbox("envelope-\($0)") }))
            try await store.commit(StepWrite(inbox: (0..<3).map { inbox("compromise-\($0)") }))
            try await store.client.query("ANALYZE inbox")
            var plan: [String] = []
            for try await line in try await store.client.query(
                "EXPLAIN SELECT envelope_id FROM inbox WHERE starts_with(envelope_id, \("compromise-"))").decode(String.self) {
                plan.append(line)
            }
            #expect(plan.contains { $0.contains("inbox_compromise_reports") }, "\(plan)")
            #expect(try await store.inboxEnvelopes(idPrefix: "compromise-").map(\.id) == ["compromise-0", "compromise-1", "compromise-2"])
        }
    }

    /// Creates a database for one test (`options` after `CREATE DATABASE name`), runs `body` with a migrated store on it, and drops it.
    private func withScratchDatabase(options: String = "", _ body: @Sendable (PostgresStore) async throws -> Void) async throws {
        let url = try #require(postgresTestURL)
        let name = "accord_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        // Identifiers cannot be bound; `name` is generated here from hex digits only.
        try await PostgresStore.withStore(url: url) { admin in
            try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) \(options)"))
        }
        var components = try #require(URLComponents(string: url))
        components.path = "/" + name
        let scratch = try #require(components.string)
        do {
            try await PostgresStore.withStore(url: scratch) { store in
                try await store.migrate()
                try await body(store)
            }
        } catch {
            try? await dropDatabase(name, url: url)
            throw error
        }
        try await dropDatabase(name, url: url)
    }

    private func dropDatabase(_ name: String, url: String) async throws {
        try await PostgresStore.withStore(url: url) { admin in
            try await admin.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
    }
}

/// What needs no server.
@Suite("PostgreSQL URL")
struct PostgresURLTests {
    @Test("a malformed URL is a typed error; a loopback URL reads host, port, user and database")
    func urls() throws {
        #expect(throws: StoreError(.invalid, "")) { try PostgresURL.configuration("mysql://root@127.0.0.1/x") }
        #expect(throws: StoreError(.invalid, "")) { try PostgresURL.configuration("postgres://127.0.0.1/x") }
        #expect(throws: StoreError(.invalid, "")) { try PostgresURL.configuration("not a url") }
        let configuration = try PostgresURL.configuration("postgres://accord@127.0.0.1:54321/node")
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 54321)
        #expect(configuration.username == "accord")
        #expect(configuration.database == "node")
    }
}
