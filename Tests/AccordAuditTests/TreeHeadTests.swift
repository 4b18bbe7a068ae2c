import Foundation
import Testing
@testable import AccordAudit

/// Signed tree heads: signing input, signatures, wire form, schedule.
@Suite struct TreeHeadTests {
    @Test func signingInputMatchesPinnedVector() throws {
        let root = try MerkleHash(hex: RFC9162Vectors.roots[4])
        let head = TreeHead(log: "KR", treeSize: 5, rootHash: root, timestamp: t0)
        #expect(try head.signingInput(keyID: "ed25519:0011223344556677").hex == RFC9162Vectors.treeHeadSigningInput)
    }

    @Test func signedHeadsVerifyAndForgeriesDoNot() async throws {
        let (log, _) = try await makeLog(count: 9)
        let signed = try await log.signTreeHead(now: t0)
        try signed.verify(with: TestKeys.verifier)
        #expect(signed.head.treeSize == 9)
        #expect(signed.head.rootHash == (try await log.rootHash(treeSize: 9)))

        let forgeries = [
            SignedTreeHead(head: TreeHead(log: "KR", treeSize: 8, rootHash: signed.head.rootHash, timestamp: t0), keyID: signed.keyID, signature: signed.signature),
            SignedTreeHead(head: TreeHead(log: "KR", treeSize: 9, rootHash: MerkleTreeHasher.emptyRoot, timestamp: t0), keyID: signed.keyID, signature: signed.signature),
            SignedTreeHead(head: TreeHead(log: "KR", treeSize: 9, rootHash: signed.head.rootHash, timestamp: t0.adding(milliseconds: 1)), keyID: signed.keyID, signature: signed.signature),
            SignedTreeHead(head: TreeHead(log: "JP", treeSize: 9, rootHash: signed.head.rootHash, timestamp: t0), keyID: signed.keyID, signature: signed.signature),
            try SignedTreeHead(signing: signed.head, with: TestKeys.mallory),
        ]
        for forged in forgeries {
            #expect(throws: AuditError.self) { try forged.verify(with: TestKeys.verifier) }
        }
        var flipped = signed.signature
        flipped[10] ^= 0x04
        #expect { try SignedTreeHead(head: signed.head, keyID: signed.keyID, signature: flipped).verify(with: TestKeys.verifier) }
            throws: { ($0 as? AuditError)?.code == .signatureInvalid }
        #expect { try forgeries[4].verify(with: TestKeys.verifier) } throws: { ($0 as? AuditError)?.code == .unknownKey }
    }

    @Test func wireFormRoundTripsAndDecodesStrictly() async throws {
        let (log, _) = try await makeLog(count: 3)
        let signed = try await log.signTreeHead(now: t0)
        let bytes = try signed.encoded()
        let decoded = try SignedTreeHead(decoding: bytes)
        #expect(decoded == signed)
        try decoded.verify(with: TestKeys.verifier)
        for cut in 0..<bytes.count {
            #expect(throws: AuditError.self) { try SignedTreeHead(decoding: bytes.prefix(cut)) }
        }
        #expect(throws: AuditError.self) { try SignedTreeHead(decoding: bytes + [1]) }
        var badVersion = bytes
        badVersion[0] = 0
        #expect(throws: AuditError.self) { try SignedTreeHead(decoding: badVersion) }
        // A size or timestamp beyond a signed 64-bit integer (how stores keep them) is refused, not a trap later.
        let name = Array(signed.head.log.utf8)
        let all = Array(bytes)
        let start = try #require((0...(all.count - name.count)).first { (index: Int) -> Bool in Array(all[index..<(index + name.count)]) == name })
        let sizeAt = start + name.count
        #expect(Array(all[sizeAt..<(sizeAt + 8)]) == [0, 0, 0, 0, 0, 0, 0, 3])
        for field in [sizeAt, sizeAt + 8] {
            var huge = all
            huge[field] = 0x80
            #expect(throws: AuditError.self) { try SignedTreeHead(decoding: huge) }
        }
    }

    @Test func signingNeedsASigner() async throws {
        let log = try AuditLog(party: "KR", store: InMemoryAuditStore())
        await #expect { try await log.signTreeHead(now: t0) } throws: { ($0 as? AuditError)?.code == .signingFailed }
        #expect(throws: AuditError.self) { try AuditLog(party: "K R", store: InMemoryAuditStore()) }
    }

    @Test func scheduleSignsWhenDue() async throws {
        let schedule = TreeHeadSchedule(interval: 60_000, maxUnsignedEntries: 10, heartbeat: 3_600_000)
        let (log, _) = try await makeLog(count: 2)
        // No head yet: due at once.
        #expect(try await log.signTreeHeadIfDue(schedule: schedule, now: t0) != nil)
        // Nothing new, heartbeat not reached.
        #expect(try await log.signTreeHeadIfDue(schedule: schedule, now: t0.adding(milliseconds: 120_000)) == nil)
        try await log.append(.accessGranted(user: "kr.analyst1", envelopeID: "env-1"), at: t0)
        // One new entry, interval not yet passed.
        #expect(try await log.signTreeHeadIfDue(schedule: schedule, now: t0.adding(milliseconds: 30_000)) == nil)
        // Interval passed.
        let head = try await log.signTreeHeadIfDue(schedule: schedule, now: t0.adding(milliseconds: 60_000))
        #expect(head?.head.treeSize == 3)
        // Ten pending entries: due even immediately.
        for i in 0..<10 { try await log.append(.accessGranted(user: "u\(i)", envelopeID: "env-1"), at: t0) }
        #expect(try await log.signTreeHeadIfDue(schedule: schedule, now: t0.adding(milliseconds: 60_001))?.head.treeSize == 13)
        // Heartbeat with no change.
        #expect(try await log.signTreeHeadIfDue(schedule: schedule, now: t0.adding(milliseconds: 3_700_000)) != nil)
        #expect(try await log.store.treeHeads().count == 4)
    }
}
