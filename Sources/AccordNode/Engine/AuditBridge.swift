import AccordAudit
import AccordStore
import Foundation

/// Turns audit events into the leaves and subtree hashes a store step appends, inside the step's
/// transaction (the store hands over its frontier; `AccordAudit` does the hashing).
enum AuditBridge {
    static func append(_ events: [AuditEvent], node: String, at instant: Date, context: AuditContext) throws -> AuditAppend {
        guard !events.isEmpty else { return AuditAppend() }
        let frontier = try MerkleFrontier(size: UInt64(context.size), roots: context.frontier.map { try MerkleHash(bytes: $0) })
        let (batch, _) = try AuditAppendBatch.prepare(events: events, node: node, timestamp: AuditTimestamp(instant), after: frontier)
        return convert(batch)
    }

    /// The store's form of an audit batch: leaves with their hashes, and the completed subtree hashes.
    static func convert(_ batch: AuditAppendBatch) -> AuditAppend {
        let leafHashes = batch.nodes.filter { $0.id.level == 0 }.sorted { $0.id.index < $1.id.index }
        return AuditAppend(
            leaves: zip(batch.entries, leafHashes).map { AuditAppend.Leaf(entry: $0, leafHash: $1.hash.data) },
            nodes: batch.nodes.map { AuditNodeHash(id: AuditNodeID(level: Int($0.id.level), index: Int64($0.id.index)), hash: $0.hash.data) })
    }
}
