import AccordAudit
import AccordCore
import AccordStore
import Foundation

/// What `GET /api/v1/status` answers.
public struct NodeStatus: Sendable, Codable, Equatable {
    public let party: String
    public let now: String
    public let pendingOutbox: Int
    public let holdings: Int
    public let auditEntries: Int64
}

/// A holding as a user sees it.
public struct VisibleHolding: Sendable, Codable, Equatable {
    public let id: String
    public let objectID: String
    public let originator: String
    public let label: String
    public let marking: String
    public let localLevel: String
    public let receivedFrom: String
    public let received: String
    public let agreements: [String]
}

extension NodeEngine {
    /// Counts for operators and the demo.
    public func status(clock: NodeClock) async throws -> NodeStatus {
        let pending = try await store.pendingRoutes().filter { $0.sender == party }.reduce(0) { $0 + $1.pending }
        return NodeStatus(party: party.rawValue, now: Instant.format(clock.now()), pendingOutbox: pending,
                          holdings: try await store.holdings(holder: party).count, auditEntries: try await store.auditSize())
    }

    /// The holdings a user may read (registered, cleared at the local level, need-to-know for every topic).
    public func visibleHoldings(for user: User, register: PersonnelRegister) async throws -> [VisibleHolding] {
        try await store.holdings(holder: party).compactMap { snapshot in
            let holding = try Holding(snapshot: snapshot, parties: book.parties)
            guard holding.access(by: user.id, register: register).isGranted else { return nil }
            return VisibleHolding(
                id: holding.id, objectID: holding.objectID, originator: holding.originatorLabel.originator.rawValue,
                label: holding.originatorLabel.text, marking: holding.marking, localLevel: holding.localLevel.code,
                receivedFrom: holding.receivedFrom.rawValue, received: Instant.format(holding.received), agreements: holding.agreements)
        }
    }
}

/// One agreement as this node sees it: its state now and the notes it holds about it.
public struct AgreementView: Sendable, Encodable, Equatable {
    public struct NoteView: Sendable, Encodable, Equatable {
        public let id: String
        public let kind: String
        public let from: String
        public let date: String
        public let summary: String
    }
    public let id: String
    public let parties: [String]
    public let state: String
    public let notes: [NoteView]
}

extension NodeEngine {
    /// Every agreement this node is party to, or whose arrangement it takes part in, at `instant`.
    public func agreements(at instant: Date) -> [AgreementView] {
        book.histories.filter { $0.agreement.parties.contains(party) }.map { history in
            AgreementView(
                id: history.agreement.id, parties: history.agreement.parties.map(\.rawValue), state: history.state(at: instant).name,
                notes: history.notes.map { note in
                    .init(id: note.id, kind: note.kind.wireName, from: note.from.rawValue, date: Instant.format(note.date), summary: note.summary)
                })
        }
    }
}

/// A compromise report a holder's node sent this node (Art. 17).
public struct ReceivedCompromiseReport: Sendable, Encodable, Equatable {
    /// When this node took it (its clock).
    public let recorded: String
    public let holder: String
    /// The holder's holding id.
    public let holding: String
    /// The object and this node's label of it.
    public let object: String
    public let label: String
    /// Whether the holder only suspects the compromise.
    public let suspected: Bool
    /// When the holder reported it.
    public let reported: String
    /// Object, label, when, and the holder's description, as the audit entry `compromise-reported` says it.
    public let detail: String
}

extension NodeEngine {
    /// The compromise reports holders sent about this node's information, oldest first: the signed reports
    /// kept in the inbox (under ``compromiseInboxPrefix``), read through the store's index — not by scanning the
    /// audit log — and verified again (an inbox row is not tamper-evident as the log is; one that does not verify
    /// fails the listing, naming the row).
    public func receivedCompromiseReports() async throws -> [ReceivedCompromiseReport] {
        try await store.inboxEnvelopes(idPrefix: Self.compromiseInboxPrefix)
            .sorted { ($0.received, $0.id) < ($1.received, $1.id) }
            .map { row in
                let signed: SignedCompromiseReport
                do { signed = try SignedCompromiseReport(try SignedStatement(encoded: Array(row.bytes)), directory: directory) } catch {
                    throw NodeError(.store, "inbox row \(row.id) is not a compromise report that verifies: \(error)")
                }
                let report = signed.report
                let label = (try? parseLabel(signed.label).text) ?? signed.label
                return ReceivedCompromiseReport(
                    recorded: Instant.format(row.received), holder: report.holder.rawValue, holding: report.holdingID, object: report.objectID,
                    label: label, suspected: report.suspected, reported: Instant.format(report.reported), detail: Self.describe(report, label: label))
            }
    }
}
