import AccordAudit
import AccordCore
import AccordStore
import Foundation
import Logging
import Synchronization

/// What the delivery loop has on the wire, and what operators withdrew: kept together under one lock, so that a row
/// is either sent or withdrawn, never both.
struct OutboxGuard: Sendable {
    /// Rows on the wire now, with how many rounds carry each (two deliverers may send the same row).
    private(set) var inFlight: [String: Int] = [:]
    /// Rows withdrawn since the engine started (a round may have read one just before its withdrawal committed).
    private(set) var withdrawn: Set<String> = []

    /// The rows of `due` that may go (not withdrawn), now marked on the wire.
    mutating func take(_ due: [OutboxEnvelope]) -> [OutboxEnvelope] {
        let kept = due.filter { !withdrawn.contains($0.id) }
        for row in kept { inFlight[row.id, default: 0] += 1 }
        return kept
    }

    /// Marks rows taken by ``take(_:)`` off the wire (their round was recorded or failed).
    mutating func release(_ ids: some Sequence<String>) {
        for id in ids {
            guard let count = inFlight[id] else { continue }
            inFlight[id] = count > 1 ? count - 1 : nil
        }
    }

    enum Claim { case claimed, onTheWire, withdrawnAlready }

    /// Claims `id` for withdrawal, unless it is on the wire now or another withdrawal claimed it.
    mutating func claim(_ id: String) -> Claim {
        guard inFlight[id] == nil else { return .onTheWire }
        return withdrawn.insert(id).inserted ? .claimed : .withdrawnAlready
    }

    /// Gives a claim back (the withdrawal was not written).
    mutating func unclaim(_ id: String) {
        withdrawn.remove(id)
    }
}

extension NodeEngine {
    /// An envelope or statement waiting in this node's outbox, as an operator sees it.
    public struct WaitingRow: Sendable, Equatable {
        public let row: OutboxEnvelope
        /// Part of a round on the wire now: its receipt may come back at any moment, so it cannot be withdrawn.
        public let onTheWire: Bool
        /// A signed note or compromise report (which the agreements require the peer to receive), not an envelope.
        public let isStatement: Bool
    }

    /// What this node still has to deliver, oldest first per peer (to `peer` only if given), at most `limit` rows per peer.
    public func waiting(to peer: PartyCode? = nil, limit: Int = 100) async throws -> [WaitingRow] {
        let routes = try await store.pendingRoutes().filter { $0.sender == party && (peer == nil || $0.recipient == peer) }
        var rows: [WaitingRow] = []
        for route in routes.sorted(by: { $0.recipient.rawValue < $1.recipient.rawValue }) {
            let pending = try await store.pendingOutbox(sender: party, recipient: route.recipient, limit: limit, excluding: [])
            let inFlight = outboxGuard.withLock { $0.inFlight }
            rows += pending.map { row in
                WaitingRow(row: row, onTheWire: inFlight[row.id] != nil, isStatement: Self.isStatement(row))
            }
        }
        return rows
    }

    /// Withdraws an envelope this node has not delivered yet: it will not be sent, and the audit log records who
    /// withdrew it and why (`envelope-withdrawn`). The release decision and the sealed envelope stay on record.
    ///
    /// Refused (``NodeError``): an unknown id (`notFound`); a row delivered or withdrawn already, or holding a signed
    /// note or compromise report, which the agreements require the peer to receive (`refused`); a row on the wire now
    /// (`busy`: its round may deliver it; a round to a peer that is down holds it until its connection attempt fails);
    /// an empty reason (`malformed`).
    @discardableResult
    public func withdraw(_ envelopeID: String, by user: String, reason: String) async throws -> OutboxEnvelope {
        let reason = try Self.withdrawalReason(reason)
        guard let row = try await store.outboxEnvelope(id: envelopeID), row.sender == party else {
            throw NodeError(.notFound, "no envelope \(envelopeID) in this node's outbox")
        }
        switch row.state {
        case .pending: break
        case .delivered(let at, _):
            throw NodeError(.refused, "envelope \(envelopeID) was delivered to \(row.recipient) at \(Instant.format(at)); it cannot be withdrawn")
        case .withdrawn(let at, let by, _):
            throw NodeError(.refused, "envelope \(envelopeID) was withdrawn by \(by) at \(Instant.format(at)) already")
        }
        guard !Self.isStatement(row) else {
            throw NodeError(.refused, "\(envelopeID) is a signed note or compromise report, which \(row.recipient) must receive; it cannot be withdrawn")
        }
        switch outboxGuard.withLock({ $0.claim(envelopeID) }) {
        case .claimed: break
        case .onTheWire:
            throw NodeError(.busy, "envelope \(envelopeID) is on the wire to \(row.recipient) now; its receipt decides (try again if it is not delivered)")
        case .withdrawnAlready:
            throw NodeError(.refused, "envelope \(envelopeID) is being withdrawn or was withdrawn already")
        }
        let at: Date
        do { at = try await writeWithdrawals(of: [row], by: user, reason: reason) } catch let error as StoreError where error.isLostRace {
            // Delivered or withdrawn since the read above (by another process on the same store).
            throw NodeError(error.code == .notFound ? .notFound : .refused, "envelope \(envelopeID) cannot be withdrawn now: \(error.message)")
        }
        return OutboxEnvelope(
            id: row.id, sender: row.sender, recipient: row.recipient, agreementID: row.agreementID, created: row.created, bytes: row.bytes,
            attempts: row.attempts, nextAttempt: row.nextAttempt, state: .withdrawn(at: at, by: user, reason: reason),
            lastError: row.lastError, refused: row.refused)
    }

    /// What ``withdrawAll(to:by:reason:)`` did.
    public struct BulkWithdrawal: Sendable, Equatable {
        /// The envelopes withdrawn, oldest first.
        public var withdrawn: [String] = []
        /// Envelopes left pending because they are on the wire now (their receipts decide; ask again after).
        public var onTheWire: [String] = []
        /// Signed notes and compromise reports, which are never withdrawn.
        public var statements: [String] = []
        /// Whether more rows wait for the peer than one call takes (``bulkWithdrawalLimit``): call again.
        public var more = false
    }

    /// The most rows one ``withdrawAll(to:by:reason:)`` looks at (one transaction).
    public static let bulkWithdrawalLimit = 2_000

    /// Withdraws every envelope waiting for `peer` that is not on the wire (looking at most at `limit` rows a call, at most
    /// ``bulkWithdrawalLimit``),
    /// in one transaction, each audited as ``withdraw(_:by:reason:)`` audits one: for a peer that will never take them
    /// (its certificate revoked, its node decommissioned). Signed notes and compromise reports stay.
    public func withdrawAll(to peer: PartyCode, by user: String, reason: String, limit: Int = bulkWithdrawalLimit) async throws -> BulkWithdrawal {
        let reason = try Self.withdrawalReason(reason)
        guard peer != party else { throw NodeError(.malformed, "\(peer) is this node's own party") }
        let limit = min(max(limit, 1), Self.bulkWithdrawalLimit)
        let rows = try await store.pendingOutbox(sender: party, recipient: peer, limit: limit + 1, excluding: [])
        var report = BulkWithdrawal(more: rows.count > limit)
        var candidates: [OutboxEnvelope] = []
        for row in rows.prefix(limit) {
            if Self.isStatement(row) { report.statements.append(row.id) } else { candidates.append(row) }
        }
        let claims = outboxGuard.withLock { guarded in candidates.map { guarded.claim($0.id) } }
        let claimed = zip(candidates, claims).filter { $0.1 == .claimed }.map(\.0)
        report.onTheWire = zip(candidates, claims).filter { $0.1 == .onTheWire }.map(\.0.id)
        guard !claimed.isEmpty else { return report }
        do { _ = try await writeWithdrawals(of: claimed, by: user, reason: reason) } catch let error as StoreError where error.isLostRace {
            throw NodeError(.busy, "the outbox to \(peer) changed while withdrawing (nothing was withdrawn): \(error.message)")
        }
        report.withdrawn = claimed.map(\.id)
        return report
    }

    /// Writes the withdrawal of `rows` (claimed in the guard) with their audit entries in one step; returns its instant.
    /// If nothing is written, the claims are given back and the store's error is rethrown.
    private func writeWithdrawals(of rows: [OutboxEnvelope], by user: String, reason: String) async throws -> Date {
        let at = clock()
        do {
            try await commit(
                StepWrite(withdrawals: rows.map { OutboxWithdrawal(envelopeID: $0.id, at: at, by: user, reason: reason) }),
                events: rows.map { .envelopeWithdrawn(envelopeID: $0.id, recipient: $0.recipient.rawValue, by: user, reason: reason) })
        } catch {
            outboxGuard.withLock { guarded in for row in rows { guarded.unclaim(row.id) } }
            throw error
        }
        logger.notice("outbox envelopes withdrawn", metadata: [
            "accord.count": "\(rows.count)", "accord.first": "\(rows[0].id)", "accord.peers": "\(Set(rows.map(\.recipient.rawValue)).sorted())",
            "accord.user": "\(user)", "accord.reason": "\(reason)"])
        return at
    }

    /// A withdrawal's reason, trimmed: refused unless 1 to 1,000 bytes on one line (it goes into the audit log).
    static func withdrawalReason(_ text: String) throws(NodeError) -> String {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.utf8.count <= 1_000, !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw NodeError(.malformed, "a withdrawal needs a reason of 1 to 1,000 bytes on one line, without control characters: it goes into the audit log")
        }
        return reason
    }

    /// Whether an outbox row carries a signed statement (a note or compromise report) rather than an envelope.
    static func isStatement(_ row: OutboxEnvelope) -> Bool {
        guard let frame = try? Transmission(encoded: Array(row.bytes)) else { return false }
        return !frame.statements.isEmpty
    }
}

extension StoreError {
    /// The row changed between the read and the write (another process delivered or withdrew it): nothing was written.
    var isLostRace: Bool { code == .conflict || code == .notFound }
}
