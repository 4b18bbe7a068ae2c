import Foundation

/// What one atomic append writes: consecutive encoded entries from ``startIndex`` on, the
/// perfect-subtree hashes they complete, and the frontier afterwards.
public struct AuditAppendBatch: Sendable, Hashable {
    /// Index of the first entry; must equal the store's size.
    public let startIndex: UInt64
    /// The encoded entries (the Merkle leaves), in order.
    public let entries: [Data]
    /// Subtree hashes completed by these entries, level-0 leaf hashes included, in the order
    /// they were completed.
    public let nodes: [MerkleNode]
    /// The frontier after the append.
    public let frontier: MerkleFrontier

    /// Encodes `events` as entries of `node`'s log numbered from `frontier.size`, all at
    /// `timestamp`, and computes the subtree hashes they complete. Pure: a store calls it (via
    /// ``AuditLog``) inside its transaction.
    /// - Throws: ``AuditError/Code/invalidField`` if an event breaks a field rule.
    public static func prepare(
        events: [AuditEvent], node: String, timestamp: AuditTimestamp, after frontier: MerkleFrontier
    ) throws -> (batch: AuditAppendBatch, entries: [AuditEntry]) {
        var frontier = frontier
        let start = frontier.size
        var encoded = [Data]()
        var entries = [AuditEntry]()
        var nodes = [MerkleNode]()
        encoded.reserveCapacity(events.count)
        entries.reserveCapacity(events.count)
        nodes.reserveCapacity(events.count * 2 + 1)
        for event in events {
            let entry = AuditEntry(sequence: frontier.size, timestamp: timestamp, node: node, event: event)
            let bytes = try entry.encoded()
            frontier.append(leafHash: MerkleTreeHasher.leafHash(bytes), into: &nodes)
            encoded.append(bytes)
            entries.append(entry)
        }
        let batch = AuditAppendBatch(startIndex: start, entries: encoded, nodes: nodes, frontier: frontier)
        return (batch, entries)
    }

    /// Wraps already-prepared parts (for stores that build batches themselves).
    public init(startIndex: UInt64, entries: [Data], nodes: [MerkleNode], frontier: MerkleFrontier) {
        self.startIndex = startIndex
        self.entries = entries
        self.nodes = nodes
        self.frontier = frontier
    }
}
