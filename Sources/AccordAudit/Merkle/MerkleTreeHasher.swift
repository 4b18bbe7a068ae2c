import Crypto
import Foundation

/// RFC 9162 §2.1.1 hashing: SHA-256 with distinct one-byte prefixes for leaves (0x00) and
/// interior nodes (0x01), so that a leaf can never be passed off as a node or the reverse.
public enum MerkleTreeHasher {
    /// The root of the empty tree: SHA-256 of the empty string.
    public static let emptyRoot = MerkleHash(digest: SHA256.hash(data: [UInt8]()))

    /// `SHA-256(0x00 || leaf)`.
    public static func leafHash<Bytes: DataProtocol>(_ leaf: Bytes) -> MerkleHash {
        var hasher = SHA256()
        hasher.update(data: [UInt8(0x00)])
        hasher.update(data: leaf)
        return MerkleHash(digest: hasher.finalize())
    }

    /// `SHA-256(0x01 || left || right)`.
    public static func nodeHash(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { raw in
            raw[0] = 0x01
            left.write(to: raw, at: 1)
            right.write(to: raw, at: 33)
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(raw))
            return MerkleHash(digest: hasher.finalize())
        }
    }

    /// The root of a whole list of leaves, computed directly from the RFC 9162 definition of
    /// MTH. Linear time and memory; meant for checks and small trees, not for the log itself.
    public static func rootHash(ofLeafHashes leaves: [MerkleHash]) -> MerkleHash {
        guard !leaves.isEmpty else { return emptyRoot }
        var level = leaves
        // Pairing neighbours level by level and carrying an odd last node up unchanged yields
        // exactly MTH's split at the largest power of two below n.
        while level.count > 1 {
            var next = [MerkleHash]()
            next.reserveCapacity((level.count + 1) / 2)
            var index = 0
            while index + 1 < level.count {
                next.append(nodeHash(level[index], level[index + 1]))
                index += 2
            }
            if index < level.count { next.append(level[index]) }
            level = next
        }
        return level[0]
    }
}
