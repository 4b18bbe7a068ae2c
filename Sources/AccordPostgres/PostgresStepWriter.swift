import AccordCore
import AccordStore
import Foundation
import Logging
import PostgresNIO

/// Writes one ``StepWrite`` on a connection inside an open transaction.
///
/// The hot paths (inbox, outbox, deliveries, failed attempts, holdings, audit leaves) write a whole batch
/// in one statement through `unnest` of bound arrays; the rest go row by row.
struct PostgresStepWriter {
    let connection: PostgresConnection
    let logger: Logger

    func write<Result: Sendable>(
        _ step: StepWrite, audit: (AuditContext) throws -> (AuditAppend, Result)
    ) async throws -> StepOutcome<Result> {
        // Every step takes this lock first: one lock order, no deadlocks, sequential audit indexes.
        let size = try await one(
            connection.query("SELECT size FROM audit_head WHERE id = 1 FOR UPDATE", logger: logger), Int64.self, "the audit head")
        try await keepOnce(table: "signed_roots", key: "digest", step.signedRoots.map { ($0.digest, $0.bytes) })
        try await keepOnce(table: "epoch_announcements", key: "epoch_id", step.epochAnnouncements.map { ($0.epochID, $0.bytes) })
        let inboxDuplicates = try await writeInbox(step.inbox)
        for holding in step.holdings { try await putHolding(holding) }
        try await writeOutbox(step.outbox)
        let alreadyDelivered = try await writeDeliveries(step.deliveries)
        try await writeFailures(step.failures)
        for withdrawal in step.withdrawals {
            let updated = try await count(connection.query("""
                UPDATE outbox SET state = 'withdrawn', withdrawn_us = \(StoredValue.microseconds(withdrawal.at)),
                    withdrawn_by = \(withdrawal.by), withdrawal_reason = \(withdrawal.reason)
                WHERE envelope_id = \(withdrawal.envelopeID) AND state = 'pending' RETURNING 1
                """, logger: logger))
            if updated == 0 {
                try await requireOutbox(withdrawal.envelopeID)
                throw StoreError(.conflict, "outbox envelope \(withdrawal.envelopeID) is not pending (delivered or withdrawn already); nothing was written")
            }
        }
        for user in step.users {
            try await connection.query("""
                INSERT INTO users (id, party, clearance, need_to_know, token_hash, password_hash)
                VALUES (\(user.id), \(user.party.rawValue), \(user.clearance), \(StoredValue.topicsText(user.needToKnow)),
                        \(user.tokenHash), \(user.passwordHash))
                ON CONFLICT (id) DO UPDATE SET party = excluded.party, clearance = excluded.clearance,
                    need_to_know = excluded.need_to_know, token_hash = excluded.token_hash, password_hash = excluded.password_hash
                """, logger: logger)
        }
        for id in step.removedUsers {
            try await connection.query("DELETE FROM users WHERE id = \(id)", logger: logger)
        }
        for consent in step.consents {
            let json = try StoredValue.json(consent, "consent \(consent.id)")
            try await connection.query("""
                INSERT INTO consents (id, originator, intermediary, recipient, valid_from_us, valid_until_us, consent)
                VALUES (\(consent.id), \(consent.originator.rawValue), \(consent.intermediary.rawValue), \(consent.recipient.rawValue),
                        \(StoredValue.microseconds(consent.validFrom)), \(consent.validUntil.map(StoredValue.microseconds)), \(json))
                ON CONFLICT (id) DO UPDATE SET originator = excluded.originator, intermediary = excluded.intermediary,
                    recipient = excluded.recipient, valid_from_us = excluded.valid_from_us,
                    valid_until_us = excluded.valid_until_us, consent = excluded.consent
                """, logger: logger)
        }
        var noteDuplicates = Set<String>()
        for note in step.notes {
            let inserted = try await count(connection.query("""
                INSERT INTO notes (agreement_id, note_id, from_party, date_us, bytes)
                VALUES (\(note.agreementID), \(note.noteID), \(note.from.rawValue), \(StoredValue.microseconds(note.date)), \(note.bytes))
                ON CONFLICT (agreement_id, note_id) DO NOTHING RETURNING 1
                """, logger: logger))
            if inserted == 0 {
                let stored = try await one(connection.query("""
                    SELECT bytes FROM notes WHERE agreement_id = \(note.agreementID) AND note_id = \(note.noteID)
                    """, logger: logger), Data.self, "note")
                guard stored == note.bytes else {
                    throw StoreError(.conflict, "note \(note.agreementID)/\(note.noteID) is already stored with different bytes")
                }
                noteDuplicates.insert("\(note.agreementID)/\(note.noteID)")
            }
        }
        for bundle in step.keyBundles {
            let validFrom = StoredValue.microseconds(bundle.validFrom)
            let validUntil = bundle.validUntil.map(StoredValue.microseconds)
            let inserted = try await count(connection.query("""
                INSERT INTO key_bundles (party, key_id, valid_from_us, valid_until_us, bytes)
                VALUES (\(bundle.party.rawValue), \(bundle.keyID), \(validFrom), \(validUntil), \(bundle.bytes))
                ON CONFLICT (party, key_id) DO NOTHING RETURNING 1
                """, logger: logger))
            if inserted == 0 {
                let same = try await count(connection.query("""
                    SELECT 1 FROM key_bundles WHERE party = \(bundle.party.rawValue) AND key_id = \(bundle.keyID)
                      AND valid_from_us = \(validFrom) AND valid_until_us IS NOT DISTINCT FROM \(validUntil)
                      AND bytes = \(bundle.bytes)
                    """, logger: logger))
                guard same == 1 else {
                    throw StoreError(.conflict, "key bundle \(bundle.party)/\(bundle.keyID) is already stored with different contents")
                }
            }
        }
        for head in step.treeHeads {
            try await connection.query("""
                INSERT INTO tree_heads (size, timestamp_ms, bytes) VALUES (\(head.size), \(head.timestampMilliseconds), \(head.bytes))
                """, logger: logger)
        }
        for head in step.peerTreeHeads {
            try await connection.query("""
                INSERT INTO peer_tree_heads (peer, size, received_ms, envelope_id, bytes, proof)
                VALUES (\(head.peer), \(head.size), \(head.receivedMilliseconds), \(head.envelopeID), \(head.bytes), \(head.proofFromPrevious))
                """, logger: logger)
        }
        try await writeObjects(step.objects)
        let (indexes, result) = try await appendAudit(size: size, inboxDuplicates: inboxDuplicates, audit)
        return StepOutcome(
            inboxDuplicates: inboxDuplicates, alreadyDelivered: alreadyDelivered, noteDuplicates: noteDuplicates,
            auditIndexes: indexes, result: result)
    }

    /// Inserts (key, bytes) rows into `table` (bytea primary key `key`) in one statement; a key already stored writes nothing.
    private func keepOnce(table: String, key: String, _ rows: [(key: Data, bytes: Data)]) async throws {
        guard !rows.isEmpty else { return }
        try await connection.query("""
            INSERT INTO \(unescaped: table) (\(unescaped: key), bytes)
            SELECT * FROM unnest(\(rows.map { ByteBuffer(bytes: $0.key) })::bytea[], \(rows.map { ByteBuffer(bytes: $0.bytes) })::bytea[])
            ON CONFLICT (\(unescaped: key)) DO NOTHING
            """, logger: logger)
    }

    private func writeInbox(_ writes: [InboxWrite]) async throws -> Set<String> {
        guard !writes.isEmpty else { return [] }
        let ids = writes.map(\.envelope.id)
        let senders = writes.map(\.envelope.sender.rawValue)
        let received = writes.map { StoredValue.microseconds($0.envelope.received) }
        let bytes = writes.map { ByteBuffer(bytes: $0.envelope.bytes) }
        var inserted = Set<String>()
        for try await id in try await connection.query("""
            INSERT INTO inbox (envelope_id, sender, received_us, bytes)
            SELECT * FROM unnest(\(ids)::text[], \(senders)::text[], \(received)::bigint[], \(bytes)::bytea[])
            ON CONFLICT (envelope_id) DO NOTHING RETURNING envelope_id
            """, logger: logger).decode(String.self)
        {
            inserted.insert(id)
        }
        var duplicates = Set<String>()
        var holdings: [Holding.Snapshot] = []
        for write in writes {
            // A second row with the same id in one batch is a duplicate of the first.
            if inserted.remove(write.envelope.id) != nil {
                if let holding = write.holding { holdings.append(holding) }
            } else {
                duplicates.insert(write.envelope.id)
            }
        }
        try await putHoldings(holdings)
        return duplicates
    }

    /// Marks delivered rows in one statement (a round's receipts); returns the ids that were delivered already.
    private func writeDeliveries(_ deliveries: [OutboxDelivery]) async throws -> Set<String> {
        guard !deliveries.isEmpty else { return [] }
        var updated = Set<String>()
        for try await id in try await connection.query("""
            UPDATE outbox SET state = 'delivered', delivered_us = d.delivered_us, receipt = d.receipt,
                withdrawn_us = NULL, withdrawn_by = NULL, withdrawal_reason = NULL
            FROM unnest(\(deliveries.map(\.envelopeID))::text[], \(deliveries.map { StoredValue.microseconds($0.deliveredAt) })::bigint[],
                        \(deliveries.map { ByteBuffer(bytes: $0.receipt) })::bytea[]) AS d(envelope_id, delivered_us, receipt)
            WHERE outbox.envelope_id = d.envelope_id AND outbox.state IN ('pending', 'withdrawn')
            RETURNING outbox.envelope_id
            """, logger: logger).decode(String.self)
        {
            updated.insert(id)
        }
        var alreadyDelivered = Set<String>()
        for delivery in deliveries where updated.remove(delivery.envelopeID) == nil {
            // Not pending (or a second delivery of the same row in this step): it must exist.
            try await requireOutbox(delivery.envelopeID)
            alreadyDelivered.insert(delivery.envelopeID)
        }
        return alreadyDelivered
    }

    /// Records failed attempts on pending rows in one statement (a failed round is up to 512 rows; row by row if
    /// two share an id, so that each counts); rows already delivered are left alone, unknown ones are `notFound`.
    private func writeFailures(_ failures: [OutboxFailure]) async throws {
        guard failures.count > 1, Set(failures.map(\.envelopeID)).count == failures.count else {
            for failure in failures {
                let updated = try await count(connection.query("""
                    UPDATE outbox SET attempts = attempts + 1, next_attempt_us = \(StoredValue.microseconds(failure.nextAttempt)),
                        last_error = \(failure.reason), refused = \(failure.refused)
                    WHERE envelope_id = \(failure.envelopeID) AND state = 'pending' RETURNING 1
                    """, logger: logger))
                if updated == 0 { try await requireOutbox(failure.envelopeID) }
            }
            return
        }
        var updated = Set<String>()
        for try await id in try await connection.query("""
            UPDATE outbox SET attempts = outbox.attempts + 1, next_attempt_us = f.next_attempt_us,
                last_error = NULLIF(f.last_error, ''), refused = f.refused
            FROM unnest(\(failures.map(\.envelopeID))::text[], \(failures.map { StoredValue.microseconds($0.nextAttempt) })::bigint[],
                        \(failures.map { $0.reason ?? "" })::text[], \(failures.map(\.refused))::boolean[])
                AS f(envelope_id, next_attempt_us, last_error, refused)
            WHERE outbox.envelope_id = f.envelope_id AND outbox.state = 'pending'
            RETURNING outbox.envelope_id
            """, logger: logger).decode(String.self)
        {
            updated.insert(id)
        }
        for failure in failures where !updated.contains(failure.envelopeID) { try await requireOutbox(failure.envelopeID) }
    }

    /// Inserts the holdings of newly held envelopes in one statement (row by row if two share an id).
    private func putHoldings(_ holdings: [Holding.Snapshot]) async throws {
        guard holdings.count > 1, Set(holdings.map(\.id)).count == holdings.count else {
            for holding in holdings { try await putHolding(holding) }
            return
        }
        var json: [String] = []
        json.reserveCapacity(holdings.count)
        for holding in holdings { json.append(try StoredValue.holdingJSON(holding)) }
        try await connection.query("""
            INSERT INTO holdings (id, object_id, holder, received_from, received_us, status, snapshot)
            SELECT * FROM unnest(\(holdings.map(\.id))::text[], \(holdings.map(\.objectID))::text[], \(holdings.map(\.holder.rawValue))::text[],
                                 \(holdings.map(\.receivedFrom.rawValue))::text[], \(holdings.map { StoredValue.microseconds($0.received) })::bigint[],
                                 \(holdings.map(\.status))::text[], \(json)::text[])
            ON CONFLICT (id) DO UPDATE SET object_id = excluded.object_id, holder = excluded.holder,
                received_from = excluded.received_from, received_us = excluded.received_us, status = excluded.status,
                snapshot = excluded.snapshot
            """, logger: logger)
    }

    private func writeOutbox(_ envelopes: [OutboxEnvelope]) async throws {
        guard !envelopes.isEmpty else { return }
        var states = [String](), deliveredAt = [Int64?](), receipts = [Data?]()
        for envelope in envelopes {
            switch envelope.state {
            case .pending:
                states.append("pending"); deliveredAt.append(nil); receipts.append(nil)
            case .delivered(let at, let receipt):
                states.append("delivered"); deliveredAt.append(StoredValue.microseconds(at)); receipts.append(receipt)
            case .withdrawn:
                throw StoreError(.invalid, "a new outbox row cannot be withdrawn")  // refused by validate() already
            }
        }
        if deliveredAt.contains(where: { $0 != nil }) {
            // Rare (imports): row by row, since bound arrays cannot hold NULLs here.
            for (offset, envelope) in envelopes.enumerated() {
                try await connection.query("""
                    INSERT INTO outbox (envelope_id, sender, recipient, agreement_id, created_us, bytes, attempts,
                                        next_attempt_us, state, delivered_us, receipt)
                    VALUES (\(envelope.id), \(envelope.sender.rawValue), \(envelope.recipient.rawValue), \(envelope.agreementID),
                            \(StoredValue.microseconds(envelope.created)), \(envelope.bytes), \(Int32(clamping: envelope.attempts)),
                            \(StoredValue.microseconds(envelope.nextAttempt)), \(states[offset]), \(deliveredAt[offset]), \(receipts[offset]))
                    """, logger: logger)
            }
            return
        }
        // WITH ORDINALITY keeps the array order, so `seq` follows the step's order.
        try await connection.query("""
            INSERT INTO outbox (envelope_id, sender, recipient, agreement_id, created_us, bytes, attempts, next_attempt_us, state)
            SELECT id, sender, recipient, agreement, created, bytes, attempts, next_attempt, 'pending'
            FROM unnest(\(envelopes.map(\.id))::text[], \(envelopes.map(\.sender.rawValue))::text[],
                        \(envelopes.map(\.recipient.rawValue))::text[], \(envelopes.map(\.agreementID))::text[],
                        \(envelopes.map { StoredValue.microseconds($0.created) })::bigint[],
                        \(envelopes.map { ByteBuffer(bytes: $0.bytes) })::bytea[],
                        \(envelopes.map { Int32(clamping: $0.attempts) })::integer[],
                        \(envelopes.map { StoredValue.microseconds($0.nextAttempt) })::bigint[])
                 WITH ORDINALITY AS t(id, sender, recipient, agreement, created, bytes, attempts, next_attempt, position)
            ORDER BY position
            """, logger: logger)
    }

    private func putHolding(_ holding: Holding.Snapshot) async throws {
        let json = try StoredValue.holdingJSON(holding)
        try await connection.query("""
            INSERT INTO holdings (id, object_id, holder, received_from, received_us, status, snapshot)
            VALUES (\(holding.id), \(holding.objectID), \(holding.holder.rawValue), \(holding.receivedFrom.rawValue),
                    \(StoredValue.microseconds(holding.received)), \(holding.status), \(json))
            ON CONFLICT (id) DO UPDATE SET object_id = excluded.object_id, holder = excluded.holder,
                received_from = excluded.received_from, received_us = excluded.received_us, status = excluded.status,
                snapshot = excluded.snapshot
            """, logger: logger)
    }

    private func requireOutbox(_ id: String) async throws {
        let found = try await count(connection.query("SELECT 1 FROM outbox WHERE envelope_id = \(id)", logger: logger))
        guard found > 0 else { throw StoreError(.notFound, "outbox envelope \(id) does not exist") }
    }

    private func appendAudit<Result>(
        size: Int64, inboxDuplicates: Set<String>, _ audit: (AuditContext) throws -> (AuditAppend, Result)
    ) async throws -> (Range<Int64>, Result) {
        let frontierIDs = AuditNodeID.frontier(forSize: size)
        let hashes = try await PostgresAuditReader(connection: connection, logger: logger).nodeHashes(frontierIDs)
        var frontier = [Data]()
        for (id, hash) in zip(frontierIDs, hashes) {
            guard let hash else { throw StoreError(.corrupt, "audit subtree \(id) of a log of \(size) leaves is missing") }
            frontier.append(hash)
        }
        let (append, result) = try audit(AuditContext(size: size, frontier: frontier, inboxDuplicates: inboxDuplicates))
        let nodes = try append.checked(after: size)
        let count = Int64(append.leaves.count)
        guard count > 0 else { return (size..<size, result) }
        let indexes = Array(size..<(size + count))
        try await connection.query("""
            INSERT INTO audit_leaves (idx, entry, leaf_hash)
            SELECT * FROM unnest(\(indexes)::bigint[], \(append.leaves.map { ByteBuffer(bytes: $0.entry) })::bytea[],
                                 \(append.leaves.map { ByteBuffer(bytes: $0.leafHash) })::bytea[])
            """, logger: logger)
        if !nodes.isEmpty {
            try await connection.query("""
                INSERT INTO audit_nodes (level, idx, hash)
                SELECT * FROM unnest(\(nodes.map { Int16($0.id.level) })::smallint[], \(nodes.map(\.id.index))::bigint[],
                                     \(nodes.map { ByteBuffer(bytes: $0.hash) })::bytea[])
                """, logger: logger)
        }
        try await connection.query("UPDATE audit_head SET size = \(size + count) WHERE id = 1", logger: logger)
        return (size..<(size + count), result)
    }

    /// Counts the rows a query returned.
    private func count(_ rows: PostgresRowSequence) async throws -> Int {
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    private func one<T: PostgresDecodable & Sendable>(_ rows: PostgresRowSequence, _ type: T.Type, _ what: String) async throws -> T {
        for try await value in rows.decode(T.self) { return value }
        throw StoreError(.corrupt, "\(what) is missing")
    }
}

/// Reads subtree hashes (level 0 from the leaves) on any connection.
struct PostgresAuditReader {
    let connection: PostgresConnection
    let logger: Logger

    func nodeHashes(_ ids: [AuditNodeID]) async throws -> [Data?] {
        guard !ids.isEmpty else { return [] }
        var found = [AuditNodeID: Data]()
        let leaves = ids.filter { $0.level == 0 }.map(\.index)
        if !leaves.isEmpty {
            for try await (index, hash) in try await connection.query("""
                SELECT idx, leaf_hash FROM audit_leaves WHERE idx = ANY(\(leaves)::bigint[])
                """, logger: logger).decode((Int64, Data).self)
            {
                found[AuditNodeID(level: 0, index: index)] = hash
            }
        }
        let upper = ids.filter { $0.level > 0 }
        if !upper.isEmpty {
            for try await (level, index, hash) in try await connection.query("""
                SELECT n.level, n.idx, n.hash FROM audit_nodes n
                JOIN unnest(\(upper.map { Int16($0.level) })::smallint[], \(upper.map(\.index))::bigint[]) AS w(level, idx)
                  ON n.level = w.level AND n.idx = w.idx
                """, logger: logger).decode((Int16, Int64, Data).self)
            {
                found[AuditNodeID(level: Int(level), index: index)] = hash
            }
        }
        return ids.map { found[$0] }
    }
}
