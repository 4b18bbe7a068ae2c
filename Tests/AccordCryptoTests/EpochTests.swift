import Foundation
import Testing
@testable import AccordCrypto

@Suite struct EpochTests {
    let world = World.shared

    @Test func announcementRoundTripsAndTamperingIsCaught() throws {
        let (batch, _) = try world.sealedFromKR()
        let announcement = batch.announcements[0]
        let parsed = try EpochAnnouncement(encoded: announcement.encoded)
        #expect(parsed.epochID == announcement.epochID)
        #expect(parsed.encapsulatedKey.count == 1120)
        let opener = EnvelopeOpener(identity: world.jp)
        try opener.accept(parsed, directory: world.directory)
        var bytes = announcement.encoded
        bytes[bytes.count - HybridSignature.size - 500] ^= 0x01  // inside the encapsulated key
        #expect(errorCode { try EnvelopeOpener(identity: world.jp).accept(try EpochAnnouncement(encoded: bytes), directory: world.directory) } == .signatureInvalid)
        #expect(errorCode { _ = try EpochAnnouncement(encoded: announcement.encoded.dropLast()) } == .truncated)
        #expect(errorCode { _ = try EpochAnnouncement(encoded: announcement.encoded + [1]) } == .trailingBytes)
    }

    @Test func aRepeatedAnnouncementIsNotVerifiedAgainButAChangedOneIs() throws {
        let (batch, _) = try world.sealedFromKR()
        let announcement = batch.announcements[0]
        let opener = EnvelopeOpener(identity: world.jp)
        try opener.accept(announcement, directory: world.directory)
        // The same bytes again (senders repeat their current announcements every round) change nothing and need no
        // key: a directory without KR's bundle would fail any verification.
        let withoutKR = KeyDirectory([try PartyKeyBundle(identity: world.jp)])
        try opener.accept(try EpochAnnouncement(encoded: announcement.encoded), directory: withoutKR)
        #expect(errorCode { try EnvelopeOpener(identity: world.jp).accept(announcement, directory: withoutKR) } == .unknownKey)
        // Other bytes for the same epoch are verified as any announcement is.
        var bytes = announcement.encoded
        bytes[bytes.count - HybridSignature.size - 500] ^= 0x01
        #expect(errorCode { try opener.accept(try EpochAnnouncement(encoded: bytes), directory: world.directory) } == .signatureInvalid)
        for envelope in batch.envelopes { _ = try opener.open(envelope, directory: world.directory) }
        #expect(opener.knownEpochCount == 1)
    }

    @Test func epochsRotateByCount() throws {
        let sealer = EnvelopeSealer(identity: world.kr, policy: EpochPolicy(lifetime: 3600, maxMessages: 3))
        let batch = try sealer.sealBatch((0..<7).map { _ in World.draft() }, directory: world.directory, now: Dates.now)
        #expect(batch.announcements.count == 3)
        #expect(Set(batch.envelopes.map(\.header.epochID)).count == 3)
        let opener = EnvelopeOpener(identity: world.jp)
        for announcement in batch.announcements { try opener.accept(announcement, directory: world.directory) }
        for envelope in batch.envelopes { _ = try opener.open(envelope, directory: world.directory) }
        #expect(opener.knownEpochCount == 3)
    }

    @Test func epochsRotateByTime() throws {
        let sealer = EnvelopeSealer(identity: world.kr, policy: EpochPolicy(lifetime: 60, maxMessages: 100))
        let first = try sealer.seal(World.draft(), directory: world.directory, now: Dates.now)
        sealer.announcementsKept(first.announcements)
        let sameEpoch = try sealer.seal(World.draft(), directory: world.directory, now: Dates.now.addingTimeInterval(59))
        let later = try sealer.seal(World.draft(), directory: world.directory, now: Dates.now.addingTimeInterval(61))
        #expect(first.announcements.count == 1 && sameEpoch.announcements.isEmpty && later.announcements.count == 1)
        #expect(first.envelopes[0].header.epochID == sameEpoch.envelopes[0].header.epochID)
        #expect(first.envelopes[0].header.epochID != later.envelopes[0].header.epochID)
        let opener = EnvelopeOpener(identity: world.jp)
        try opener.accept(first.announcements[0], directory: world.directory)
        opener.forgetEpochs(endedBefore: Dates.now.addingTimeInterval(120))
        #expect(errorCode { _ = try opener.open(sameEpoch.envelopes[0], directory: world.directory) } == .unknownEpoch)
    }

    @Test func anEnvelopeDatedOutsideItsEpochIsRefused() throws {
        let sealer = EnvelopeSealer(identity: world.kr, policy: EpochPolicy(lifetime: 60))
        let batch = try sealer.seal(World.draft(), directory: world.directory, now: Dates.now)
        let opener = EnvelopeOpener(identity: world.jp)
        try opener.accept(batch.announcements[0], directory: world.directory)
        let h = batch.envelopes[0].header
        let keys = try #require(sealer.testingKeys(for: "JP"))
        let late = EnvelopeHeader(
            id: h.id, originator: h.originator, sender: h.sender, recipient: h.recipient, agreementID: h.agreementID,
            originatorLabel: h.originatorLabel, recipientLabel: h.recipientLabel, purpose: h.purpose,
            createdAt: h.createdAt.addingTimeInterval(3600), senderKeyID: h.senderKeyID, epochID: h.epochID, nonce: h.nonce,
            payloadDigest: h.payloadDigest, labelBinding: h.labelBinding, relay: nil)
        let envelope = Envelope(
            header: late, headerBytes: late.encoded, proof: batch.envelopes[0].proof, root: batch.envelopes[0].root,
            ciphertext: try EnvelopeSealer.sealPayload(World.draft().payload, headerBytes: late.encoded, keys: keys, nonce: h.nonce))
        #expect(errorCode { _ = try opener.open(envelope, directory: world.directory) } == .epochExpired)
    }

    @Test func anEpochOfAnotherSenderIsRefused() throws {
        // JP→US epoch id reused by a KR→US envelope.
        let jpToUS = try EnvelopeSealer(identity: world.jp).seal(World.draft(to: "US"), directory: world.directory, now: Dates.now)
        let (krToUS, usOpener) = try world.sealedFromKR(to: world.us)
        try usOpener.accept(jpToUS.announcements[0], directory: world.directory)
        let h = krToUS.envelopes[0].header
        let swapped = EnvelopeHeader(
            id: h.id, originator: h.originator, sender: h.sender, recipient: h.recipient, agreementID: h.agreementID,
            originatorLabel: h.originatorLabel, recipientLabel: h.recipientLabel, purpose: h.purpose, createdAt: h.createdAt,
            senderKeyID: h.senderKeyID, epochID: jpToUS.envelopes[0].header.epochID, nonce: h.nonce,
            payloadDigest: h.payloadDigest, labelBinding: h.labelBinding, relay: nil)
        let envelope = Envelope(
            header: swapped, headerBytes: swapped.encoded, proof: krToUS.envelopes[0].proof, root: krToUS.envelopes[0].root,
            ciphertext: krToUS.envelopes[0].ciphertext)
        #expect(errorCode { _ = try usOpener.open(envelope, directory: world.directory) } == .epochMismatch)
    }

    @Test func aRotatedRecipientKeyStartsANewEpochAndOldKeysStillAccept() throws {
        let jpNew = try NodeIdentity(party: "JP", seeds: World.seeds(0x80), notBefore: Dates.now.addingTimeInterval(10), notAfter: Dates.end2030, certificateDER: nil)
        var directory = world.directory
        directory.add(try PartyKeyBundle(identity: jpNew))
        let sealer = EnvelopeSealer(identity: world.kr)
        let before = try sealer.seal(World.draft(), directory: directory, now: Dates.now)
        let after = try sealer.seal(World.draft(), directory: directory, now: Dates.now.addingTimeInterval(20))
        #expect(before.announcements[0].recipientKeyID == world.jp.keyID)
        #expect(after.announcements[0].recipientKeyID == jpNew.keyID)
        let opener = EnvelopeOpener(identity: jpNew, previousIdentities: [world.jp])
        try opener.accept(before.announcements[0], directory: directory)
        try opener.accept(after.announcements[0], directory: directory)
        _ = try opener.open(before.envelopes[0], directory: directory)
        _ = try opener.open(after.envelopes[0], directory: directory)
        let withoutOld = EnvelopeOpener(identity: jpNew)
        #expect(errorCode { try withoutOld.accept(before.announcements[0], directory: directory) } == .unknownKey)
    }

    @Test func noncesFollowTheSequence() throws {
        let keys = try EpochKeys(secret: [UInt8](repeating: 7, count: 32), epochID: EpochID(bytes: [UInt8](repeating: 1, count: 16)))
        #expect(keys.nonce(sequence: 0) == keys.nonceBase)
        var expected = keys.nonceBase
        expected[11] ^= 0x01
        expected[4] ^= 0x02
        #expect(keys.nonce(sequence: 0x0200_0000_0000_0001) == expected)
        #expect(errorCode { _ = try EpochKeys(secret: [1, 2], epochID: .random()) } == .invalidArgument)
    }
}
