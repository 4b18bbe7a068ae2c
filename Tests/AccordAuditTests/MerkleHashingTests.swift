import Foundation
import Testing
@testable import AccordAudit

/// RFC 9162 hashing and proofs against vectors derived independently with Python's hashlib.
@Suite struct MerkleHashingTests {
    let leaves = RFC9162Vectors.leaves.map { Data(hex: $0) }

    @Test func emptyTreeRootIsSHA256OfNothing() throws {
        #expect(MerkleTreeHasher.emptyRoot == (try MerkleHash(hex: RFC9162Vectors.emptyRoot)))
        #expect(MerkleFrontier().rootHash == MerkleTreeHasher.emptyRoot)
        #expect(MerkleTreeHasher.rootHash(ofLeafHashes: []) == MerkleTreeHasher.emptyRoot)
    }

    @Test func leafHashesMatchVectors() throws {
        for (leaf, expected) in zip(leaves, RFC9162Vectors.leafHashes) {
            #expect(MerkleTreeHasher.leafHash(leaf).hex == expected)
        }
    }

    @Test func rootsMatchVectorsForEverySize() throws {
        var frontier = MerkleFrontier()
        for (n, expected) in RFC9162Vectors.roots.enumerated() {
            frontier.append(leafHash: MerkleTreeHasher.leafHash(leaves[n])) { _, _ in }
            #expect(frontier.rootHash.hex == expected, "size \(n + 1)")
            let direct = MerkleTreeHasher.rootHash(ofLeafHashes: leaves[0...n].map { MerkleTreeHasher.leafHash($0) })
            #expect(direct.hex == expected, "size \(n + 1)")
        }
    }

    @Test func inclusionProofsMatchVectorsAndVerify() async throws {
        let store = InMemoryAuditStore()
        try await appendRawLeaves(leaves, to: store)
        let log = try AuditLog(party: "KR", store: store)
        for (index, size, expectedPath) in RFC9162Vectors.inclusion {
            let proof = try await log.inclusionProof(index: index, treeSize: size)
            #expect(proof.path.map(\.hex) == expectedPath, "index \(index) size \(size)")
            let root = try MerkleHash(hex: RFC9162Vectors.roots[Int(size) - 1])
            let leafHash = MerkleTreeHasher.leafHash(leaves[Int(index)])
            try proof.verify(leafHash: leafHash, rootHash: root)
        }
    }

    @Test func consistencyProofsMatchVectorsAndVerify() async throws {
        let store = InMemoryAuditStore()
        try await appendRawLeaves(leaves, to: store)
        let log = try AuditLog(party: "KR", store: store)
        for (oldSize, newSize, expectedPath) in RFC9162Vectors.consistency {
            let proof = try await log.consistencyProof(from: oldSize, to: newSize)
            #expect(proof.path.map(\.hex) == expectedPath, "\(oldSize) -> \(newSize)")
            let oldRoot = try MerkleHash(hex: RFC9162Vectors.roots[Int(oldSize) - 1])
            let newRoot = try MerkleHash(hex: RFC9162Vectors.roots[Int(newSize) - 1])
            try proof.verify(oldRoot: oldRoot, newRoot: newRoot)
        }
    }

    @Test func leafAndNodePrefixesDiffer() {
        // A 64-byte leaf equal to two child hashes must not hash like the node over them.
        let a = MerkleTreeHasher.leafHash([UInt8(1)])
        let b = MerkleTreeHasher.leafHash([UInt8(2)])
        #expect(MerkleTreeHasher.leafHash(a.bytes + b.bytes) != MerkleTreeHasher.nodeHash(a, b))
    }

    @Test func hashHexParsingIsStrict() {
        #expect(throws: AuditError.self) { try MerkleHash(hex: "00") }
        #expect(throws: AuditError.self) { try MerkleHash(hex: String(repeating: "g", count: 64)) }
        #expect(throws: AuditError.self) { try MerkleHash(bytes: [UInt8](repeating: 0, count: 31)) }
        let upper = RFC9162Vectors.emptyRoot.uppercased()
        #expect((try? MerkleHash(hex: upper))?.hex == RFC9162Vectors.emptyRoot)
    }

    @Test func frontierRejectsWrongRootCount() {
        #expect(throws: AuditError.self) { try MerkleFrontier(size: 3, roots: [MerkleTreeHasher.emptyRoot]) }
    }
}

/// Appends raw leaves (not entries) through the store's atomic append, as the vectors need.
func appendRawLeaves(_ leaves: [Data], to store: InMemoryAuditStore) async throws {
    try await store.append { frontier in
        var frontier = frontier
        var nodes = [MerkleNode]()
        let start = frontier.size
        for leaf in leaves { frontier.append(leafHash: MerkleTreeHasher.leafHash(leaf), into: &nodes) }
        return (AuditAppendBatch(startIndex: start, entries: leaves, nodes: nodes, frontier: frontier), ())
    }
}
