import AccordCore
import AccordStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Decodes every row of `query` with `transform`.
    func rows<T: Sendable>(
        _ what: String, _ query: PostgresQuery, _ transform: (PostgresRandomAccessRow) throws -> T
    ) async throws -> [T] {
        try await read(what) { connection in
            var values = [T]()
            for try await row in try await connection.query(query, logger: logger) {
                values.append(try transform(row.makeRandomAccess()))
            }
            return values
        }
    }

    public func pendingOutbox(sender: PartyCode, recipient: PartyCode, limit: Int, excluding: Set<String>) async throws -> [OutboxEnvelope] {
        guard limit > 0 else { return [] }
        return try await rows("reading the outbox", """
            SELECT envelope_id, sender, recipient, agreement_id, created_us, bytes, attempts, next_attempt_us,
                   state, delivered_us, receipt, last_error, refused, withdrawn_us, withdrawn_by, withdrawal_reason
            FROM outbox WHERE sender = \(sender.rawValue) AND recipient = \(recipient.rawValue) AND state = 'pending'
              AND envelope_id <> ALL(\(Array(excluding))::text[])
            ORDER BY seq LIMIT \(Int64(limit))
            """, Self.outboxEnvelope)
    }

    public func pendingRoutes() async throws -> [OutboxRoute] {
        try await rows("reading the outbox", """
            SELECT sender, recipient, COUNT(*), MIN(next_attempt_us), MIN(created_us) FROM outbox WHERE state = 'pending'
            GROUP BY sender, recipient ORDER BY sender, recipient
            """) { row in
            OutboxRoute(
                sender: try StoredValue.party(row[0].decode(String.self), "an outbox row"),
                recipient: try StoredValue.party(row[1].decode(String.self), "an outbox row"),
                pending: Int(try row[2].decode(Int64.self)),
                earliestAttempt: StoredValue.date(microseconds: try row[3].decode(Int64.self)),
                oldestCreated: StoredValue.date(microseconds: try row[4].decode(Int64.self)))
        }
    }

    public func outboxEnvelopes(
        sender: PartyCode, recipient: PartyCode, created: ClosedRange<Date>, after: String?, limit: Int
    ) async throws -> [OutboxEnvelope] {
        guard limit > 0 else { return [] }
        let (from, through) = (StoredValue.microseconds(created.lowerBound), StoredValue.microseconds(created.upperBound))
        // After a page, the next starts from the last row's seq (found by the envelope id's index): no rescan from the start.
        return try await rows("reading the outbox", """
            SELECT envelope_id, sender, recipient, agreement_id, created_us, bytes, attempts, next_attempt_us,
                   state, delivered_us, receipt, last_error, refused, withdrawn_us, withdrawn_by, withdrawal_reason
            FROM outbox WHERE sender = \(sender.rawValue) AND recipient = \(recipient.rawValue) AND created_us BETWEEN \(from) AND \(through)
                AND seq > COALESCE((SELECT seq FROM outbox WHERE envelope_id = \(after)), 0)
            ORDER BY seq LIMIT \(limit)
            """, Self.outboxEnvelope)
    }

    public func outboxEnvelope(id: String) async throws -> OutboxEnvelope? {
        try await rows("reading the outbox", """
            SELECT envelope_id, sender, recipient, agreement_id, created_us, bytes, attempts, next_attempt_us,
                   state, delivered_us, receipt, last_error, refused, withdrawn_us, withdrawn_by, withdrawal_reason
            FROM outbox WHERE envelope_id = \(id)
            """, Self.outboxEnvelope).first
    }

    static func outboxEnvelope(_ row: PostgresRandomAccessRow) throws -> OutboxEnvelope {
        let id = try row[0].decode(String.self)
        let state: OutboxEnvelope.State
        switch try row[8].decode(String.self) {
        case "pending": state = .pending
        case "delivered":
            guard let at = try row[9].decode(Int64?.self), let receipt = try row[10].decode(Data?.self) else {
                throw StoreError(.corrupt, "outbox envelope \(id) is delivered without its receipt")
            }
            state = .delivered(at: StoredValue.date(microseconds: at), receipt: receipt)
        case "withdrawn":
            guard let at = try row[13].decode(Int64?.self), let by = try row[14].decode(String?.self),
                  let reason = try row[15].decode(String?.self) else {
                throw StoreError(.corrupt, "outbox envelope \(id) is withdrawn without when, by whom and why")
            }
            state = .withdrawn(at: StoredValue.date(microseconds: at), by: by, reason: reason)
        default: throw StoreError(.corrupt, "outbox envelope \(id) has an unknown state")
        }
        return OutboxEnvelope(
            id: id, sender: try StoredValue.party(row[1].decode(String.self), "outbox envelope \(id)"),
            recipient: try StoredValue.party(row[2].decode(String.self), "outbox envelope \(id)"),
            agreementID: try row[3].decode(String.self), created: StoredValue.date(microseconds: try row[4].decode(Int64.self)),
            bytes: try row[5].decode(Data.self), attempts: Int(try row[6].decode(Int32.self)),
            nextAttempt: StoredValue.date(microseconds: try row[7].decode(Int64.self)), state: state,
            lastError: try row[11].decode(String?.self), refused: try row[12].decode(Bool.self))
    }

    public func inboxHolds(_ ids: [String]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return Set(try await rows("reading the inbox", "SELECT envelope_id FROM inbox WHERE envelope_id = ANY(\(ids))") { row in
            try row[0].decode(String.self)
        })
    }

    public func signedRoots(_ digests: [Data]) async throws -> [Data: Data] {
        try await blobs("reading signed roots", table: "signed_roots", key: "digest", digests)
    }

    public func epochAnnouncements(_ epochIDs: [Data]) async throws -> [Data: Data] {
        try await blobs("reading epoch announcements", table: "epoch_announcements", key: "epoch_id", epochIDs)
    }

    /// The `bytes` of `table` under each of `keys` (bytea primary key `key`), by key; missing keys are absent.
    private func blobs(_ what: String, table: String, key: String, _ keys: [Data]) async throws -> [Data: Data] {
        let unique = Array(Set(keys))
        guard !unique.isEmpty else { return [:] }
        let rows = try await rows(what, """
            SELECT \(unescaped: key), bytes FROM \(unescaped: table) WHERE \(unescaped: key) = ANY(\(unique.map { ByteBuffer(bytes: $0) })::bytea[])
            """) { row in
            (try row[0].decode(Data.self), try row[1].decode(Data.self))
        }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    public func inboxEnvelope(id: String) async throws -> InboxEnvelope? {
        try await rows("reading the inbox", "SELECT envelope_id, sender, received_us, bytes FROM inbox WHERE envelope_id = \(id)",
                       Self.inboxEnvelope).first
    }

    public func inboxEnvelopes(idPrefix: String) async throws -> [InboxEnvelope] {
        // starts_with, not a range: the database's collation need not order text as bytes. Compromise reports
        // have a partial index (migration 4), which the planner uses for that prefix.
        _ = try StoredValue.inboxPrefix(idPrefix)
        return try await rows("reading the inbox", """
            SELECT envelope_id, sender, received_us, bytes FROM inbox WHERE starts_with(envelope_id, \(idPrefix))
            ORDER BY envelope_id COLLATE "C"
            """, Self.inboxEnvelope)
    }

    /// An inbox row: `envelope_id, sender, received_us, bytes`.
    static func inboxEnvelope(_ row: PostgresRandomAccessRow) throws -> InboxEnvelope {
        let id = try row[0].decode(String.self)
        return InboxEnvelope(
            id: id, sender: try StoredValue.party(row[1].decode(String.self), "inbox envelope \(id)"),
            received: StoredValue.date(microseconds: try row[2].decode(Int64.self)), bytes: try row[3].decode(Data.self))
    }

    public func holding(id: String) async throws -> Holding.Snapshot? {
        try await rows("reading holdings", "SELECT id, snapshot FROM holdings WHERE id = \(id)", Self.holding).first
    }

    public func holdings(holder: PartyCode?) async throws -> [Holding.Snapshot] {
        try await rows("reading holdings", """
            SELECT id, snapshot FROM holdings WHERE \(holder?.rawValue)::text IS NULL OR holder = \(holder?.rawValue)
            ORDER BY received_us, id
            """, Self.holding)
    }

    static func holding(_ row: PostgresRandomAccessRow) throws -> Holding.Snapshot {
        let id = try row[0].decode(String.self)
        let snapshot = try StoredValue.decode(Holding.Snapshot.self, json: row[1].decode(String.self), "holding \(id)")
        guard snapshot.id == id else { throw StoreError(.corrupt, "holding \(id) holds the snapshot of another holding") }
        return snapshot
    }

    public func user(id: String) async throws -> UserRecord? {
        try await rows("reading users", """
            SELECT id, party, clearance, need_to_know, token_hash, password_hash FROM users WHERE id = \(id)
            """, Self.user).first
    }

    public func user(tokenHash: String) async throws -> UserRecord? {
        try await rows("reading users", """
            SELECT id, party, clearance, need_to_know, token_hash, password_hash FROM users WHERE token_hash = \(tokenHash)
            """, Self.user).first
    }

    public func users() async throws -> [UserRecord] {
        try await rows("reading users", """
            SELECT id, party, clearance, need_to_know, token_hash, password_hash FROM users ORDER BY id
            """, Self.user)
    }

    static func user(_ row: PostgresRandomAccessRow) throws -> UserRecord {
        let id = try row[0].decode(String.self)
        return UserRecord(
            id: id, party: try StoredValue.party(row[1].decode(String.self), "user \(id)"), clearance: try row[2].decode(String.self),
            needToKnow: try StoredValue.topics(row[3].decode(String.self), "user \(id)"), tokenHash: try row[4].decode(String.self),
            passwordHash: try row[5].decode(String?.self))
    }

    public func consent(id: String) async throws -> Consent? {
        try await rows("reading consents", "SELECT id, consent FROM consents WHERE id = \(id)", Self.consent).first
    }

    public func consents(originator: PartyCode?, intermediary: PartyCode?, recipient: PartyCode?) async throws -> [Consent] {
        try await rows("reading consents", """
            SELECT id, consent FROM consents
            WHERE (\(originator?.rawValue)::text IS NULL OR originator = \(originator?.rawValue))
              AND (\(intermediary?.rawValue)::text IS NULL OR intermediary = \(intermediary?.rawValue))
              AND (\(recipient?.rawValue)::text IS NULL OR recipient = \(recipient?.rawValue))
            ORDER BY id
            """, Self.consent)
    }

    static func consent(_ row: PostgresRandomAccessRow) throws -> Consent {
        let id = try row[0].decode(String.self)
        return try StoredValue.decode(Consent.self, json: row[1].decode(String.self), "consent \(id)")
    }

    public func notes(agreementID: String?) async throws -> [NoteRecord] {
        try await rows("reading notes", """
            SELECT agreement_id, note_id, from_party, date_us, bytes FROM notes
            WHERE \(agreementID)::text IS NULL OR agreement_id = \(agreementID)
            ORDER BY date_us, note_id
            """) { row in
            let agreement = try row[0].decode(String.self)
            let note = try row[1].decode(String.self)
            return NoteRecord(
                agreementID: agreement, noteID: note, from: try StoredValue.party(row[2].decode(String.self), "note \(agreement)/\(note)"),
                date: StoredValue.date(microseconds: try row[3].decode(Int64.self)), bytes: try row[4].decode(Data.self))
        }
    }

    public func keyBundles(party: PartyCode?) async throws -> [KeyBundleRecord] {
        try await rows("reading key bundles", """
            SELECT party, key_id, valid_from_us, valid_until_us, bytes FROM key_bundles
            WHERE \(party?.rawValue)::text IS NULL OR party = \(party?.rawValue)
            ORDER BY party, valid_from_us, key_id
            """) { row in
            let keyID = try row[1].decode(String.self)
            return KeyBundleRecord(
                party: try StoredValue.party(row[0].decode(String.self), "key bundle \(keyID)"), keyID: keyID,
                validFrom: StoredValue.date(microseconds: try row[2].decode(Int64.self)),
                validUntil: try row[3].decode(Int64?.self).map(StoredValue.date(microseconds:)), bytes: try row[4].decode(Data.self))
        }
    }
}
