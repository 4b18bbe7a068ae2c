import Foundation
import Testing
@testable import AccordAudit

/// Proofs for every size and index of a log built from random entries.
@Suite struct ProofPropertyTests {
    static let maxSize: UInt64 = 100

    @Test func inclusionProofsVerifyForEverySizeAndIndex() async throws {
        let (log, store) = try await makeLog(count: Int(Self.maxSize), seed: 11)
        let entries = try await store.entries(in: 0..<Self.maxSize)
        let leafHashes = entries.map { MerkleTreeHasher.leafHash($0) }
        let counting = CountingStore(store)
        let countingLog = try AuditLog(party: "KR", store: counting)
        for size in 1...Self.maxSize {
            let root = MerkleTreeHasher.rootHash(ofLeafHashes: Array(leafHashes[0..<Int(size)]))
            #expect(try await log.rootHash(treeSize: size) == root)
            for index in 0..<size {
                let before = counting.hashesRead
                let proof = try await countingLog.inclusionProof(index: index, treeSize: size)
                #expect(counting.hashesRead - before <= 2 * ceilLog2(size), "reads for \(index) in \(size)")
                try proof.verify(leafHash: leafHashes[Int(index)], rootHash: root)
                // The same proof must not verify anything else.
                if size > 1 {
                    let other = leafHashes[Int((index + 1) % size)]
                    #expect(!proof.isValid(leafHash: other, rootHash: root))
                    #expect(!InclusionProof(leafIndex: (index + 1) % size, treeSize: size, path: proof.path)
                        .isValid(leafHash: leafHashes[Int(index)], rootHash: root) || proof.path.isEmpty)
                }
                // The root of a larger tree must be refused.
                if size < Self.maxSize {
                    let larger = MerkleTreeHasher.rootHash(ofLeafHashes: Array(leafHashes[0...Int(size)]))
                    #expect(!proof.isValid(leafHash: leafHashes[Int(index)], rootHash: larger))
                }
            }
        }
    }

    @Test func consistencyProofsVerifyForEveryPairOfSizes() async throws {
        let (log, store) = try await makeLog(count: Int(Self.maxSize), seed: 12)
        let leafHashes = try await store.entries(in: 0..<Self.maxSize).map { MerkleTreeHasher.leafHash($0) }
        let roots = (0...Self.maxSize).map { MerkleTreeHasher.rootHash(ofLeafHashes: Array(leafHashes[0..<Int($0)])) }
        let counting = CountingStore(store)
        let countingLog = try AuditLog(party: "KR", store: counting)
        for newSize in 1...Self.maxSize {
            for oldSize in 0...newSize {
                let before = counting.hashesRead
                let proof = try await countingLog.consistencyProof(from: oldSize, to: newSize)
                #expect(counting.hashesRead - before <= 2 * ceilLog2(newSize))
                try proof.verify(oldRoot: roots[Int(oldSize)], newRoot: roots[Int(newSize)])
                if oldSize > 0 && oldSize < newSize {
                    // A root from another tree of the same sizes must be refused.
                    #expect(!proof.isValid(oldRoot: roots[Int(oldSize) - 1], newRoot: roots[Int(newSize)]))
                    #expect(!proof.isValid(oldRoot: roots[Int(oldSize)], newRoot: roots[Int(newSize) - 1]))
                }
            }
        }
        _ = log
    }

    @Test func anyBitFlipInAProofIsRejected() async throws {
        let (log, store) = try await makeLog(count: 77, seed: 13)
        let leafHashes = try await store.entries(in: 0..<77).map { MerkleTreeHasher.leafHash($0) }
        var rng = SplitMix64(seed: 99)
        for _ in 0..<300 {
            let size = 2 + rng.next() % 76
            let index = rng.next() % size
            let root = try await log.rootHash(treeSize: size)
            let proof = try await log.inclusionProof(index: index, treeSize: size)
            var bytes = (try proof.encoded())
            let bit = Int(rng.next() % UInt64(bytes.count * 8))
            bytes[bit / 8] ^= UInt8(1 << (bit % 8))
            guard let mutated = try? InclusionProof(decoding: bytes) else { continue }
            #expect(!mutated.isValid(leafHash: leafHashes[Int(mutated.leafIndex % 77)], rootHash: root)
                || mutated == proof, "bit \(bit) of proof for \(index) in \(size)")

            let oldSize = 1 + rng.next() % (size - 1)
            let consistency = try await log.consistencyProof(from: oldSize, to: size)
            var cbytes = (try consistency.encoded())
            let cbit = 8 * 17 + Int(rng.next() % UInt64((cbytes.count - 17) * 8))  // a path bit or the count
            cbytes[cbit / 8] ^= UInt8(1 << (cbit % 8))
            guard let cmutated = try? ConsistencyProof(decoding: cbytes) else { continue }
            #expect(!cmutated.isValid(oldRoot: try await log.rootHash(treeSize: oldSize), newRoot: root))
        }
    }

    @Test func proofRequestsOutsideTheLogAreRefused() async throws {
        let (log, _) = try await makeLog(count: 5)
        await #expect(throws: AuditError.self) { try await log.inclusionProof(index: 5, treeSize: 5) }
        await #expect(throws: AuditError.self) { try await log.inclusionProof(index: 0, treeSize: 6) }
        await #expect(throws: AuditError.self) { try await log.consistencyProof(from: 4, to: 3) }
        await #expect(throws: AuditError.self) { try await log.consistencyProof(from: 1, to: 6) }
        await #expect(throws: AuditError.self) { try await log.rootHash(treeSize: 6) }
    }

    @Test func proofWireFormsRoundTripAndDecodeStrictly() async throws {
        let (log, _) = try await makeLog(count: 21)
        let inclusion = try await log.inclusionProof(index: 6, treeSize: 21)
        let consistency = try await log.consistencyProof(from: 6, to: 21)
        let inclusionBytes = try inclusion.encoded()
        let consistencyBytes = try consistency.encoded()
        #expect(try InclusionProof(decoding: inclusionBytes) == inclusion)
        #expect(try ConsistencyProof(decoding: consistencyBytes) == consistency)
        for cut in 0..<inclusionBytes.count {
            #expect(throws: AuditError.self) { try InclusionProof(decoding: inclusionBytes.prefix(cut)) }
        }
        for cut in 0..<consistencyBytes.count {
            #expect(throws: AuditError.self) { try ConsistencyProof(decoding: consistencyBytes.prefix(cut)) }
        }
        #expect(throws: AuditError.self) { try InclusionProof(decoding: inclusionBytes + [0]) }
        #expect(throws: AuditError.self) { try ConsistencyProof(decoding: consistencyBytes + [0]) }
        let tooLong = InclusionProof(leafIndex: 0, treeSize: 1, path: Array(repeating: MerkleTreeHasher.emptyRoot, count: 65))
        #expect(throws: AuditError.self) { try tooLong.encoded() }
        var badVersion = inclusionBytes
        badVersion[0] = 2
        #expect(throws: AuditError.self) { try InclusionProof(decoding: badVersion) }
    }
}

func ceilLog2(_ n: UInt64) -> Int {
    n <= 1 ? 0 : 64 - (n - 1).leadingZeroBitCount
}
