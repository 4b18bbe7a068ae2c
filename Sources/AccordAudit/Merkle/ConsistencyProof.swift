import Foundation

/// RFC 9162 §2.1.4: the hashes proving that the tree of ``oldSize`` leaves is a prefix of the
/// tree of ``newSize`` leaves, i.e. that nothing was changed, removed or reordered in between.
public struct ConsistencyProof: Sendable, Hashable {
    /// Size of the earlier tree.
    public let oldSize: UInt64
    /// Size of the later tree.
    public let newSize: UInt64
    /// The proof hashes, in RFC order.
    public let path: [MerkleHash]

    /// Wraps a proof.
    public init(oldSize: UInt64, newSize: UInt64, path: [MerkleHash]) {
        self.oldSize = oldSize
        self.newSize = newSize
        self.path = path
    }

    /// Checks that `oldRoot` (of ``oldSize``) and `newRoot` (of ``newSize``) are consistent,
    /// by the RFC 9162 §2.1.4.2 algorithm. Equal sizes need an empty path and equal roots; an
    /// empty old tree is a prefix of every tree.
    /// - Throws: ``AuditError/Code/proofInvalid`` with the reason if they are not.
    public func verify(oldRoot: MerkleHash, newRoot: MerkleHash) throws {
        guard oldSize <= newSize else {
            throw AuditError(.proofInvalid, "a tree of \(oldSize) cannot be a prefix of a tree of \(newSize)")
        }
        if oldSize == 0 || oldSize == newSize {
            guard path.isEmpty else {
                throw AuditError(.proofInvalid, "a consistency proof from \(oldSize) to \(newSize) must be empty")
            }
            guard oldSize == 0 || oldRoot == newRoot else {
                throw AuditError(.proofInvalid, "two different roots for the same tree size \(oldSize)")
            }
            return
        }
        guard !path.isEmpty else {
            throw AuditError(.proofInvalid, "an empty consistency proof from \(oldSize) to \(newSize)")
        }
        var hashes = path
        if oldSize.nonzeroBitCount == 1 {
            // The old tree is a perfect subtree of the new one: its root is the proof's start.
            hashes.insert(oldRoot, at: 0)
        }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = hashes[0]
        var sr = fr
        for node in hashes.dropFirst() {
            guard sn != 0 else {
                throw AuditError(.proofInvalid, "consistency proof from \(oldSize) to \(newSize) is too long")
            }
            if fn & 1 == 1 || fn == sn {
                fr = MerkleTreeHasher.nodeHash(node, fr)
                sr = MerkleTreeHasher.nodeHash(node, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = MerkleTreeHasher.nodeHash(sr, node)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else {
            throw AuditError(.proofInvalid, "consistency proof from \(oldSize) to \(newSize) is too short")
        }
        guard fr == oldRoot else {
            throw AuditError(.proofInvalid, "the proof does not lead to the old root of the tree of \(oldSize)")
        }
        guard sr == newRoot else {
            throw AuditError(.proofInvalid, "the tree of \(newSize) does not extend the tree of \(oldSize)")
        }
    }

    /// `true` when ``verify(oldRoot:newRoot:)`` succeeds.
    public func isValid(oldRoot: MerkleHash, newRoot: MerkleHash) -> Bool {
        (try? verify(oldRoot: oldRoot, newRoot: newRoot)) != nil
    }

    /// Wire form, version 1: `01 | u64 oldSize | u64 newSize | u8 count | count × 32 bytes`.
    /// - Throws: ``AuditError/Code/invalidField`` if the path is longer than any tree allows.
    public func encoded() throws -> Data {
        guard path.count <= 128 else {
            throw AuditError(.invalidField, "a proof path of \(path.count) hashes is longer than any tree allows")
        }
        var writer = ByteWriter(capacity: 18 + 32 * path.count)
        writer.u8(1)
        writer.u64(oldSize)
        writer.u64(newSize)
        writer.u8(UInt8(path.count))
        for hash in path { writer.hash(hash) }
        return writer.data
    }

    /// Decodes the wire form strictly (version, at most 128 hashes, no trailing bytes).
    public init<Bytes: DataProtocol>(decoding bytes: Bytes) throws {
        var reader = ByteReader(bytes, what: "consistency proof")
        guard try reader.u8("version") == 1 else { throw reader.fail("unknown version") }
        let oldSize = try reader.u64("old size")
        let newSize = try reader.u64("new size")
        let count = Int(try reader.u8("path length"))
        guard count <= 128 else { throw reader.fail("path of \(count) hashes is longer than any tree allows") }
        var path = [MerkleHash]()
        for position in 0..<count { path.append(try reader.hash("path hash \(position)")) }
        try reader.finish()
        self.init(oldSize: oldSize, newSize: newSize, path: path)
    }
}
