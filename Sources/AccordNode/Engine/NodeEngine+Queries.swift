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
