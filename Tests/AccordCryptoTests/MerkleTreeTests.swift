import Foundation
import Testing
@testable import AccordCrypto

@Suite struct MerkleTreeTests {
    /// RFC 9162 §2.1.1 MTH, written recursively as in the RFC, as an independent reference.
    static func referenceRoot(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        if leaves.count == 1 { return MerkleTree.leafHash(leaves.first!) }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        let split = leaves.startIndex + k
        return MerkleTree.nodeHash(referenceRoot(leaves[..<split]), referenceRoot(leaves[split...]))
    }

    /// RFC 9162 §2.1.3.1 PATH, recursive.
    static func referencePath(_ m: Int, _ leaves: ArraySlice<[UInt8]>) -> [[UInt8]] {
        if leaves.count == 1 { return [] }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        let split = leaves.startIndex + k
        if m < k { return referencePath(m, leaves[..<split]) + [referenceRoot(leaves[split...])] }
        return referencePath(m - k, leaves[split...]) + [referenceRoot(leaves[..<split])]
    }

    @Test func rootsAndPathsMatchTheRFCDefinitionForEverySizeUpTo48() throws {
        var rng = SplitMix64(seed: 9162)
        for size in 1...48 {
            let leaves = (0..<size).map { _ in rng.bytes(32) }
            let tree = try MerkleTree(leaves: leaves)
            #expect(tree.root == Self.referenceRoot(leaves[...]), "size \(size)")
            for index in 0..<size {
                let path = tree.inclusionPath(for: index)
                #expect(path == Self.referencePath(index, leaves[...]), "size \(size) index \(index)")
                #expect(MerkleTree.rootFromInclusionPath(leaf: leaves[index], index: index, size: size, path: path) == tree.root)
            }
        }
    }

    @Test func wrongLeafIndexSizeOrPathDoesNotReachTheRoot() throws {
        var rng = SplitMix64(seed: 1)
        let leaves = (0..<11).map { _ in rng.bytes(32) }
        let tree = try MerkleTree(leaves: leaves)
        let path = tree.inclusionPath(for: 6)
        #expect(MerkleTree.rootFromInclusionPath(leaf: leaves[5], index: 6, size: 11, path: path) != tree.root)
        #expect(MerkleTree.rootFromInclusionPath(leaf: leaves[6], index: 7, size: 11, path: path) != tree.root)
        #expect(MerkleTree.rootFromInclusionPath(leaf: leaves[6], index: 6, size: 7, path: path) != tree.root)
        #expect(MerkleTree.rootFromInclusionPath(leaf: leaves[6], index: 6, size: 11, path: path.dropLast()) == nil)
        #expect(MerkleTree.rootFromInclusionPath(leaf: leaves[6], index: 11, size: 11, path: path) == nil)
        #expect(errorCode { _ = try MerkleTree(leaves: []) } == .invalidArgument)
    }

    @Test func knownAnswerForTheEmptyStringLeaf() throws {
        // RFC 6962/9162 test vector: the leaf hash of the empty string.
        #expect(MerkleTree.leafHash([]).hex == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    }

    @Test func cacheIsBoundedAndForgetsOldestFirst() {
        let cache = VerifiedRootCache(capacity: 3)
        func signature(_ first: UInt8, _ second: UInt8) -> HybridSignature { HybridSignature(ed25519: [first], mldsa: [second]) }
        for byte in UInt8(0)..<5 { cache.insert(body: [byte], signature: signature(byte, 1)) }
        #expect(cache.count == 3)
        #expect(!cache.contains(body: [0], signature: signature(0, 1)) && !cache.contains(body: [1], signature: signature(1, 1)))
        #expect(cache.contains(body: [2], signature: signature(2, 1)) && cache.contains(body: [4], signature: signature(4, 1)))
        // A remembered body with another signature is not a hit: the forged signature gets verified.
        #expect(!cache.contains(body: [3], signature: signature(3, 2)))
    }
}
