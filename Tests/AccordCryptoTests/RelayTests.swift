import Crypto
import Foundation
import Testing
@testable import AccordCrypto

/// KR seals for the US; the US relays to JP with KR's consent (the TISA path).
@Suite struct RelayTests {
    let world = World.shared

    struct Path {
        let original: Envelope
        let payload: [UInt8]
        let usSealer: EnvelopeSealer
        let jpOpener: EnvelopeOpener
    }

    func received() throws -> Path {
        let (batch, usOpener) = try world.sealedFromKR(to: world.us)
        let opened = try usOpener.open(batch.envelopes[0], directory: world.directory)
        return Path(
            original: opened.envelope, payload: opened.payload, usSealer: EnvelopeSealer(identity: world.us),
            jpOpener: EnvelopeOpener(identity: world.jp))
    }

    func relay(_ path: Path, consent: Consent, to recipient: String = "JP", payload: [UInt8]? = nil) throws -> Envelope {
        let attachment = try RelayAttachment(relaying: path.original, consent: consent)
        let draft = EnvelopeDraft(
            relaying: attachment, to: recipient, agreementID: "tisa-2014", recipientLabel: World.jpLabel,
            purpose: "missile-warning", payload: payload ?? path.payload)
        let batch = try path.usSealer.seal(draft, directory: world.directory, now: Dates.now.addingTimeInterval(60))
        for announcement in batch.announcements where announcement.recipient == "JP" {
            try path.jpOpener.accept(announcement, directory: world.directory)
        }
        return batch.envelopes[0]
    }

    func consent(intermediary: String = "US", finalRecipient: String = "JP", scope: ConsentScope) throws -> Consent {
        try Consent.issue(by: world.kr, intermediary: intermediary, finalRecipient: finalRecipient, scope: scope, issuedAt: Dates.now)
    }

    @Test func relayWithPerEnvelopeConsentOpensForTheFinalRecipient() throws {
        let path = try received()
        let envelope = try relay(path, consent: try consent(scope: .envelope(path.original.id)))
        let opened = try path.jpOpener.open(encoded: envelope.encoded, directory: world.directory)
        #expect(opened.header.originator == "KR")
        #expect(opened.header.sender == "US")
        #expect(opened.payload == path.payload)
        #expect(opened.header.relay?.originatorHeader.id == path.original.id)
    }

    @Test func batchSignedConsentsVerifyOnceAndRelay() throws {
        let path = try received()
        let requests = [Consent.Request(intermediary: "US", finalRecipient: "JP", scope: .envelope(path.original.id))]
            + (0..<4).map { _ in Consent.Request(intermediary: "US", finalRecipient: "JP", scope: .envelope(.random())) }
        let consents = try Consent.issueBatch(by: world.kr, requests, issuedAt: Dates.now)
        #expect(consents.count == 5)
        let cache = VerifiedRootCache()
        for consent in consents {
            let parsed = try Consent(encoded: consent.encoded)
            #expect(parsed.encoded == consent.encoded)
            try parsed.verify(directory: world.directory, cache: cache)
        }
        #expect(cache.count == 1)  // one root, verified once
        // The final recipient opens a relay carrying a version-2 consent.
        let envelope = try relay(path, consent: consents[0])
        #expect(try path.jpOpener.open(encoded: envelope.encoded, directory: world.directory).header.relay?.originatorHeader.id == path.original.id)
        // A consent moved into another batch's proof, or a flipped byte in its body, does not verify.
        var tampered = consents[1].encoded
        tampered[40] ^= 0x01
        #expect(throws: AccordCryptoError.self) { try Consent(encoded: tampered).verify(directory: world.directory, cache: cache) }
        let other = try Consent.issueBatch(by: world.kr, [requests[1], requests[2]], issuedAt: Dates.now)
        let foreign = try Consent.issueBatch(by: world.us, [requests[1]], issuedAt: Dates.now)
        guard case .batch(_, let ownRoot) = consents[1].authentication, case .batch(_, let otherRoot) = other[0].authentication,
              case .batch(_, let usRoot) = foreign[0].authentication else {
            Issue.record("not batch-signed"); return
        }
        let body = Array(consents[1].encoded.dropLast(ownRoot.encoded.count))
        // Another KR batch's root: the proof does not lead to it.
        #expect(throws: AccordCryptoError.self) { try Consent(encoded: body + otherRoot.encoded).verify(directory: world.directory, cache: cache) }
        // A root signed by someone else than the consent's originator.
        #expect(throws: AccordCryptoError.self) { try Consent(encoded: body + usRoot.encoded).verify(directory: world.directory, cache: cache) }
        #expect(try Consent(encoded: body + ownRoot.encoded).encoded == consents[1].encoded)
    }

    @Test func scopedConsentIsCheckedThroughTheEvaluator() throws {
        let path = try received()
        let scope = ConsentScope.scope(
            topics: ["nk-missile"], levelCeiling: "KR//II", notBefore: Dates.normalised2023, notAfter: Dates.end2030)
        let envelope = try relay(path, consent: try consent(scope: scope))
        _ = try path.jpOpener.open(envelope, directory: world.directory) { scope, label in
            guard case .scope(let topics, _, _, _) = scope else { return false }
            return topics.contains { label.contains("TOPIC \($0)") }
        }
        #expect(errorCode { _ = try path.jpOpener.open(envelope, directory: world.directory) { _, _ in false } } == .consentNotCovering)
        #expect(errorCode { _ = try path.jpOpener.open(envelope, directory: world.directory) } == .consentNotCovering)
    }

    @Test func consentOutsideItsPeriodDoesNotCover() throws {
        let path = try received()
        let scope = ConsentScope.scope(topics: ["nk-missile"], levelCeiling: "KR//II", notBefore: Dates.signed2016, notAfter: Dates.normalised2023)
        let envelope = try relay(path, consent: try consent(scope: scope))
        #expect(errorCode { _ = try path.jpOpener.open(envelope, directory: world.directory) { _, _ in true } } == .consentNotCovering)
    }

    @Test func consentForAnotherRecipientOrIntermediaryOrEnvelopeDoesNotCover() throws {
        let path = try received()
        let cases = [
            try consent(finalRecipient: "CN", scope: .envelope(path.original.id)),
            try consent(intermediary: "GB", scope: .envelope(path.original.id)),
            try consent(scope: .envelope(EnvelopeID.random())),
        ]
        for consent in cases {
            let envelope = try relay(path, consent: consent)
            #expect(errorCode { _ = try path.jpOpener.open(envelope, directory: world.directory) } == .consentNotCovering)
        }
    }

    @Test func consentSignedByAnotherPartyDoesNotCover() throws {
        let path = try received()
        let forged = try Consent.issue(
            by: world.us, intermediary: "US", finalRecipient: "JP", scope: .envelope(path.original.id), issuedAt: Dates.now)
        let envelope = try relay(path, consent: forged)
        #expect(errorCode { _ = try path.jpOpener.open(envelope, directory: world.directory) } == .consentNotCovering)
    }

    @Test func relayWithoutTheOriginatorsHeaderAndConsentIsRefused() throws {
        let path = try received()
        // The intermediary claims KR as originator but attaches nothing: build the header by hand.
        let sealer = path.usSealer
        let batch = try sealer.seal(World.draft(to: "JP"), directory: world.directory, now: Dates.now)
        for announcement in batch.announcements { try path.jpOpener.accept(announcement, directory: world.directory) }
        let honest = batch.envelopes[0]
        let forgedBytes = try reseal(honest, originator: "KR", sealer: sealer)
        #expect(errorCode { _ = try path.jpOpener.open(encoded: forgedBytes, directory: world.directory) } == .relayWithoutConsent)
    }

    @Test func intermediaryChangingTheOriginatorLabelOrPayloadIsCaught() throws {
        let path = try received()
        let consent = try consent(scope: .envelope(path.original.id))
        let attachment = try RelayAttachment(relaying: path.original, consent: consent)
        var draft = EnvelopeDraft(
            relaying: attachment, to: "JP", agreementID: "tisa-2014", recipientLabel: World.jpLabel,
            purpose: "missile-warning", payload: path.payload)
        draft.originatorLabel = "KR//III//REL TO JP,US//TOPIC nk-missile"
        let batch = try path.usSealer.seal(draft, directory: world.directory, now: Dates.now)
        for announcement in batch.announcements { try path.jpOpener.accept(announcement, directory: world.directory) }
        #expect(errorCode { _ = try path.jpOpener.open(batch.envelopes[0], directory: world.directory) } == .labelTampered)
        let altered = try relay(path, consent: consent, payload: Array("something else".utf8))
        #expect(errorCode { _ = try path.jpOpener.open(altered, directory: world.directory) } == .relayMismatch)
    }

    @Test func relayingAnEnvelopeAddressedToSomeoneElseIsRefusedAtSealing() throws {
        let (batch, jpOpener) = try world.sealedFromKR(to: world.jp)
        let opened = try jpOpener.open(batch.envelopes[0], directory: world.directory)
        let attachment = try RelayAttachment(
            relaying: opened.envelope, consent: try consent(scope: .envelope(opened.envelope.id)))
        let draft = EnvelopeDraft(
            relaying: attachment, to: "JP", agreementID: "tisa-2014", recipientLabel: World.jpLabel, purpose: "p", payload: opened.payload)
        #expect(errorCode { _ = try EnvelopeSealer(identity: world.us).seal(draft, directory: world.directory, now: Dates.now) } == .invalidArgument)
    }

    @Test func consentRoundTripsAndRejectsBadBytes() throws {
        let scope = ConsentScope.scope(topics: ["nk-missile", "sat"], levelCeiling: "KR//II", notBefore: Dates.signed2016, notAfter: Dates.end2030)
        let consent = try consent(scope: scope)
        let parsed = try Consent(encoded: consent.encoded)
        #expect(parsed.scope == consent.scope)
        try parsed.verify(directory: world.directory)
        #expect(errorCode { _ = try Consent(encoded: consent.encoded.dropLast()) } == .truncated)
        #expect(errorCode { _ = try Consent(encoded: consent.encoded + [9]) } == .trailingBytes)
        var bytes = consent.encoded
        let at = try #require(firstRange(of: Array("JP".utf8), in: bytes))
        bytes[at] = UInt8(ascii: "C")
        #expect(errorCode { try Consent(encoded: bytes).verify(directory: world.directory) } == .signatureInvalid)
    }

    /// Re-seals `envelope`'s plaintext with a forged originator field, signed honestly by `sealer`'s node.
    private func reseal(_ envelope: Envelope, originator: String, sealer: EnvelopeSealer) throws -> [UInt8] {
        let h = envelope.header
        let epochKeys = try #require(sealer.testingKeys(for: h.recipient))
        let forged = EnvelopeHeader(
            id: h.id, originator: originator, sender: h.sender, recipient: h.recipient, agreementID: h.agreementID,
            originatorLabel: h.originatorLabel, recipientLabel: h.recipientLabel, purpose: h.purpose, createdAt: h.createdAt,
            senderKeyID: h.senderKeyID, epochID: h.epochID, nonce: h.nonce, payloadDigest: h.payloadDigest,
            labelBinding: h.labelBinding, relay: nil)
        let headerBytes = forged.encoded
        let tree = try MerkleTree(leaves: [Array(SHA256.hash(data: headerBytes))])
        let root = try SignedBatchRoot.sign(tree: tree, identity: sealer.identity, at: h.createdAt)
        let ciphertext = try EnvelopeSealer.sealPayload(World.draft().payload, headerBytes: headerBytes, keys: epochKeys, nonce: h.nonce)
        return Envelope(header: forged, headerBytes: headerBytes, proof: BatchProof(leafIndex: 0, treeSize: 1, path: []), root: root, ciphertext: ciphertext).encoded
    }
}
