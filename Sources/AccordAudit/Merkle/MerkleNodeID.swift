/// Names one perfect subtree of the log: the `2^level` leaves starting at `index * 2^level`.
///
/// Level 0 nodes are leaf hashes. A store keeps the hash of every perfect subtree once it is
/// complete; any proof is then assembled from at most about `2·log₂ n` of them.
public struct MerkleNodeID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Height above the leaves (0 for a leaf).
    public let level: UInt8
    /// Position among the nodes of the same level, from the left.
    public let index: UInt64

    /// Names the subtree at `level` and `index`.
    public init(level: UInt8, index: UInt64) {
        self.level = level
        self.index = index
    }

    /// The leaves the subtree covers.
    public var leafRange: Range<UInt64> {
        let start = index << UInt64(level)
        return start..<(start + (1 << UInt64(level)))
    }

    /// `level/index`.
    public var description: String { "\(level)/\(index)" }

    /// Orders by level, then index.
    public static func < (lhs: MerkleNodeID, rhs: MerkleNodeID) -> Bool {
        (lhs.level, lhs.index) < (rhs.level, rhs.index)
    }

    /// The perfect subtrees that make up the leaf range `range`, left to right, each as large
    /// as its start's alignment allows. For the ranges that RFC 9162 proofs use (a perfect
    /// subtree, or a suffix of the tree whose start is aligned to the largest power of two
    /// below its length), folding their hashes from the right gives MTH of the range.
    public static func decomposition(of range: Range<UInt64>) -> [MerkleNodeID] {
        var ids = [MerkleNodeID]()
        var start = range.lowerBound
        while start < range.upperBound {
            let remaining = range.upperBound - start
            var level = UInt64(63 - remaining.leadingZeroBitCount)
            if start != 0 { level = min(level, UInt64(start.trailingZeroBitCount)) }
            ids.append(MerkleNodeID(level: UInt8(level), index: start >> level))
            start += 1 << level
        }
        return ids
    }
}
