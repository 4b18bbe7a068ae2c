/// The right edge of a Merkle tree: the roots of the perfect subtrees that a tree of
/// ``size`` leaves splits into (one per set bit of the size, largest first).
///
/// This is all the state needed to append leaves and compute the root. Appending reports every
/// perfect subtree it completes, so a store can keep those hashes and answer proofs with
/// O(log n) reads. A pure value: a SQL store can load it inside its transaction, append, and
/// write the new nodes in the same transaction.
public struct MerkleFrontier: Sendable, Hashable {
    /// The number of leaves.
    public private(set) var size: UInt64
    /// Perfect-subtree roots, largest (leftmost) first.
    public private(set) var roots: [MerkleHash]

    /// The empty tree.
    public init() {
        size = 0
        roots = []
    }

    /// Rebuilds the frontier of a tree of `size` leaves from the hashes of the subtrees named
    /// by ``nodeIDs(forSize:)``, in that order.
    /// - Throws: ``AuditError/Code/storeInconsistent`` if the count does not match the size.
    public init(size: UInt64, roots: [MerkleHash]) throws {
        guard roots.count == size.nonzeroBitCount else {
            throw AuditError(
                .storeInconsistent,
                "a tree of \(size) leaves has \(size.nonzeroBitCount) frontier hashes, got \(roots.count)"
            )
        }
        self.size = size
        self.roots = roots
    }

    /// The perfect subtrees whose roots form the frontier of a tree of `size` leaves,
    /// largest first.
    public static func nodeIDs(forSize size: UInt64) -> [MerkleNodeID] {
        MerkleNodeID.decomposition(of: 0..<size)
    }

    /// The root hash of the tree (``MerkleTreeHasher/emptyRoot`` when empty).
    public var rootHash: MerkleHash {
        Self.fold(roots)
    }

    /// Folds perfect-subtree hashes (largest first) from the right into one MTH.
    static func fold(_ hashes: [MerkleHash]) -> MerkleHash {
        guard var result = hashes.last else { return MerkleTreeHasher.emptyRoot }
        var index = hashes.count - 1
        while index > 0 {
            index -= 1
            result = MerkleTreeHasher.nodeHash(hashes[index], result)
        }
        return result
    }

    /// Appends one leaf hash and reports the perfect subtrees this completes (the leaf itself
    /// at level 0 first, then each parent up the right edge).
    public mutating func append(leafHash: MerkleHash, completed: (MerkleNodeID, MerkleHash) -> Void) {
        var node = leafHash
        var index = size
        var level: UInt8 = 0
        completed(MerkleNodeID(level: 0, index: index), node)
        // Each trailing one bit of the old size is a left sibling waiting for this node.
        while index & 1 == 1 {
            node = MerkleTreeHasher.nodeHash(roots.removeLast(), node)
            index >>= 1
            level += 1
            completed(MerkleNodeID(level: level, index: index), node)
        }
        roots.append(node)
        size += 1
    }

    /// Appends one leaf hash, collecting completed subtrees into `nodes`.
    public mutating func append(leafHash: MerkleHash, into nodes: inout [MerkleNode]) {
        append(leafHash: leafHash) { id, hash in nodes.append(MerkleNode(id: id, hash: hash)) }
    }
}

/// A stored perfect-subtree hash.
public struct MerkleNode: Sendable, Hashable {
    /// Which subtree.
    public let id: MerkleNodeID
    /// Its MTH.
    public let hash: MerkleHash

    /// Pairs an id with its hash.
    public init(id: MerkleNodeID, hash: MerkleHash) {
        self.id = id
        self.hash = hash
    }
}
