import Crypto
import Foundation

/// An RFC 9162 Merkle tree (SHA-256; leaf hash = H(0x00 ‖ leaf), node hash = H(0x01 ‖ left ‖ right)) over
/// the digests of a batch's envelope headers.
public struct MerkleTree: Sendable {
    /// Every level, leaves first; the last level holds the root.
    private let levels: [[[UInt8]]]

    /// Builds the tree over `leaves` (at least one).
    public init(leaves: [[UInt8]]) throws {
        guard !leaves.isEmpty else { throw AccordCryptoError(.invalidArgument, "a Merkle tree needs at least one leaf") }
        var levels = [leaves.map(Self.leafHash)]
        // Pairing left to right and carrying an odd last node up unchanged gives exactly the RFC 9162 tree,
        // whose left subtree always holds the largest power of two leaves.
        while let last = levels.last, last.count > 1 {
            var next: [[UInt8]] = []
            next.reserveCapacity((last.count + 1) / 2)
            var index = 0
            while index + 1 < last.count {
                next.append(Self.nodeHash(last[index], last[index + 1]))
                index += 2
            }
            if index < last.count { next.append(last[index]) }
            levels.append(next)
        }
        self.levels = levels
    }

    /// The root hash.
    public var root: [UInt8] { levels[levels.count - 1][0] }

    /// Number of leaves.
    public var size: Int { levels[0].count }

    /// The RFC 9162 inclusion path of leaf `index`.
    public func inclusionPath(for index: Int) -> [[UInt8]] {
        var path: [[UInt8]] = []
        var position = index
        for level in levels.dropLast() {
            let sibling = position ^ 1
            if sibling < level.count { path.append(level[sibling]) }
            position >>= 1
        }
        return path
    }

    /// H(0x00 ‖ leaf).
    public static func leafHash(_ leaf: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: leaf)
        return Array(hasher.finalize())
    }

    /// H(0x01 ‖ left ‖ right).
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The root an inclusion path leads to (RFC 9162 §2.1.3.2), or nil if the path cannot belong to a tree of `size`.
    public static func rootFromInclusionPath(leaf: [UInt8], index: Int, size: Int, path: [[UInt8]]) -> [UInt8]? {
        guard index >= 0, index < size else { return nil }
        var fn = index
        var sn = size - 1
        var result = leafHash(leaf)
        for sibling in path {
            guard sn != 0 else { return nil }
            if fn & 1 == 1 || fn == sn {
                result = nodeHash(sibling, result)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                result = nodeHash(result, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? result : nil
    }
}
