import Foundation
import Testing
@testable import AccordCrypto

@Suite struct EnvelopeTests {
    let world = World.shared

    @Test func sealThenOpenRoundTripsThroughBytes() throws {
        let (batch, opener) = try world.sealedFromKR()
        #expect(batch.announcements.count == 1)
        let bytes = batch.envelopes[0].encoded
        let opened = try opener.open(encoded: bytes, directory: world.directory)
        #expect(opened.payload == World.draft().payload)
        #expect(opened.header.originator == "KR")
        #expect(opened.header.sender == "KR")
        #expect(opened.header.recipient == "JP")
        #expect(opened.header.originatorLabel == World.krLabel)
        #expect(opened.header.recipientLabel == World.jpLabel)
        #expect(opened.header.agreementID == "kr-jp-gsomia-2016")
        #expect(opened.header.createdAt == Dates.now)
        #expect(try Envelope(encoded: bytes) == batch.envelopes[0])
    }

    @Test func aBatchSharesOneSignedRootAndEachEnvelopeOpens() throws {
        let (batch, opener) = try world.sealedFromKR(count: 13)
        #expect(Set(batch.envelopes.map(\.root.root)).count == 1)
        #expect(Set(batch.envelopes.map(\.header.nonce)).count == 13)
        for envelope in batch.envelopes {
            _ = try opener.open(encoded: envelope.encoded, directory: world.directory)
        }
        #expect(opener.rootCache.count == 1)
    }

    @Test func aMixedBatchSealsForEachRecipientUnderItsOwnEpoch() throws {
        let sealer = EnvelopeSealer(identity: world.kr)
        let drafts = [World.draft(to: "JP"), World.draft(to: "US"), World.draft(to: "JP")]
        let batch = try sealer.sealBatch(drafts, directory: world.directory, now: Dates.now)
        #expect(batch.announcements.map(\.recipient).sorted() == ["JP", "US"])
        let jpOpener = EnvelopeOpener(identity: world.jp)
        let usOpener = EnvelopeOpener(identity: world.us)
        for announcement in batch.announcements {
            let opener = announcement.recipient == "JP" ? jpOpener : usOpener
            try opener.accept(announcement, directory: world.directory)
        }
        _ = try jpOpener.open(batch.envelopes[0], directory: world.directory)
        _ = try usOpener.open(batch.envelopes[1], directory: world.directory)
        _ = try jpOpener.open(batch.envelopes[2], directory: world.directory)
        // Until the caller says a batch carrying the announcements was kept, every batch in those epochs carries them.
        let unkept = try sealer.seal(World.draft(), directory: world.directory, now: Dates.now)
        #expect(unkept.announcements.map(\.encoded) == batch.announcements.filter { $0.recipient == "JP" }.map(\.encoded))
        sealer.announcementsKept(batch.announcements)
        let next = try sealer.seal(World.draft(), directory: world.directory, now: Dates.now)
        #expect(next.announcements.isEmpty)
        #expect(next.envelopes[0].header.epochID == unkept.envelopes[0].header.epochID)
        _ = try jpOpener.open(next.envelopes[0], directory: world.directory)
    }

    @Test func theIdIsExposedForReplayDetection() throws {
        let (batch, opener) = try world.sealedFromKR()
        let first = try opener.open(encoded: batch.envelopes[0].encoded, directory: world.directory)
        let replayed = try opener.open(encoded: batch.envelopes[0].encoded, directory: world.directory)
        #expect(first.envelope.id == replayed.envelope.id)
        #expect(first.envelope.id == batch.envelopes[0].id)
    }

    @Test func wrongRecipientIsRefused() throws {
        let (batch, _) = try world.sealedFromKR()
        let usOpener = EnvelopeOpener(identity: world.us)
        #expect(errorCode { _ = try usOpener.open(batch.envelopes[0], directory: world.directory) } == .wrongRecipient)
        #expect(errorCode { try usOpener.accept(batch.announcements[0], directory: world.directory) } == .wrongRecipient)
    }

    @Test func unknownEpochIsRefused() throws {
        let (batch, _) = try world.sealedFromKR()
        let fresh = EnvelopeOpener(identity: world.jp)
        #expect(errorCode { _ = try fresh.open(batch.envelopes[0], directory: world.directory) } == .unknownEpoch)
    }

    @Test func expiredSenderKeyIsRefused() throws {
        let oldKR = try NodeIdentity(
            party: "KR", seeds: World.seeds(0x50), notBefore: Dates.signed2016, notAfter: Dates.normalised2023, certificateDER: nil)
        var directory = world.directory
        directory.add(try PartyKeyBundle(identity: oldKR))
        let batch = try EnvelopeSealer(identity: oldKR).seal(World.draft(), directory: directory, now: Dates.now)
        let opener = EnvelopeOpener(identity: world.jp)
        // The epoch announcement is signed with a key that had expired when the epoch started.
        #expect(errorCode { try opener.accept(batch.announcements[0], directory: directory) } == .keyExpired)
    }

    @Test func envelopeSignedAfterKeyExpiryIsRefusedEvenWithAKnownEpoch() throws {
        let (batch, opener) = try world.sealedFromKR()
        // Replace KR's bundle by one that expired before the envelope was made (same keys, shorter validity).
        let shortKR = try NodeIdentity(
            party: "KR", seeds: World.seeds(0x10), notBefore: Dates.signed2016, notAfter: Dates.normalised2023,
            certificateDER: world.kr.certificateDER)
        var directory = world.directory
        directory.add(try PartyKeyBundle(identity: shortKR))
        #expect(errorCode { _ = try opener.open(batch.envelopes[0], directory: directory) } == .keyExpired)
    }

    @Test func tamperedLabelIsRefused() throws {
        let (batch, opener) = try world.sealedFromKR()
        let envelope = batch.envelopes[0]
        let bytes = envelope.encoded
        let label = Array(World.krLabel.utf8)
        let at = try #require(firstRange(of: label, in: bytes))
        var tampered = bytes
        tampered[at + 3] = UInt8(ascii: "I")  // KR//II → KR//I I... one byte
        #expect(errorCode { _ = try opener.open(encoded: tampered, directory: world.directory) } == .labelTampered)
        var recipientTampered = bytes
        let at2 = try #require(firstRange(of: Array(World.jpLabel.utf8), in: bytes))
        recipientTampered[at2 + 4] ^= 0x01
        #expect(errorCode { _ = try opener.open(encoded: recipientTampered, directory: world.directory) } == .labelTampered)
    }

    @Test func tamperedHeaderFieldIsRefused() throws {
        let (batch, opener) = try world.sealedFromKR()
        let bytes = batch.envelopes[0].encoded
        let at = try #require(firstRange(of: Array("missile-warning".utf8), in: bytes))
        var tampered = bytes
        tampered[at] = UInt8(ascii: "n")
        #expect(errorCode { _ = try opener.open(encoded: tampered, directory: world.directory) } == .headerTampered)
    }

    @Test func tamperedCiphertextIsRefused() throws {
        let (batch, opener) = try world.sealedFromKR()
        var bytes = batch.envelopes[0].encoded
        bytes[bytes.count - 100] ^= 0x80
        #expect(errorCode { _ = try opener.open(encoded: bytes, directory: world.directory) } == .ciphertextTampered)
        var tag = batch.envelopes[0].encoded
        tag[tag.count - 1] ^= 0x01
        #expect(errorCode { _ = try opener.open(encoded: tag, directory: world.directory) } == .ciphertextTampered)
    }

    @Test func rootSignatureValidInOneHalfOnlyIsRefused() throws {
        let (batch, opener) = try world.sealedFromKR()
        let bytes = batch.envelopes[0].encoded
        let signature = batch.envelopes[0].root.signature
        _ = try opener.open(encoded: bytes, directory: world.directory)  // the valid root is now cached
        let edAt = try #require(firstRange(of: signature.ed25519, in: bytes))
        var badEd = bytes
        badEd[edAt + 5] ^= 0x01
        #expect(errorCode { _ = try opener.open(encoded: badEd, directory: world.directory) } == .ed25519SignatureInvalid)
        var badML = bytes
        badML[edAt + 64 + 100] ^= 0x01
        #expect(errorCode { _ = try opener.open(encoded: badML, directory: world.directory) } == .mldsaSignatureInvalid)
    }

    @Test func everyTruncationIsATypedError() throws {
        let (batch, _) = try world.sealedFromKR(count: 3)
        let bytes = batch.envelopes[1].encoded
        for length in stride(from: 0, to: bytes.count, by: 7) {
            let code = errorCode { _ = try Envelope(encoded: bytes.prefix(length)) }
            #expect(code == .truncated, "prefix of \(length) bytes gave \(String(describing: code))")
        }
    }

    @Test func trailingBytesAndOversizedInputAreRefused() throws {
        let (batch, _) = try world.sealedFromKR()
        #expect(errorCode { _ = try Envelope(encoded: batch.envelopes[0].encoded + [0]) } == .trailingBytes)
        let huge = [UInt8](repeating: 0, count: 16 * 1024 * 1024 + 1)
        #expect(errorCode { _ = try Envelope(encoded: huge) } == .oversized)
        var bytes = batch.envelopes[0].encoded
        bytes[0] = 3
        #expect(errorCode { _ = try Envelope(encoded: bytes) } == .wrongStructure)
        var version = batch.envelopes[0].encoded
        version[1 + Int(version[0])] = 4
        #expect(errorCode { _ = try Envelope(encoded: version) } == .unsupportedVersion)
        // Version 3 is only for a relayed envelope whose attachment is detached.
        version[1 + Int(version[0])] = 3
        #expect(errorCode { _ = try Envelope(encoded: version) } == .wrongStructure)
    }

    @Test func emptyOrOversizedDraftsAreRefused() throws {
        let sealer = EnvelopeSealer(identity: world.kr)
        #expect(errorCode { _ = try sealer.sealBatch([], directory: world.directory, now: Dates.now) } == .invalidArgument)
        var draft = World.draft()
        draft.purpose = String(repeating: "x", count: 5000)
        #expect(errorCode { _ = try sealer.seal(draft, directory: world.directory, now: Dates.now) } == .oversized)
        #expect(errorCode { _ = try sealer.seal(World.draft(to: "CN"), directory: world.directory, now: Dates.now) } == .unknownKey)
    }
}

func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard needle.count <= haystack.count else { return nil }
    for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
        return start
    }
    return nil
}
