import Foundation
import Testing
@testable import AccordAudit

/// Cross-signing: KR holds JP's signed heads and detects a JP that rewrote its history.
@Suite struct CrossSigningTests {
    /// JP's honest log with `count` entries, and KR's log holding JP's heads.
    func setUp(count: Int = 10) async throws -> (jp: AuditLog, jpStore: InMemoryAuditStore, kr: AuditLog) {
        let (jp, jpStore) = try await makeLog(party: "JP", count: count, seed: 5, signer: TestKeys.jp)
        let (kr, _) = try await makeLog(party: "KR", count: 0)
        return (jp, jpStore, kr)
    }

    @Test func honestPeerExtendsItsHistory() async throws {
        let (jp, _, kr) = try await setUp()
        let first = try await jp.signTreeHead(now: t0)
        try await kr.recordPeerTreeHead(first, receivedAt: t0, envelopeID: "env-1", verifier: TestKeys.verifier)
        var rng = SplitMix64(seed: 6)
        for _ in 0..<15 { try await jp.append(EventGenerator.event(&rng), at: t0.adding(milliseconds: 1000)) }
        let second = try await jp.signTreeHead(now: t0.adding(milliseconds: 2000))
        let proof = try await jp.consistencyProof(from: first.head.treeSize, to: second.head.treeSize)
        let held = try await kr.recordPeerTreeHead(
            second, receivedAt: t0.adding(milliseconds: 2500), envelopeID: "env-2", proof: proof, verifier: TestKeys.verifier)
        #expect(held.proofFromPrevious == proof)
        #expect(try await kr.store.peerTreeHeads(of: "JP").count == 2)
        let report = try await AuditLogVerifier(party: "KR", store: kr.store, verifier: TestKeys.verifier).verify()
        #expect(report.isValid, "\(report)")
        #expect(report.peerTreeHeadsChecked == 2)
    }

    @Test func peerThatRewroteHistoryIsDetected() async throws {
        let (jp, jpStore, kr) = try await setUp()
        let held = try await jp.signTreeHead(now: t0)
        try await kr.recordPeerTreeHead(held, receivedAt: t0, verifier: TestKeys.verifier)

        // JP rebuilds its log with entry 4 changed, then grows it and signs the new history.
        var entries = try await jpStore.entries(in: 0..<10)
        var changed = try AuditEntry(decoding: entries[4])
        changed = AuditEntry(sequence: 4, timestamp: changed.timestamp, node: "JP", event: .holdingDestroyed(envelopeID: "env-9", method: "never received"))
        entries[4] = try changed.encoded()
        let rewrittenStore = InMemoryAuditStore()
        try await appendRawLeaves(entries, to: rewrittenStore)
        let rewritten = try AuditLog(party: "JP", store: rewrittenStore, signer: TestKeys.jp)
        try await rewritten.append([.accessGranted(user: "jp.analyst", envelopeID: "env-1")], at: t0)
        let current = try await rewritten.signTreeHead(now: t0.adding(milliseconds: 5000))

        // Neither the rewritten log's proof nor the honest log's proof links the heads.
        let rewrittenProof = try await rewritten.consistencyProof(from: 10, to: 11)
        #expect { try CrossSigning.checkConsistency(held: held, current: current, proof: rewrittenProof, verifier: TestKeys.verifier) }
            throws: { ($0 as? AuditError)?.code == .peerHistoryRewritten }
        try await jp.append(.accessGranted(user: "jp.analyst", envelopeID: "env-1"), at: t0)
        let honestProof = try await jp.consistencyProof(from: 10, to: 11)
        #expect { try CrossSigning.checkConsistency(held: held, current: current, proof: honestProof, verifier: TestKeys.verifier) }
            throws: { ($0 as? AuditError)?.code == .peerHistoryRewritten }
        #expect { try CrossSigning.checkConsistency(held: held, current: current, proof: nil, verifier: TestKeys.verifier) }
            throws: { ($0 as? AuditError)?.code == .peerHistoryRewritten }

        // Recording it keeps the evidence and reports the rewrite.
        await #expect {
            try await kr.recordPeerTreeHead(current, receivedAt: t0, proof: rewrittenProof, verifier: TestKeys.verifier)
        } throws: { ($0 as? AuditError)?.code == .peerHistoryRewritten }
        #expect(try await kr.store.peerTreeHeads(of: "JP").count == 2)
    }

    @Test func equivocationAndTruncationAreDetected() async throws {
        let (jp, _, kr) = try await setUp()
        let head = try await jp.signTreeHead(now: t0)
        try await kr.recordPeerTreeHead(head, receivedAt: t0, verifier: TestKeys.verifier)
        let other = try SignedTreeHead(
            signing: TreeHead(log: "JP", treeSize: 10, rootHash: MerkleTreeHasher.emptyRoot, timestamp: t0.adding(milliseconds: 1)),
            with: TestKeys.jp)
        await #expect { try await kr.recordPeerTreeHead(other, receivedAt: t0, verifier: TestKeys.verifier) }
            throws: { ($0 as? AuditError)?.code == .peerEquivocation }
        let report = try await AuditLogVerifier(party: "KR", store: kr.store, verifier: TestKeys.verifier).verify()
        #expect(report.problems.map(\.kind) == [.peerInconsistent])

        let truncated = try SignedTreeHead(
            signing: TreeHead(log: "JP", treeSize: 6, rootHash: try await jp.rootHash(treeSize: 6), timestamp: t0.adding(milliseconds: 10)),
            with: TestKeys.jp)
        let proof = try await jp.consistencyProof(from: 6, to: 10)
        #expect { try CrossSigning.checkConsistency(held: head, current: truncated, proof: proof, verifier: TestKeys.verifier) }
            throws: { ($0 as? AuditError)?.code == .peerHistoryRewritten }
        await #expect { try await kr.recordPeerTreeHead(truncated, receivedAt: t0, verifier: TestKeys.verifier) }
            throws: { ($0 as? AuditError)?.code == .peerHistoryRewritten }
        // An older head arriving late, with no proof, is simply kept.
        let (kr2, _) = try await makeLog(party: "KR", count: 0)
        try await kr2.recordPeerTreeHead(head, receivedAt: t0, verifier: TestKeys.verifier)
        let older = try SignedTreeHead(
            signing: TreeHead(log: "JP", treeSize: 6, rootHash: try await jp.rootHash(treeSize: 6), timestamp: t0.adding(milliseconds: 0)),
            with: TestKeys.jp)
        try await kr2.recordPeerTreeHead(older, receivedAt: t0, verifier: TestKeys.verifier)
        #expect(try await AuditLogVerifier(party: "KR", store: kr2.store, verifier: TestKeys.verifier).verify().isValid)
    }

    @Test func forgedPeerHeadIsRefusedAndNotKept() async throws {
        let (jp, _, kr) = try await setUp()
        let head = try await jp.signTreeHead(now: t0)
        let forged = try SignedTreeHead(signing: head.head, with: TestKeys.mallory)
        await #expect { try await kr.recordPeerTreeHead(forged, receivedAt: t0, verifier: TestKeys.verifier) }
            throws: { ($0 as? AuditError)?.code == .unknownKey }
        let resigned = SignedTreeHead(head: TreeHead(log: "JP", treeSize: 11, rootHash: head.head.rootHash, timestamp: t0), keyID: head.keyID, signature: head.signature)
        await #expect { try await kr.recordPeerTreeHead(resigned, receivedAt: t0, verifier: TestKeys.verifier) }
            throws: { ($0 as? AuditError)?.code == .signatureInvalid }
        #expect(try await kr.store.peerTreeHeads(of: nil).isEmpty)
    }

    @Test func tamperedHeldPeerHeadFailsWholeLogVerification() async throws {
        let (jp, _, kr) = try await setUp()
        try await kr.recordPeerTreeHead(try await jp.signTreeHead(now: t0), receivedAt: t0, verifier: TestKeys.verifier)
        let store = try #require(kr.store as? InMemoryAuditStore)
        store.tamper { state in
            let held = state.peerTreeHeads[0]
            let head = held.head.head
            state.peerTreeHeads[0] = HeldPeerTreeHead(
                head: SignedTreeHead(head: TreeHead(log: "JP", treeSize: head.treeSize + 1, rootHash: head.rootHash, timestamp: head.timestamp),
                                     keyID: held.head.keyID, signature: held.head.signature),
                receivedAt: held.receivedAt)
        }
        let report = try await AuditLogVerifier(party: "KR", store: store, verifier: TestKeys.verifier).verify()
        #expect(report.problems.map(\.kind) == [.peerTreeHeadSignatureInvalid])
    }
}
