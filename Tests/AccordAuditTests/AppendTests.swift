import Foundation
import Testing
@testable import AccordAudit

/// Appending: atomic batches, concurrent writers, reading back.
@Suite struct AppendTests {
    @Test func entriesAreNumberedAndReadBack() async throws {
        let (log, _) = try await makeLog(count: 0)
        let first = try await log.append(.accessGranted(user: "kr.analyst1", envelopeID: "env-1"), at: t0)
        let batch = try await log.append([
            .holdingDestroyed(envelopeID: "env-1", method: "shredded"),
            .keyRotated(purpose: "signing", oldKeyID: "k1", newKeyID: "k2"),
        ], at: t0.adding(milliseconds: 5))
        #expect(first.sequence == 0)
        #expect(batch.map(\.sequence) == [1, 2])
        #expect(try await log.size() == 3)
        #expect(try await log.entry(at: 2) == batch[1])
        #expect(try await log.entries(in: 0..<10).count == 3)
        await #expect(throws: AuditError.self) { try await log.entry(at: 3) }
        #expect(try await log.leafHash(at: 1) == (try batch[0].leafHash()))
    }

    @Test func aBatchWithOneBadEventWritesNothing() async throws {
        let (log, store) = try await makeLog(count: 4)
        await #expect(throws: AuditError.self) {
            try await log.append([
                .accessGranted(user: "ok", envelopeID: "env-1"),
                .accessGranted(user: "not ok", envelopeID: "env-1"),
            ], at: t0)
        }
        #expect(try await store.size() == 4)
        #expect(try await AuditLogVerifier(party: "KR", store: store, verifier: TestKeys.verifier).verify().isValid)
    }

    @Test func storeRefusesABatchThatDoesNotFollowOn() async throws {
        let (_, store) = try await makeLog(count: 4)
        await #expect { try await store.append { _ in
            (AuditAppendBatch(startIndex: 2, entries: [], nodes: [], frontier: MerkleFrontier()), ())
        } } throws: { ($0 as? AuditError)?.code == .storeInconsistent }
    }

    @Test func concurrentWritersNeverForkTheTree() async throws {
        let (log, store) = try await makeLog(count: 0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for i in 0..<40 {
                        try await log.append(.accessGranted(user: "w\(writer)-\(i)", envelopeID: "env-1"), at: t0)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.size() == 320)
        let entries = try await log.entries(in: 0..<320)
        #expect(entries.map(\.sequence) == Array(0..<320))
        #expect(Set(entries.map(\.event)).count == 320)
        #expect(try await AuditLogVerifier(party: "KR", store: store, verifier: TestKeys.verifier).verify().isValid)
    }

    @Test func inclusionProofPrintsReadably() async throws {
        let (log, _) = try await makeLog(count: 6)
        let proof = try await log.inclusionProof(index: 4)
        let text = proof.formatted(
            leafHash: try await log.leafHash(at: 4), rootHash: try await log.rootHash(treeSize: 6),
            entry: try await log.entry(at: 4))
        #expect(text.hasPrefix("inclusion proof for entry 4 in a tree of 6 entries\nentry:     #4 "))
        #expect(text.contains("step  1:   right "))
        #expect(text.contains("step  2:   left "))
        #expect(text.hasSuffix("result:    VALID"))
        let wrong = proof.formatted(leafHash: MerkleTreeHasher.emptyRoot, rootHash: try await log.rootHash(treeSize: 6))
        #expect(wrong.hasSuffix("result:    INVALID"))
    }
}
