import Foundation
import Testing
@testable import AccordAudit

/// Whole-log verification names the first bad entry after any tampering with the store.
@Suite struct VerificationTests {
    static let size = 64

    /// A log of 64 entries with signed heads at 20, 40 and 64.
    func signedLog(seed: UInt64 = 21) async throws -> (AuditLog, InMemoryAuditStore) {
        let (log, store) = try await makeLog(count: 20, seed: seed)
        try await log.signTreeHead(now: t0)
        var rng = SplitMix64(seed: seed &+ 1)
        try await log.append((0..<20).map { _ in EventGenerator.event(&rng) }, at: t0.adding(milliseconds: 1))
        try await log.signTreeHead(now: t0.adding(milliseconds: 2))
        try await log.append((0..<24).map { _ in EventGenerator.event(&rng) }, at: t0.adding(milliseconds: 3))
        try await log.signTreeHead(now: t0.adding(milliseconds: 4))
        return (log, store)
    }

    func verify(_ store: any AuditStore) async throws -> AuditVerificationReport {
        try await AuditLogVerifier(party: "KR", store: store, verifier: TestKeys.verifier, pageSize: 16).verify()
    }

    @Test func untouchedLogVerifies() async throws {
        let (_, store) = try await signedLog()
        let report = try await verify(store)
        #expect(report.isValid, "\(report)")
        #expect(report.entriesChecked == 64)
        #expect(report.treeHeadsChecked == 3)
        #expect(report.description.hasPrefix("OK: 64 of 64 entries"))
    }

    @Test func anySingleBitChangeInAStoredLeafNamesThatEntry() async throws {
        var rng = SplitMix64(seed: 31)
        for _ in 0..<60 {
            let (_, store) = try await signedLog()
            let index = Int(rng.next() % UInt64(Self.size))
            var bit = 0
            store.tamper { state in
                bit = Int(rng.next() % UInt64(state.entries[index].count * 8))
                state.entries[index][bit / 8] ^= UInt8(1 << (bit % 8))
            }
            let report = try await verify(store)
            #expect(report.firstBadEntry?.entryIndex == UInt64(index), "bit \(bit) of entry \(index): \(report)")
            #expect(!report.isValid)
        }
    }

    @Test func droppedLeafIsDetected() async throws {
        for index in [0, 17, 40, 63] {
            let (_, store) = try await signedLog()
            store.tamper { $0.entries.remove(at: index) }
            let report = try await verify(store)
            #expect(report.firstBadEntry?.entryIndex == UInt64(index), "\(report)")
        }
    }

    @Test func swappedPairIsDetected() async throws {
        for index in [0, 31, 62] {
            let (_, store) = try await signedLog()
            store.tamper { $0.entries.swapAt(index, index + 1) }
            let report = try await verify(store)
            #expect(report.firstBadEntry?.entryIndex == UInt64(index))
            #expect(report.firstBadEntry?.kind == .sequenceMismatch)
        }
    }

    @Test func insertedAndAddedEntriesAreDetected() async throws {
        let (_, store) = try await signedLog()
        let forged = try AuditEntry(sequence: 30, timestamp: t0, node: "KR", event: .holdingDestroyed(envelopeID: "env-7", method: "burned")).encoded()
        store.tamper { $0.entries.insert(forged, at: 30) }
        #expect(try await verify(store).firstBadEntry?.entryIndex == 30)

        let (_, appended) = try await signedLog()
        let extra = try AuditEntry(sequence: 64, timestamp: t0, node: "KR", event: .holdingDestroyed(envelopeID: "env-7", method: "burned")).encoded()
        appended.tamper { $0.entries.append(extra) }
        let report = try await verify(appended)
        #expect(report.firstBadEntry?.entryIndex == 64)
        #expect(report.firstBadEntry?.kind == .missingNodeHash)
    }

    @Test func removedTailIsDetected() async throws {
        let (_, store) = try await signedLog()
        let kept = try await store.entries(in: 0..<50)
        let truncated = InMemoryAuditStore()
        try await appendRawLeaves(kept, to: truncated)
        for head in try await store.treeHeads() { try await truncated.appendTreeHead(head) }
        let report = try await verify(truncated)
        #expect(report.firstBadEntry?.kind == .entriesMissing)
        #expect(report.firstBadEntry?.entryIndex == 50)
    }

    @Test func consistentRewriteIsCaughtBySignedHeads() async throws {
        // An insider changes entry 25 and recomputes every stored hash: only the signatures know.
        let (_, store) = try await signedLog()
        var entries = try await store.entries(in: 0..<64)
        entries[25] = try AuditEntry(sequence: 25, timestamp: t0, node: "KR", event: .accessGranted(user: "insider", envelopeID: "env-1")).encoded()
        let rewritten = InMemoryAuditStore()
        try await appendRawLeaves(entries, to: rewritten)
        for head in try await store.treeHeads() { try await rewritten.appendTreeHead(head) }
        let report = try await verify(rewritten)
        #expect(report.problems.map(\.kind) == [.treeHeadMismatch, .treeHeadMismatch])
        #expect(report.problems.first?.message.contains("20..<40") == true, "\(report)")
        // And a proof served from the rewritten store does not verify against the signed root.
        let heads = try await store.treeHeads()
        let proof = try await AuditLog(party: "KR", store: rewritten).inclusionProof(index: 25, treeSize: 40)
        #expect(!proof.isValid(leafHash: MerkleTreeHasher.leafHash(entries[25]), rootHash: heads[1].head.rootHash))
    }

    @Test func forgedOrAlteredTreeHeadIsDetected() async throws {
        let (log, store) = try await signedLog()
        store.tamper { state in
            let h = state.treeHeads[1]
            state.treeHeads[1] = SignedTreeHead(
                head: TreeHead(log: "KR", treeSize: h.head.treeSize, rootHash: MerkleTreeHasher.emptyRoot, timestamp: h.head.timestamp),
                keyID: h.keyID, signature: h.signature)
        }
        #expect(try await verify(store).problems.map(\.kind) == [.treeHeadSignatureInvalid])

        // A head signed by a key KR does not have, over the true root, is refused too.
        let forged = try SignedTreeHead(
            signing: TreeHead(log: "KR", treeSize: 64, rootHash: try await log.rootHash(treeSize: 64), timestamp: t0),
            with: TestKeys.mallory)
        let (_, other) = try await signedLog()
        try await other.appendTreeHead(forged)
        #expect(try await verify(other).problems.map(\.kind) == [.treeHeadSignatureInvalid])
    }

    @Test func alteredStoredInteriorHashIsDetected() async throws {
        let (_, store) = try await signedLog()
        store.tamper { $0.levels[2][3] = MerkleTreeHasher.emptyRoot }  // subtree over entries 12..<16
        let report = try await verify(store)
        #expect(report.firstBadEntry?.kind == .nodeHashMismatch)
        #expect(report.firstBadEntry?.entryIndex == 15)
    }

    @Test func entryFromAnotherNodeIsDetected() async throws {
        let (_, store) = try await signedLog()
        let foreign = try AuditEntry(sequence: 5, timestamp: t0, node: "JP", event: .accessGranted(user: "u", envelopeID: "e")).encoded()
        store.tamper { $0.entries[5] = foreign }
        #expect(try await verify(store).firstBadEntry?.kind == .wrongNode)
    }
}
