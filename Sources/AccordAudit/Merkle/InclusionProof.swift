import Foundation

/// RFC 9162 §2.1.3: the audit path proving that the leaf at ``leafIndex`` is in the tree of
/// ``treeSize`` leaves.
public struct InclusionProof: Sendable, Hashable {
    /// Zero-based index of the leaf.
    public let leafIndex: UInt64
    /// Size of the tree the proof is for.
    public let treeSize: UInt64
    /// Sibling hashes from the leaf's neighbour up to the root's child.
    public let path: [MerkleHash]

    /// Wraps a proof.
    public init(leafIndex: UInt64, treeSize: UInt64, path: [MerkleHash]) {
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.path = path
    }

    /// The root that the path yields for `leafHash`, by the RFC 9162 §2.1.3.2 algorithm.
    /// - Throws: ``AuditError/Code/proofInvalid`` if the index is outside the tree or the path
    ///   has the wrong length for this index and size.
    public func rootHash(forLeafHash leafHash: MerkleHash) throws -> MerkleHash {
        guard leafIndex < treeSize else {
            throw AuditError(.proofInvalid, "inclusion proof for entry \(leafIndex) in a tree of only \(treeSize)")
        }
        var fn = leafIndex
        var sn = treeSize - 1
        var result = leafHash
        for sibling in path {
            guard sn != 0 else {
                throw AuditError(.proofInvalid, "inclusion proof path is longer than a tree of \(treeSize) allows")
            }
            if fn & 1 == 1 || fn == sn {
                result = MerkleTreeHasher.nodeHash(sibling, result)
                if fn & 1 == 0 {
                    // A left child with no right sibling: climb past the levels it is carried up.
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                result = MerkleTreeHasher.nodeHash(result, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else {
            throw AuditError(.proofInvalid, "inclusion proof path is shorter than a tree of \(treeSize) needs")
        }
        return result
    }

    /// Checks that `leafHash` is at ``leafIndex`` in the tree of ``treeSize`` with root `rootHash`.
    /// - Throws: ``AuditError/Code/proofInvalid`` with the reason if it is not.
    public func verify(leafHash: MerkleHash, rootHash: MerkleHash) throws {
        guard try self.rootHash(forLeafHash: leafHash) == rootHash else {
            throw AuditError(
                .proofInvalid,
                "entry \(leafIndex) is not in the tree of \(treeSize) with root \(rootHash.hex.prefix(16))…"
            )
        }
    }

    /// `true` when ``verify(leafHash:rootHash:)`` succeeds.
    public func isValid(leafHash: MerkleHash, rootHash: MerkleHash) -> Bool {
        (try? verify(leafHash: leafHash, rootHash: rootHash)) != nil
    }

    /// Wire form, version 1: `01 | u64 leafIndex | u64 treeSize | u8 count | count × 32 bytes`.
    /// - Throws: ``AuditError/Code/invalidField`` if the path is longer than any tree allows.
    public func encoded() throws -> Data {
        guard path.count <= 64 else {
            throw AuditError(.invalidField, "a proof path of \(path.count) hashes is longer than any tree allows")
        }
        var writer = ByteWriter(capacity: 18 + 32 * path.count)
        writer.u8(1)
        writer.u64(leafIndex)
        writer.u64(treeSize)
        writer.u8(UInt8(path.count))
        for hash in path { writer.hash(hash) }
        return writer.data
    }

    /// Decodes the wire form strictly (version, at most 64 hashes, no trailing bytes).
    public init<Bytes: DataProtocol>(decoding bytes: Bytes) throws {
        var reader = ByteReader(bytes, what: "inclusion proof")
        guard try reader.u8("version") == 1 else { throw reader.fail("unknown version") }
        let index = try reader.u64("leaf index")
        let size = try reader.u64("tree size")
        let count = Int(try reader.u8("path length"))
        guard count <= 64 else { throw reader.fail("path of \(count) hashes is longer than any tree allows") }
        var path = [MerkleHash]()
        for position in 0..<count { path.append(try reader.hash("path hash \(position)")) }
        try reader.finish()
        self.init(leafIndex: index, treeSize: size, path: path)
    }
}
