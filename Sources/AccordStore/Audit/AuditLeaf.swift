import Foundation

/// One stored audit log entry.
public struct AuditLeaf: Sendable, Hashable {
    /// Position in the log, from 0, without gaps.
    public let index: Int64
    /// The encoded entry; opaque to the store.
    public let entry: Data
    /// Its 32-byte Merkle leaf hash.
    public let leafHash: Data

    public init(index: Int64, entry: Data, leafHash: Data) {
        self.index = index
        self.entry = entry
        self.leafHash = leafHash
    }
}

/// The audit log's state as a step's transaction sees it, handed to the step's `audit` closure.
public struct AuditContext: Sendable {
    /// The number of leaves stored: the index the first new leaf gets.
    public let size: Int64
    /// Hashes of ``AuditNodeID/frontier(forSize:)`` for ``size``, largest first: all that is
    /// needed to append leaves and compute the root.
    public let frontier: [Data]
    /// Envelope ids of the step's inbox rows that were already stored (nothing of them was written).
    public let inboxDuplicates: Set<String>

    public init(size: Int64, frontier: [Data], inboxDuplicates: Set<String>) {
        self.size = size
        self.frontier = frontier
        self.inboxDuplicates = inboxDuplicates
    }
}

/// What a step appends to the audit log: entries for indexes ``AuditContext/size`` on, and the
/// subtree hashes (level 1 and up) that they complete.
///
/// Level-0 nodes may be included (as `AccordAudit` batches do); each must equal its leaf's hash
/// and is not stored twice.
public struct AuditAppend: Sendable, Hashable {
    /// Largest entry accepted, in bytes.
    public static let maxEntryBytes = 1 << 20

    /// The new leaves, in order.
    public var leaves: [Leaf]
    /// Subtree hashes the leaves complete.
    public var nodes: [AuditNodeHash]

    /// One new leaf.
    public struct Leaf: Sendable, Hashable {
        public let entry: Data
        public let leafHash: Data

        public init(entry: Data, leafHash: Data) {
            self.entry = entry
            self.leafHash = leafHash
        }
    }

    public init(leaves: [Leaf] = [], nodes: [AuditNodeHash] = []) {
        self.leaves = leaves
        self.nodes = nodes
    }

    /// Checks the append against a log of `size` leaves and returns the nodes of level 1 and up
    /// to store. Every backend calls this inside its transaction before writing.
    /// - Throws: ``StoreError/Code/invalid`` if a hash is not 32 bytes, an entry is empty or too
    ///   large, or the nodes are not exactly the subtrees the new leaves complete.
    public func checked(after size: Int64) throws(StoreError) -> [AuditNodeHash] {
        let count = Int64(leaves.count)
        guard size >= 0, size <= Int64.max - count else { throw StoreError(.invalid, "audit log size \(size) cannot grow by \(count)") }
        let newSize = size + count
        for (offset, leaf) in leaves.enumerated() {
            let index = size + Int64(offset)
            guard leaf.leafHash.count == 32 else {
                throw StoreError(.invalid, "audit leaf \(index) has a \(leaf.leafHash.count)-byte hash, not 32")
            }
            guard !leaf.entry.isEmpty, leaf.entry.count <= Self.maxEntryBytes else {
                throw StoreError(.invalid, "audit leaf \(index) has \(leaf.entry.count) bytes (1 to \(Self.maxEntryBytes) allowed)")
            }
        }
        var upper = [AuditNodeHash]()
        var seen = Set<AuditNodeID>()
        for node in nodes {
            let id = node.id
            guard node.hash.count == 32 else { throw StoreError(.invalid, "audit subtree \(id) has a \(node.hash.count)-byte hash, not 32") }
            guard (0...AuditNodeID.maxLevel).contains(id.level), seen.insert(id).inserted else {
                throw StoreError(.invalid, "audit subtree \(id) is out of range or given twice")
            }
            // The subtrees completed by growing from `size` to `newSize` at this level.
            let first = size >> id.level
            let end = newSize >> id.level
            guard id.index >= first, id.index < end else {
                throw StoreError(.invalid, "audit subtree \(id) is not completed by leaves \(size)..<\(newSize)")
            }
            if id.level == 0 {
                guard leaves[Int(id.index - size)].leafHash == node.hash else {
                    throw StoreError(.invalid, "audit subtree \(id) differs from its leaf's hash")
                }
            } else {
                upper.append(node)
            }
        }
        var expected = 0
        for level in 1...AuditNodeID.maxLevel {
            expected += Int((newSize >> level) - (size >> level))
        }
        guard upper.count == expected else {
            throw StoreError(.invalid, "\(upper.count) audit subtrees given, \(expected) completed by leaves \(size)..<\(newSize)")
        }
        return upper
    }
}
