import Foundation

/// Names one perfect subtree of the audit log: the `2^level` leaves from `index · 2^level` on
/// (the same naming as `AccordAudit.MerkleNodeID`). Level 0 is a leaf.
public struct AuditNodeID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The deepest level a log indexed by `Int64` can have.
    public static let maxLevel = 62

    /// Height above the leaves.
    public let level: Int
    /// Position among the nodes of the same level, from the left.
    public let index: Int64

    public init(level: Int, index: Int64) {
        self.level = level
        self.index = index
    }

    public var description: String { "\(level)/\(index)" }

    public static func < (lhs: AuditNodeID, rhs: AuditNodeID) -> Bool { (lhs.level, lhs.index) < (rhs.level, rhs.index) }

    /// The perfect subtrees whose roots make up a tree of `size` leaves, largest (leftmost)
    /// first: one per set bit of `size`.
    public static func frontier(forSize size: Int64) -> [AuditNodeID] {
        var ids = [AuditNodeID]()
        var start: Int64 = 0
        var level = AuditNodeID.maxLevel
        while level >= 0 {
            if size & (Int64(1) << level) != 0 {
                ids.append(AuditNodeID(level: level, index: start >> level))
                start += Int64(1) << level
            }
            level -= 1
        }
        return ids
    }
}

/// One stored subtree hash of level 1 or more.
public struct AuditNodeHash: Sendable, Hashable {
    public let id: AuditNodeID
    /// The subtree's 32-byte hash.
    public let hash: Data

    public init(id: AuditNodeID, hash: Data) {
        self.id = id
        self.hash = hash
    }
}
