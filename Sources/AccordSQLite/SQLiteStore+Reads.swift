import AccordCore
import AccordStore
import Foundation
import GRDB

extension SQLiteStore {
    public func pendingOutbox(sender: PartyCode, recipient: PartyCode, limit: Int, excluding: Set<String>) async throws -> [OutboxEnvelope] {
        guard limit > 0 else { return [] }
        // Rows left out are skipped in the query, before their bytes are read (a round in flight is up to 512 rows).
        let skipped: SQL = excluding.isEmpty ? "" : "AND o.envelope_id NOT IN \(Array(excluding))"
        return try await read("reading the outbox") { db in
            try Row.fetchAll(db, SQLRequest<Row>(literal: """
                SELECT o.envelope_id, o.sender, o.recipient, o.agreement_id, o.created_us, b.bytes, o.attempts, o.next_attempt_us,
                       \(Self.outboxStateColumns)
                FROM outbox o LEFT JOIN outbox_bytes b ON b.seq = o.seq
                WHERE o.sender = \(sender.rawValue) AND o.recipient = \(recipient.rawValue) AND o.state = 'pending' \(skipped)
                ORDER BY o.seq LIMIT \(limit)
                """)).map(Self.outboxEnvelope)
        }
    }

    public func pendingRoutes() async throws -> [OutboxRoute] {
        try await read("reading the outbox") { db in
            try Row.fetchAll(db, sql: """
                SELECT sender, recipient, COUNT(*), MIN(next_attempt_us), MIN(created_us) FROM outbox WHERE state = 'pending'
                GROUP BY sender, recipient ORDER BY sender, recipient
                """).map { row in
                OutboxRoute(
                    sender: try StoredValue.party(row.decode(atIndex: 0), "an outbox row"),
                    recipient: try StoredValue.party(row.decode(atIndex: 1), "an outbox row"),
                    pending: try row.decode(atIndex: 2),
                    earliestAttempt: StoredValue.date(microseconds: try row.decode(atIndex: 3)),
                    oldestCreated: StoredValue.date(microseconds: try row.decode(atIndex: 4)))
            }
        }
    }

    public func outboxEnvelopes(
        sender: PartyCode, recipient: PartyCode, created: ClosedRange<Date>, after: String?, limit: Int
    ) async throws -> [OutboxEnvelope] {
        guard limit > 0 else { return [] }
        let (from, through) = (StoredValue.microseconds(created.lowerBound), StoredValue.microseconds(created.upperBound))
        // After a page, the next starts from the last row's seq (found by the envelope id's index): no rescan from the start.
        let start: SQL = after.map { "AND o.seq > COALESCE((SELECT seq FROM outbox WHERE envelope_id = \($0)), 0)" } ?? ""
        return try await read("reading the outbox") { db in
            try Row.fetchAll(db, SQLRequest<Row>(literal: """
                SELECT o.envelope_id, o.sender, o.recipient, o.agreement_id, o.created_us, b.bytes, o.attempts, o.next_attempt_us,
                       \(Self.outboxStateColumns)
                FROM outbox o LEFT JOIN outbox_bytes b ON b.seq = o.seq
                WHERE o.sender = \(sender.rawValue) AND o.recipient = \(recipient.rawValue) AND o.created_us BETWEEN \(from) AND \(through) \(start)
                ORDER BY o.seq LIMIT \(limit)
                """)).map(Self.outboxEnvelope)
        }
    }

    public func outboxEnvelope(id: String) async throws -> OutboxEnvelope? {
        try await read("reading the outbox") { db in
            try Row.fetchOne(db, SQLRequest<Row>(literal: """
                SELECT o.envelope_id, o.sender, o.recipient, o.agreement_id, o.created_us, b.bytes, o.attempts, o.next_attempt_us,
                       \(Self.outboxStateColumns)
                FROM outbox o LEFT JOIN outbox_bytes b ON b.seq = o.seq WHERE o.envelope_id = \(id)
                """)).map(Self.outboxEnvelope)
        }
    }

    /// The columns after the bytes, attempts and next attempt that ``outboxEnvelope(_:)`` reads (from index 8).
    static var outboxStateColumns: SQL {
        "o.state, o.delivered_us, o.receipt, o.last_error, o.refused, o.withdrawn_us, o.withdrawn_by, o.withdrawal_reason"
    }

    static func outboxEnvelope(_ row: Row) throws -> OutboxEnvelope {
        let id: String = try row.decode(atIndex: 0)
        let state: OutboxEnvelope.State
        switch try row.decode(String.self, atIndex: 8) {
        case "pending": state = .pending
        case "delivered":
            guard let at = try row.decode(Int64?.self, atIndex: 9), let receipt = try row.decode(Data?.self, atIndex: 10) else {
                throw StoreError(.corrupt, "outbox envelope \(id) is delivered without its receipt")
            }
            state = .delivered(at: StoredValue.date(microseconds: at), receipt: receipt)
        case "withdrawn":
            guard let at = try row.decode(Int64?.self, atIndex: 13), let by = try row.decode(String?.self, atIndex: 14),
                  let reason = try row.decode(String?.self, atIndex: 15) else {
                throw StoreError(.corrupt, "outbox envelope \(id) is withdrawn without when, by whom and why")
            }
            state = .withdrawn(at: StoredValue.date(microseconds: at), by: by, reason: reason)
        default: throw StoreError(.corrupt, "outbox envelope \(id) has an unknown state")
        }
        return OutboxEnvelope(
            id: id, sender: try StoredValue.party(row.decode(atIndex: 1), "outbox envelope \(id)"),
            recipient: try StoredValue.party(row.decode(atIndex: 2), "outbox envelope \(id)"),
            agreementID: try row.decode(atIndex: 3), created: StoredValue.date(microseconds: try row.decode(atIndex: 4)),
            // LEFT JOIN: a row whose bytes are missing is a corrupt store, not a row to skip quietly.
            bytes: try row.decode(Data?.self, atIndex: 5).orCorrupt("outbox envelope \(id) has no bytes"), attempts: try row.decode(atIndex: 6),
            nextAttempt: StoredValue.date(microseconds: try row.decode(atIndex: 7)), state: state,
            lastError: try row.decode(String?.self, atIndex: 11), refused: try row.decode(Bool.self, atIndex: 12))
    }

    public func inboxHolds(_ ids: [String]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return try await read("reading the inbox") { db in
            var held = Set<String>()
            // At most 500 bound values per statement (SQLite's limit is higher; this keeps statements reusable).
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(ids.count, start + 500)])
                let sql = "SELECT envelope_id FROM inbox WHERE envelope_id IN (\(repeatElement("?", count: chunk.count).joined(separator: ",")))"
                held.formUnion(try String.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(chunk)))
            }
            return held
        }
    }

    public func signedRoots(_ digests: [Data]) async throws -> [Data: Data] {
        try await blobs("reading signed roots", table: "signed_roots", key: "digest", digests)
    }

    public func epochAnnouncements(_ epochIDs: [Data]) async throws -> [Data: Data] {
        try await blobs("reading epoch announcements", table: "epoch_announcements", key: "epoch_id", epochIDs)
    }

    /// The `bytes` of `table` under each of `keys` (blob primary key `key`), by key; missing keys are absent.
    private func blobs(_ what: String, table: String, key: String, _ keys: [Data]) async throws -> [Data: Data] {
        let unique = Array(Set(keys))
        guard !unique.isEmpty else { return [:] }
        return try await read(what) { db in
            var found: [Data: Data] = [:]
            for start in stride(from: 0, to: unique.count, by: 500) {
                let chunk = Array(unique[start..<min(unique.count, start + 500)])
                let sql = "SELECT \(key), bytes FROM \(table) WHERE \(key) IN (\(repeatElement("?", count: chunk.count).joined(separator: ",")))"
                for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(chunk)) {
                    found[try row.decode(atIndex: 0)] = try row.decode(atIndex: 1)
                }
            }
            return found
        }
    }

    public func inboxEnvelope(id: String) async throws -> InboxEnvelope? {
        try await read("reading the inbox") { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT envelope_id, sender, received_us, bytes FROM inbox WHERE envelope_id = ?"),
                             arguments: [id]).map(Self.inboxEnvelope)
        }
    }

    /// An inbox row: `envelope_id, sender, received_us, bytes`.
    static func inboxEnvelope(_ row: Row) throws -> InboxEnvelope {
        let id: String = try row.decode(atIndex: 0)
        return InboxEnvelope(
            id: id, sender: try StoredValue.party(row.decode(atIndex: 1), "inbox envelope \(id)"),
            received: StoredValue.date(microseconds: try row.decode(atIndex: 2)), bytes: try row.decode(atIndex: 3))
    }

    public func inboxEnvelopes(idPrefix: String) async throws -> [InboxEnvelope] {
        // A range of the primary key (text compares as bytes): from the prefix up to the prefix with its last byte one
        // higher, exactly the ids that start with it — for an ASCII prefix, whose successor is ASCII too.
        let bytes = try StoredValue.inboxPrefix(idPrefix)
        let bound = String(decoding: bytes.dropLast() + [bytes.last! + 1], as: UTF8.self)
        return try await read("reading the inbox") { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT envelope_id, sender, received_us, bytes FROM inbox
                WHERE envelope_id >= ? AND envelope_id < ? ORDER BY envelope_id
                """), arguments: [idPrefix, bound]).map(Self.inboxEnvelope)
        }
    }

    public func holding(id: String) async throws -> Holding.Snapshot? {
        try await read("reading holdings") { db in
            try String.fetchOne(db, SQLRequest<String>(literal: "SELECT snapshot FROM holdings WHERE id = \(id)"))
                .map { try Self.holding($0, id: id) }
        }
    }

    public func holdings(holder: PartyCode?) async throws -> [Holding.Snapshot] {
        try await read("reading holdings") { db in
            let rows: [Row]
            if let holder {
                rows = try Row.fetchAll(db, SQLRequest<Row>(literal: """
                    SELECT id, snapshot FROM holdings WHERE holder = \(holder.rawValue) ORDER BY received_us, id
                    """))
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT id, snapshot FROM holdings ORDER BY received_us, id")
            }
            return try rows.map { try Self.holding($0.decode(atIndex: 1), id: $0.decode(atIndex: 0)) }
        }
    }

    static func holding(_ json: String, id: String) throws -> Holding.Snapshot {
        let snapshot = try StoredValue.decode(Holding.Snapshot.self, json: json, "holding \(id)")
        guard snapshot.id == id else { throw StoreError(.corrupt, "holding \(id) holds the snapshot of another holding") }
        return snapshot
    }

    public func user(id: String) async throws -> UserRecord? {
        try await users(SQL("WHERE id = \(id)")).first
    }

    public func user(tokenHash: String) async throws -> UserRecord? {
        try await users(SQL("WHERE token_hash = \(tokenHash)")).first
    }

    public func users() async throws -> [UserRecord] {
        try await users(SQL(""))
    }

    private func users(_ filter: SQL) async throws -> [UserRecord] {
        try await read("reading users") { db in
            try Row.fetchAll(db, SQLRequest<Row>(literal: """
                SELECT id, party, clearance, need_to_know, token_hash, password_hash FROM users \(filter) ORDER BY id
                """)).map { row in
                let id: String = try row.decode(atIndex: 0)
                return UserRecord(
                    id: id, party: try StoredValue.party(row.decode(atIndex: 1), "user \(id)"), clearance: try row.decode(atIndex: 2),
                    needToKnow: try StoredValue.topics(row.decode(atIndex: 3), "user \(id)"), tokenHash: try row.decode(atIndex: 4),
                    passwordHash: try row.decode(atIndex: 5))
            }
        }
    }

    public func consent(id: String) async throws -> Consent? {
        try await read("reading consents") { db in
            try String.fetchOne(db, SQLRequest<String>(literal: "SELECT consent FROM consents WHERE id = \(id)"))
                .map { try StoredValue.decode(Consent.self, json: $0, "consent \(id)") }
        }
    }

    public func consents(originator: PartyCode?, intermediary: PartyCode?, recipient: PartyCode?) async throws -> [Consent] {
        try await read("reading consents") { db in
            try Row.fetchAll(db, SQLRequest<Row>(literal: """
                SELECT id, consent FROM consents
                WHERE (\(originator?.rawValue) IS NULL OR originator = \(originator?.rawValue))
                  AND (\(intermediary?.rawValue) IS NULL OR intermediary = \(intermediary?.rawValue))
                  AND (\(recipient?.rawValue) IS NULL OR recipient = \(recipient?.rawValue))
                ORDER BY id
                """)).map { row in
                let id: String = try row.decode(atIndex: 0)
                return try StoredValue.decode(Consent.self, json: row.decode(atIndex: 1), "consent \(id)")
            }
        }
    }

    public func notes(agreementID: String?) async throws -> [NoteRecord] {
        try await read("reading notes") { db in
            try Row.fetchAll(db, SQLRequest<Row>(literal: """
                SELECT agreement_id, note_id, from_party, date_us, bytes FROM notes
                WHERE \(agreementID) IS NULL OR agreement_id = \(agreementID)
                ORDER BY date_us, note_id
                """)).map { row in
                let agreement: String = try row.decode(atIndex: 0)
                let note: String = try row.decode(atIndex: 1)
                return NoteRecord(
                    agreementID: agreement, noteID: note,
                    from: try StoredValue.party(row.decode(atIndex: 2), "note \(agreement)/\(note)"),
                    date: StoredValue.date(microseconds: try row.decode(atIndex: 3)), bytes: try row.decode(atIndex: 4))
            }
        }
    }

    public func keyBundles(party: PartyCode?) async throws -> [KeyBundleRecord] {
        try await read("reading key bundles") { db in
            try Row.fetchAll(db, SQLRequest<Row>(literal: """
                SELECT party, key_id, valid_from_us, valid_until_us, bytes FROM key_bundles
                WHERE \(party?.rawValue) IS NULL OR party = \(party?.rawValue)
                ORDER BY party, valid_from_us, key_id
                """)).map { row in
                let keyID: String = try row.decode(atIndex: 1)
                return KeyBundleRecord(
                    party: try StoredValue.party(row.decode(atIndex: 0), "key bundle \(keyID)"), keyID: keyID,
                    validFrom: StoredValue.date(microseconds: try row.decode(atIndex: 2)),
                    validUntil: try row.decode(Int64?.self, atIndex: 3).map(StoredValue.date(microseconds:)),
                    bytes: try row.decode(atIndex: 4))
            }
        }
    }
}

private extension Optional where Wrapped == Data {
    func orCorrupt(_ message: String) throws(StoreError) -> Data {
        guard let self else { throw StoreError(.corrupt, message) }
        return self
    }
}
