import AccordStore
import PostgresNIO

extension PostgresStore {
    /// One schema version: statements applied together in one transaction.
    struct Migration: Sendable {
        let version: Int32
        let name: String
        let statements: [PostgresQuery]
    }

    /// The schema's migrations, in order. A shipped migration is never changed: add a new one.
    static let migrations: [Migration] = [
        Migration(version: 1, name: "node-store", statements: [
            """
            CREATE TABLE outbox (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                envelope_id TEXT NOT NULL UNIQUE,
                sender TEXT NOT NULL,
                recipient TEXT NOT NULL,
                agreement_id TEXT NOT NULL,
                created_us BIGINT NOT NULL,
                bytes BYTEA NOT NULL,
                attempts INTEGER NOT NULL CHECK (attempts >= 0),
                next_attempt_us BIGINT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'delivered')),
                delivered_us BIGINT,
                receipt BYTEA,
                CHECK ((state = 'pending') = (delivered_us IS NULL AND receipt IS NULL))
            )
            """,
            "CREATE INDEX outbox_pending ON outbox (sender, recipient, seq) WHERE state = 'pending'",
            """
            CREATE TABLE inbox (
                envelope_id TEXT PRIMARY KEY,
                sender TEXT NOT NULL,
                received_us BIGINT NOT NULL,
                bytes BYTEA NOT NULL
            )
            """,
            """
            CREATE TABLE holdings (
                id TEXT PRIMARY KEY,
                object_id TEXT NOT NULL,
                holder TEXT NOT NULL,
                received_from TEXT NOT NULL,
                received_us BIGINT NOT NULL,
                status TEXT NOT NULL,
                snapshot TEXT NOT NULL
            )
            """,
            "CREATE INDEX holdings_holder ON holdings (holder, received_us, id)",
            "CREATE INDEX holdings_object ON holdings (object_id)",
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                party TEXT NOT NULL,
                clearance TEXT NOT NULL,
                need_to_know TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                password_hash TEXT
            )
            """,
            """
            CREATE TABLE consents (
                id TEXT PRIMARY KEY,
                originator TEXT NOT NULL,
                intermediary TEXT NOT NULL,
                recipient TEXT NOT NULL,
                valid_from_us BIGINT NOT NULL,
                valid_until_us BIGINT,
                consent TEXT NOT NULL
            )
            """,
            "CREATE INDEX consents_parties ON consents (originator, intermediary, recipient)",
            """
            CREATE TABLE notes (
                agreement_id TEXT NOT NULL,
                note_id TEXT NOT NULL,
                from_party TEXT NOT NULL,
                date_us BIGINT NOT NULL,
                bytes BYTEA NOT NULL,
                PRIMARY KEY (agreement_id, note_id)
            )
            """,
            """
            CREATE TABLE key_bundles (
                party TEXT NOT NULL,
                key_id TEXT NOT NULL,
                valid_from_us BIGINT NOT NULL,
                valid_until_us BIGINT,
                bytes BYTEA NOT NULL,
                PRIMARY KEY (party, key_id)
            )
            """,
            """
            CREATE TABLE audit_head (
                id SMALLINT PRIMARY KEY CHECK (id = 1),
                size BIGINT NOT NULL CHECK (size >= 0)
            )
            """,
            "INSERT INTO audit_head (id, size) VALUES (1, 0)",
            """
            CREATE TABLE audit_leaves (
                idx BIGINT PRIMARY KEY CHECK (idx >= 0),
                entry BYTEA NOT NULL,
                leaf_hash BYTEA NOT NULL CHECK (octet_length(leaf_hash) = 32)
            )
            """,
            """
            CREATE TABLE audit_nodes (
                level SMALLINT NOT NULL CHECK (level BETWEEN 1 AND 62),
                idx BIGINT NOT NULL CHECK (idx >= 0),
                hash BYTEA NOT NULL CHECK (octet_length(hash) = 32),
                PRIMARY KEY (level, idx)
            )
            """,
            """
            CREATE TABLE tree_heads (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                size BIGINT NOT NULL CHECK (size >= 0),
                timestamp_ms BIGINT NOT NULL,
                bytes BYTEA NOT NULL
            )
            """,
            """
            CREATE TABLE peer_tree_heads (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                peer TEXT NOT NULL,
                size BIGINT NOT NULL CHECK (size >= 0),
                received_ms BIGINT NOT NULL,
                envelope_id TEXT,
                bytes BYTEA NOT NULL,
                proof BYTEA
            )
            """,
            "CREATE INDEX peer_tree_heads_peer ON peer_tree_heads (peer, seq)",
        ]),
        Migration(version: 2, name: "objects", statements: [
            """
            CREATE TABLE objects (
                collection TEXT NOT NULL,
                stix_id TEXT NOT NULL,
                version TEXT NOT NULL,
                stix_type TEXT NOT NULL,
                date_added_us BIGINT NOT NULL,
                originator TEXT NOT NULL,
                label TEXT NOT NULL,
                local_level TEXT NOT NULL,
                bytes BYTEA NOT NULL,
                PRIMARY KEY (collection, stix_id, version),
                UNIQUE (collection, date_added_us)
            )
            """,
        ]),
        Migration(version: 3, name: "signed-roots", statements: [
            """
            CREATE TABLE signed_roots (
                digest BYTEA PRIMARY KEY,
                bytes BYTEA NOT NULL
            )
            """,
        ]),
        Migration(version: 4, name: "inbox-compromise-reports", statements: [
            // The originator's operators list the compromise reports holders sent (kept in the inbox under
            // `compromise-…`); the primary key's collation need not order text as bytes, so a prefix gets its own index.
            "CREATE INDEX inbox_compromise_reports ON inbox (envelope_id) WHERE starts_with(envelope_id, 'compromise-')",
        ]),
        Migration(version: 5, name: "objects-labels", statements: [
            // A TAXII page asks for each label's first date added in a collection (`objectLabels`): read from this
            // index alone instead of every row of the collection.
            "CREATE INDEX objects_labels ON objects (collection, label, local_level, date_added_us)",
        ]),
        Migration(version: 6, name: "outbox-withdrawal", statements: [
            // An operator withdraws an undelivered envelope (state 'withdrawn', with when, who and why), and each row keeps
            // why its latest attempt failed and whether the peer refused it (which used to live in memory only).
            """
            ALTER TABLE outbox
                DROP CONSTRAINT outbox_state_check,
                DROP CONSTRAINT outbox_check,
                ADD COLUMN last_error TEXT,
                ADD COLUMN refused BOOLEAN NOT NULL DEFAULT FALSE,
                ADD COLUMN withdrawn_us BIGINT,
                ADD COLUMN withdrawn_by TEXT,
                ADD COLUMN withdrawal_reason TEXT,
                ADD CONSTRAINT outbox_state CHECK (state IN ('pending', 'delivered', 'withdrawn')),
                ADD CONSTRAINT outbox_delivered CHECK ((state = 'delivered') = (delivered_us IS NOT NULL AND receipt IS NOT NULL)),
                ADD CONSTRAINT outbox_receipt CHECK ((delivered_us IS NULL) = (receipt IS NULL)),
                ADD CONSTRAINT outbox_withdrawn CHECK ((state = 'withdrawn')
                    = (withdrawn_us IS NOT NULL AND withdrawn_by IS NOT NULL AND withdrawal_reason IS NOT NULL))
            """,
        ]),
        Migration(version: 7, name: "epoch-announcements", statements: [
            // Each epoch announcement this node sent, once: every delivery round carries those of its envelopes' epochs.
            """
            CREATE TABLE epoch_announcements (
                epoch_id BYTEA PRIMARY KEY,
                bytes BYTEA NOT NULL
            )
            """,
        ]),
    ]

    /// Key of the advisory lock that serialises concurrent migrators (replicas starting together).
    static let migrationLock: Int64 = 0x4143_434F_5244_0001

    /// Applies missing migrations in one transaction, recording each in `schema_migrations`.
    /// - Throws: ``StoreError/Code/migration`` if the database is newer than this build.
    public func migrate() async throws {
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
                try await connection.query("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                    )
                    """, logger: logger)
                var applied = Set<Int32>()
                for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger)
                    .decode(Int32.self)
                {
                    applied.insert(version)
                }
                let known = Set(Self.migrations.map(\.version))
                if let unknown = applied.subtracting(known).max() {
                    throw StoreError(.migration, "the database has schema version \(unknown), newer than this build knows")
                }
                for migration in Self.migrations where !applied.contains(migration.version) {
                    for statement in migration.statements {
                        try await connection.query(statement, logger: logger)
                    }
                    try await connection.query(
                        "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                        logger: logger)
                }
            }
        } catch {
            throw Self.storeError(error, "migrating the schema", code: .migration)
        }
    }

    /// The versions recorded in `schema_migrations`, in order.
    public func appliedMigrations() async throws -> [String] {
        try await read("reading migrations") { connection in
            var names = [String]()
            for try await (version, name) in try await connection.query(
                "SELECT version, name FROM schema_migrations ORDER BY version", logger: logger
            ).decode((Int32, String).self) {
                names.append("v\(version)-\(name)")
            }
            return names
        }
    }
}
