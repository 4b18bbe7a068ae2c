import AccordCore
import AccordStore
import Foundation
import GRDB

/// Writes one ``StepWrite`` inside an open write transaction.
struct SQLiteStepWriter {
    let db: Database

    func write<Result: Sendable>(
        _ step: StepWrite, audit: (AuditContext) throws -> (AuditAppend, Result)
    ) throws -> StepOutcome<Result> {
        for root in step.signedRoots {
            try execute("INSERT INTO signed_roots (digest, bytes) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING", [root.digest, root.bytes])
        }
        for announcement in step.epochAnnouncements {
            try execute("INSERT INTO epoch_announcements (epoch_id, bytes) VALUES (?, ?) ON CONFLICT (epoch_id) DO NOTHING",
                        [announcement.epochID, announcement.bytes])
        }
        var inboxDuplicates = Set<String>()
        for write in step.inbox {
            let envelope = write.envelope
            try execute("""
                INSERT INTO inbox (envelope_id, sender, received_us, bytes) VALUES (?, ?, ?, ?)
                ON CONFLICT (envelope_id) DO NOTHING
                """, [envelope.id, envelope.sender.rawValue, StoredValue.microseconds(envelope.received), envelope.bytes])
            if db.changesCount == 0 {
                inboxDuplicates.insert(envelope.id)
            } else if let holding = write.holding {
                try putHolding(holding)
            }
        }
        for holding in step.holdings { try putHolding(holding) }
        for envelope in step.outbox {
            let state: (String, Int64?, Data?)
            switch envelope.state {
            case .pending: state = ("pending", nil, nil)
            case .delivered(let at, let receipt): state = ("delivered", StoredValue.microseconds(at), receipt)
            case .withdrawn: throw StoreError(.invalid, "a new outbox row cannot be withdrawn")  // refused by validate() already
            }
            try execute("""
                INSERT INTO outbox (envelope_id, sender, recipient, agreement_id, created_us, attempts,
                                    next_attempt_us, state, delivered_us, receipt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [envelope.id, envelope.sender.rawValue, envelope.recipient.rawValue, envelope.agreementID,
                      StoredValue.microseconds(envelope.created), envelope.attempts,
                      StoredValue.microseconds(envelope.nextAttempt), state.0, state.1, state.2])
            try execute("INSERT INTO outbox_bytes (seq, bytes) VALUES (?, ?)", [db.lastInsertedRowID, envelope.bytes])
        }
        var alreadyDelivered = Set<String>()
        for delivery in step.deliveries {
            // A withdrawn row whose receipt comes back anyway (its round was already on the wire) was delivered all the same.
            try execute("""
                UPDATE outbox SET state = 'delivered', delivered_us = ?, receipt = ?,
                    withdrawn_us = NULL, withdrawn_by = NULL, withdrawal_reason = NULL
                WHERE envelope_id = ? AND state IN ('pending', 'withdrawn')
                """, [StoredValue.microseconds(delivery.deliveredAt), delivery.receipt, delivery.envelopeID])
            if db.changesCount == 0 {
                try requireOutbox(delivery.envelopeID)
                alreadyDelivered.insert(delivery.envelopeID)
            }
        }
        for failure in step.failures {
            try execute("""
                UPDATE outbox SET attempts = attempts + 1, next_attempt_us = ?, last_error = ?, refused = ?
                WHERE envelope_id = ? AND state = 'pending'
                """, [StoredValue.microseconds(failure.nextAttempt), failure.reason, failure.refused, failure.envelopeID])
            if db.changesCount == 0 { try requireOutbox(failure.envelopeID) }
        }
        for withdrawal in step.withdrawals {
            try execute("""
                UPDATE outbox SET state = 'withdrawn', withdrawn_us = ?, withdrawn_by = ?, withdrawal_reason = ?
                WHERE envelope_id = ? AND state = 'pending'
                """, [StoredValue.microseconds(withdrawal.at), withdrawal.by, withdrawal.reason, withdrawal.envelopeID])
            if db.changesCount == 0 {
                try requireOutbox(withdrawal.envelopeID)
                throw StoreError(.conflict, "outbox envelope \(withdrawal.envelopeID) is not pending (delivered or withdrawn already); nothing was written")
            }
        }
        for user in step.users {
            try execute( """
                INSERT INTO users (id, party, clearance, need_to_know, token_hash, password_hash)
                VALUES (\(user.id), \(user.party.rawValue), \(user.clearance), \(StoredValue.topicsText(user.needToKnow)),
                        \(user.tokenHash), \(user.passwordHash))
                ON CONFLICT (id) DO UPDATE SET party = excluded.party, clearance = excluded.clearance,
                    need_to_know = excluded.need_to_know, token_hash = excluded.token_hash, password_hash = excluded.password_hash
                """)
        }
        for id in step.removedUsers {
            try execute( "DELETE FROM users WHERE id = \(id)")
        }
        for consent in step.consents {
            let json = try StoredValue.json(consent, "consent \(consent.id)")
            try execute( """
                INSERT INTO consents (id, originator, intermediary, recipient, valid_from_us, valid_until_us, consent)
                VALUES (\(consent.id), \(consent.originator.rawValue), \(consent.intermediary.rawValue), \(consent.recipient.rawValue),
                        \(StoredValue.microseconds(consent.validFrom)), \(consent.validUntil.map(StoredValue.microseconds)), \(json))
                ON CONFLICT (id) DO UPDATE SET originator = excluded.originator, intermediary = excluded.intermediary,
                    recipient = excluded.recipient, valid_from_us = excluded.valid_from_us,
                    valid_until_us = excluded.valid_until_us, consent = excluded.consent
                """)
        }
        var noteDuplicates = Set<String>()
        for note in step.notes {
            try execute( """
                INSERT INTO notes (agreement_id, note_id, from_party, date_us, bytes)
                VALUES (\(note.agreementID), \(note.noteID), \(note.from.rawValue), \(StoredValue.microseconds(note.date)), \(note.bytes))
                ON CONFLICT (agreement_id, note_id) DO NOTHING
                """)
            if db.changesCount == 0 {
                let stored = try Data.fetchOne(db, SQLRequest<Data>(literal: """
                    SELECT bytes FROM notes WHERE agreement_id = \(note.agreementID) AND note_id = \(note.noteID)
                    """))
                guard stored == note.bytes else {
                    throw StoreError(.conflict, "note \(note.agreementID)/\(note.noteID) is already stored with different bytes")
                }
                noteDuplicates.insert("\(note.agreementID)/\(note.noteID)")
            }
        }
        for bundle in step.keyBundles {
            try execute( """
                INSERT INTO key_bundles (party, key_id, valid_from_us, valid_until_us, bytes)
                VALUES (\(bundle.party.rawValue), \(bundle.keyID), \(StoredValue.microseconds(bundle.validFrom)),
                        \(bundle.validUntil.map(StoredValue.microseconds)), \(bundle.bytes))
                ON CONFLICT (party, key_id) DO NOTHING
                """)
            if db.changesCount == 0 {
                let stored = try Row.fetchOne(db, SQLRequest<Row>(literal: """
                    SELECT valid_from_us, valid_until_us, bytes FROM key_bundles
                    WHERE party = \(bundle.party.rawValue) AND key_id = \(bundle.keyID)
                    """))
                let same = try stored.map { row in
                    try row.decode(Int64.self, atIndex: 0) == StoredValue.microseconds(bundle.validFrom)
                        && row.decode(Int64?.self, atIndex: 1) == bundle.validUntil.map(StoredValue.microseconds)
                        && row.decode(Data.self, atIndex: 2) == bundle.bytes
                } ?? false
                guard same else {
                    throw StoreError(.conflict, "key bundle \(bundle.party)/\(bundle.keyID) is already stored with different contents")
                }
            }
        }
        for head in step.treeHeads {
            try execute( """
                INSERT INTO tree_heads (size, timestamp_ms, bytes) VALUES (\(head.size), \(head.timestampMilliseconds), \(head.bytes))
                """)
        }
        for head in step.peerTreeHeads {
            try execute( """
                INSERT INTO peer_tree_heads (peer, size, received_ms, envelope_id, bytes, proof)
                VALUES (\(head.peer), \(head.size), \(head.receivedMilliseconds), \(head.envelopeID), \(head.bytes), \(head.proofFromPrevious))
                """)
        }
        try writeObjects(step.objects)
        let (indexes, result) = try appendAudit(inboxDuplicates: inboxDuplicates, audit)
        return StepOutcome(
            inboxDuplicates: inboxDuplicates, alreadyDelivered: alreadyDelivered, noteDuplicates: noteDuplicates,
            auditIndexes: indexes, result: result)
    }

    /// Runs one statement, reusing its prepared form: a step repeats the same few statements
    /// hundreds of times, with only the bound values changing.
    private func execute(_ sql: SQL) throws {
        try db.cachedStatement(literal: sql).execute()
    }

    /// The same for the hot statements, with constant SQL and bound arguments: no SQL literal to
    /// build and hash per row (measured: `docs/benchmarks.md`, node section).
    func execute(_ sql: String, _ arguments: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    private func putHolding(_ holding: Holding.Snapshot) throws {
        let json = try StoredValue.holdingJSON(holding)
        try execute("""
            INSERT INTO holdings (id, object_id, holder, received_from, received_us, status, snapshot)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET object_id = excluded.object_id, holder = excluded.holder,
                received_from = excluded.received_from, received_us = excluded.received_us, status = excluded.status,
                snapshot = excluded.snapshot
            """, [holding.id, holding.objectID, holding.holder.rawValue, holding.receivedFrom.rawValue,
                  StoredValue.microseconds(holding.received), holding.status, json])
    }

    private func requireOutbox(_ id: String) throws {
        guard try Bool.fetchOne(db, SQLRequest<Bool>(literal: "SELECT 1 FROM outbox WHERE envelope_id = \(id)")) != nil else {
            throw StoreError(.notFound, "outbox envelope \(id) does not exist")
        }
    }

    private func appendAudit<Result>(
        inboxDuplicates: Set<String>, _ audit: (AuditContext) throws -> (AuditAppend, Result)
    ) throws -> (Range<Int64>, Result) {
        let size = try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM audit_leaves")) ?? 0
        let frontierIDs = AuditNodeID.frontier(forSize: size)
        let hashes = try SQLiteAuditReader(db: db).nodeHashes(frontierIDs)
        var frontier = [Data]()
        for (id, hash) in zip(frontierIDs, hashes) {
            guard let hash else { throw StoreError(.corrupt, "audit subtree \(id) of a log of \(size) leaves is missing") }
            frontier.append(hash)
        }
        let (append, result) = try audit(AuditContext(size: size, frontier: frontier, inboxDuplicates: inboxDuplicates))
        let nodes = try append.checked(after: size)
        for (offset, leaf) in append.leaves.enumerated() {
            try execute("INSERT INTO audit_leaves (idx, entry, leaf_hash) VALUES (?, ?, ?)", [size + Int64(offset), leaf.entry, leaf.leafHash])
        }
        for node in nodes {
            try execute("INSERT INTO audit_nodes (level, idx, hash) VALUES (?, ?, ?)", [node.id.level, node.id.index, node.hash])
        }
        return (size..<(size + Int64(append.leaves.count)), result)
    }
}

/// Reads subtree hashes (level 0 from the leaves) inside any database access.
struct SQLiteAuditReader {
    let db: Database

    func nodeHashes(_ ids: [AuditNodeID]) throws -> [Data?] {
        try ids.map { id in
            if id.level == 0 {
                return try Data.fetchOne(db.cachedStatement(sql: "SELECT leaf_hash FROM audit_leaves WHERE idx = ?"), arguments: [id.index])
            }
            return try Data.fetchOne(db.cachedStatement(sql: "SELECT hash FROM audit_nodes WHERE level = ? AND idx = ?"), arguments: [id.level, id.index])
        }
    }
}
