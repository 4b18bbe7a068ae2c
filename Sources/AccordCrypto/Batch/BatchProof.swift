import Crypto
import Foundation

/// An envelope's place in its batch: leaf index, tree size and RFC 9162 inclusion path.
public struct BatchProof: Sendable, Equatable {
    static let tag = "accord.batch-proof"
    /// Largest batch the format admits.
    public static let maxTreeSize = 1 << 20

    /// Index of the envelope's header digest among the leaves.
    public let leafIndex: UInt32
    /// Number of leaves in the batch.
    public let treeSize: UInt32
    /// Sibling hashes from the leaf up.
    public let path: [[UInt8]]

    init(leafIndex: UInt32, treeSize: UInt32, path: [[UInt8]]) {
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.path = path
    }

    func write(to writer: inout ByteWriter) {
        writer.tag(Self.tag)
        writer.u32(leafIndex)
        writer.u32(treeSize)
        writer.u8(UInt8(truncatingIfNeeded: path.count))
        for hash in path { writer.fixed(hash) }
    }

    static func read(from reader: inout ByteReader) throws -> BatchProof {
        try reader.expectTag(tag)
        let leafIndex = try reader.u32("leaf index")
        let treeSize = try reader.u32("tree size")
        guard treeSize >= 1, treeSize <= maxTreeSize, leafIndex < treeSize else {
            throw AccordCryptoError(.malformed, "\(reader.context): leaf \(leafIndex) of a batch of \(treeSize) is impossible")
        }
        let count = Int(try reader.u8("path length"))
        guard count <= 32 else {
            throw AccordCryptoError(.oversized, "\(reader.context): inclusion path of \(count) hashes is too long")
        }
        var path: [[UInt8]] = []
        path.reserveCapacity(count)
        for index in 0..<count { path.append(try reader.fixed(32, "path hash \(index)")) }
        return BatchProof(leafIndex: leafIndex, treeSize: treeSize, path: path)
    }

    /// The root this proof leads to from a header's canonical bytes, or nil if the proof is not well formed.
    func root(forHeader headerBytes: [UInt8]) -> [UInt8]? {
        MerkleTree.rootFromInclusionPath(
            leaf: Array(SHA256.hash(data: headerBytes)), index: Int(leafIndex), size: Int(treeSize), path: path)
    }
}
