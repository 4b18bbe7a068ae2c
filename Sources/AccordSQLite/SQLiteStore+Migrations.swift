import GRDB

extension SQLiteStore {
    /// The schema's migrations, in order. A shipped migration is never changed: add a new one.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-node-store") { db in
            try db.execute(sql: """
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    envelope_id TEXT NOT NULL UNIQUE,
                    sender TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    agreement_id TEXT NOT NULL,
                    created_us INTEGER NOT NULL,
                    bytes BLOB NOT NULL,
                    attempts INTEGER NOT NULL CHECK (attempts >= 0),
                    next_attempt_us INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered')),
                    delivered_us INTEGER,
                    receipt BLOB,
                    CHECK ((state = 'pending') = (delivered_us IS NULL AND receipt IS NULL))
                );
                CREATE INDEX outbox_pending ON outbox (sender, recipient, seq) WHERE state = 'pending';

                CREATE TABLE inbox (
                    envelope_id TEXT PRIMARY KEY,
                    sender TEXT NOT NULL,
                    received_us INTEGER NOT NULL,
                    bytes BLOB NOT NULL
                );

                CREATE TABLE holdings (
                    id TEXT PRIMARY KEY,
                    object_id TEXT NOT NULL,
                    holder TEXT NOT NULL,
                    received_from TEXT NOT NULL,
                    received_us INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    snapshot TEXT NOT NULL
                );
                CREATE INDEX holdings_holder ON holdings (holder, received_us, id);
                CREATE INDEX holdings_object ON holdings (object_id);

                CREATE TABLE users (
                    id TEXT PRIMARY KEY,
                    party TEXT NOT NULL,
                    clearance TEXT NOT NULL,
                    need_to_know TEXT NOT NULL,
                    token_hash TEXT NOT NULL UNIQUE,
                    password_hash TEXT
                );

                CREATE TABLE consents (
                    id TEXT PRIMARY KEY,
                    originator TEXT NOT NULL,
                    intermediary TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    valid_from_us INTEGER NOT NULL,
                    valid_until_us INTEGER,
                    consent TEXT NOT NULL
                );
                CREATE INDEX consents_parties ON consents (originator, intermediary, recipient);

                CREATE TABLE notes (
                    agreement_id TEXT NOT NULL,
                    note_id TEXT NOT NULL,
                    from_party TEXT NOT NULL,
                    date_us INTEGER NOT NULL,
                    bytes BLOB NOT NULL,
                    PRIMARY KEY (agreement_id, note_id)
                );

                CREATE TABLE key_bundles (
                    party TEXT NOT NULL,
                    key_id TEXT NOT NULL,
                    valid_from_us INTEGER NOT NULL,
                    valid_until_us INTEGER,
                    bytes BLOB NOT NULL,
                    PRIMARY KEY (party, key_id)
                );

                CREATE TABLE audit_leaves (
                    idx INTEGER PRIMARY KEY CHECK (idx >= 0),
                    entry BLOB NOT NULL,
                    leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32)
                );

                CREATE TABLE audit_nodes (
                    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 62),
                    idx INTEGER NOT NULL CHECK (idx >= 0),
                    hash BLOB NOT NULL CHECK (length(hash) = 32),
                    PRIMARY KEY (level, idx)
                ) WITHOUT ROWID;

                CREATE TABLE tree_heads (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    size INTEGER NOT NULL CHECK (size >= 0),
                    timestamp_ms INTEGER NOT NULL,
                    bytes BLOB NOT NULL
                );

                CREATE TABLE peer_tree_heads (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    peer TEXT NOT NULL,
                    size INTEGER NOT NULL CHECK (size >= 0),
                    received_ms INTEGER NOT NULL,
                    envelope_id TEXT,
                    bytes BLOB NOT NULL,
                    proof BLOB
                );
                CREATE INDEX peer_tree_heads_peer ON peer_tree_heads (peer, seq);
                """)
        }
        migrator.registerMigration("v2-objects") { db in
            try db.execute(sql: """
                CREATE TABLE objects (
                    collection TEXT NOT NULL,
                    stix_id TEXT NOT NULL,
                    version TEXT NOT NULL,
                    stix_type TEXT NOT NULL,
                    date_added_us INTEGER NOT NULL,
                    originator TEXT NOT NULL,
                    label TEXT NOT NULL,
                    local_level TEXT NOT NULL,
                    bytes BLOB NOT NULL,
                    PRIMARY KEY (collection, stix_id, version),
                    UNIQUE (collection, date_added_us)
                );
                """)
        }
        migrator.registerMigration("v3-outbox-bytes") { db in
            // An envelope's bytes live beside its outbox row, written once: marking the row delivered
            // then rewrites a row of ≈ 150 bytes instead of the envelope's overflow pages as well.
            try db.execute(sql: """
                CREATE TABLE outbox_bytes (
                    seq INTEGER PRIMARY KEY,
                    bytes BLOB NOT NULL
                );
                INSERT INTO outbox_bytes (seq, bytes) SELECT seq, bytes FROM outbox;
                ALTER TABLE outbox DROP COLUMN bytes;
                """)
        }
        migrator.registerMigration("v4-signed-roots") { db in
            // Detached envelopes (version 2) and receipts (version 3) name their batch's signed root by
            // digest; the root (≈ 3.4 KB, mostly its hybrid signature) is stored here once per batch.
            try db.execute(sql: """
                CREATE TABLE signed_roots (
                    digest BLOB PRIMARY KEY,
                    bytes BLOB NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v5-objects-labels") { db in
            // A TAXII page asks for each label's first date added in a collection (`objectLabels`): read from this
            // covering index alone (measured: 53 → 6 ms for 20,000 objects of 1.3 KB) instead of every row.
            try db.execute(sql: "CREATE INDEX objects_labels ON objects (collection, label, local_level, date_added_us)")
        }
        migrator.registerMigration("v6-outbox-withdrawal") { db in
            // An operator withdraws an undelivered envelope (state 'withdrawn', with when, who and why), and each row
            // keeps why its latest attempt failed and whether the peer refused it (which used to live in memory only).
            // SQLite cannot change a CHECK constraint, so the table is rebuilt, keeping every seq and the sequence
            // itself: seq pairs a row with its bytes in outbox_bytes and orders delivery.
            try db.execute(sql: """
                CREATE TABLE outbox_v6 (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    envelope_id TEXT NOT NULL UNIQUE,
                    sender TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    agreement_id TEXT NOT NULL,
                    created_us INTEGER NOT NULL,
                    attempts INTEGER NOT NULL CHECK (attempts >= 0),
                    next_attempt_us INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'withdrawn')),
                    delivered_us INTEGER,
                    receipt BLOB,
                    last_error TEXT,
                    refused INTEGER NOT NULL DEFAULT 0 CHECK (refused IN (0, 1)),
                    withdrawn_us INTEGER,
                    withdrawn_by TEXT,
                    withdrawal_reason TEXT,
                    CHECK ((state = 'delivered') = (delivered_us IS NOT NULL AND receipt IS NOT NULL)),
                    CHECK ((delivered_us IS NULL) = (receipt IS NULL)),
                    CHECK ((state = 'withdrawn') = (withdrawn_us IS NOT NULL AND withdrawn_by IS NOT NULL AND withdrawal_reason IS NOT NULL))
                );
                INSERT INTO outbox_v6 (seq, envelope_id, sender, recipient, agreement_id, created_us, attempts, next_attempt_us,
                                       state, delivered_us, receipt)
                    SELECT seq, envelope_id, sender, recipient, agreement_id, created_us, attempts, next_attempt_us,
                           state, delivered_us, receipt FROM outbox ORDER BY seq;
                DELETE FROM sqlite_sequence WHERE name = 'outbox_v6';
                INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_v6', seq FROM sqlite_sequence WHERE name = 'outbox';
                DROP TABLE outbox;
                ALTER TABLE outbox_v6 RENAME TO outbox;
                CREATE INDEX outbox_pending ON outbox (sender, recipient, seq) WHERE state = 'pending';
                """)
        }
        migrator.registerMigration("v7-epoch-announcements") { db in
            // Each epoch announcement this node sent, once (≈ 4.5 KB, mostly its hybrid signature and X-Wing
            // encapsulation): a delivery round reads from here those of its envelopes' epochs the sealer no longer holds.
            try db.execute(sql: """
                CREATE TABLE epoch_announcements (
                    epoch_id BLOB PRIMARY KEY,
                    bytes BLOB NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }()

    /// The identifiers of the migrations applied to this store, in order.
    public func appliedMigrations() async throws -> [String] {
        try await read("reading migrations") { db in try Self.migrator.appliedIdentifiers(db).sorted() }
    }
}
