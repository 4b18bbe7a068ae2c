/// Which stored subtree hashes an RFC 9162 proof needs, and how to combine them.
///
/// Planning is pure arithmetic on sizes and indices. Each proof element is MTH of a range of
/// leaves that is either a perfect subtree or a suffix of the tree; it is listed as the perfect
/// subtrees it decomposes into. An inclusion or consistency proof needs at most
/// `2·⌈log₂ n⌉` distinct stored hashes in total, fetched in one batch.
public struct MerkleProofPlan: Sendable, Hashable {
    /// For each proof element, in proof order, the subtrees whose hashes fold into it.
    public let elements: [[MerkleNodeID]]

    /// Every stored hash the plan reads, in element order (the ranges are disjoint, so no id
    /// repeats).
    public var nodeIDs: [MerkleNodeID] { elements.flatMap { $0 } }

    init(ranges: [Range<UInt64>]) {
        elements = ranges.map(MerkleNodeID.decomposition(of:))
    }

    /// Plans RFC 9162 §2.1.3.1 PATH(index, D[size]): the audit path, deepest sibling first.
    /// - Throws: ``AuditError/Code/invalidArgument`` unless `index < size`.
    public static func inclusion(index: UInt64, treeSize size: UInt64) throws -> MerkleProofPlan {
        guard index < size else {
            throw AuditError(.invalidArgument, "entry \(index) is not in a tree of \(size) entries")
        }
        var ranges = [Range<UInt64>]()
        var low: UInt64 = 0
        var high = size
        while high - low > 1 {
            let split = low + largestPowerOfTwo(below: high - low)
            if index < split {
                ranges.append(split..<high)
                high = split
            } else {
                ranges.append(low..<split)
                low = split
            }
        }
        return MerkleProofPlan(ranges: ranges.reversed())
    }

    /// Plans RFC 9162 §2.1.4.1 PROOF(oldSize, D[newSize]). Empty when the sizes are equal or
    /// the old tree is empty (every tree extends the empty tree).
    /// - Throws: ``AuditError/Code/invalidArgument`` if `oldSize > newSize`.
    public static func consistency(from oldSize: UInt64, to newSize: UInt64) throws -> MerkleProofPlan {
        guard oldSize <= newSize else {
            throw AuditError(
                .invalidArgument,
                "a tree of \(oldSize) entries cannot be a prefix of one of \(newSize) entries"
            )
        }
        guard oldSize > 0, oldSize < newSize else { return MerkleProofPlan(ranges: []) }
        var ranges = [Range<UInt64>]()
        var low: UInt64 = 0
        var high = newSize
        var startsAtOldRoot = true
        while true {
            if oldSize == high {
                if !startsAtOldRoot { ranges.append(low..<high) }
                break
            }
            let split = low + largestPowerOfTwo(below: high - low)
            if oldSize <= split {
                ranges.append(split..<high)
                high = split
            } else {
                ranges.append(low..<split)
                low = split
                startsAtOldRoot = false
            }
        }
        return MerkleProofPlan(ranges: ranges.reversed())
    }

    /// Combines fetched hashes (one per id in ``nodeIDs``, same order) into the proof path.
    /// - Throws: ``AuditError/Code/storeInconsistent`` if the count is wrong.
    public func assemble(_ hashes: [MerkleHash]) throws -> [MerkleHash] {
        guard hashes.count == elements.reduce(0, { $0 + $1.count }) else {
            throw AuditError(.storeInconsistent, "the store returned \(hashes.count) hashes for a proof plan of \(nodeIDs.count)")
        }
        var path = [MerkleHash]()
        path.reserveCapacity(elements.count)
        var offset = 0
        for element in elements {
            path.append(MerkleFrontier.fold(Array(hashes[offset..<(offset + element.count)])))
            offset += element.count
        }
        return path
    }

    /// The largest power of two strictly less than `n` (`n ≥ 2`).
    static func largestPowerOfTwo(below n: UInt64) -> UInt64 {
        1 << UInt64(63 - (n - 1).leadingZeroBitCount)
    }
}
