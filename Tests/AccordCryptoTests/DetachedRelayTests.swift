import Crypto
import Foundation
import Testing
@testable import AccordCrypto

/// A relayed envelope in its detached form (version 3): the relay attachment names the originator's batch root
/// and its consent's root by digest, and both travel beside it (`docs/envelope.md`, "Relayed envelopes, detached").
@Suite struct DetachedRelayTests {
    let world = World.shared
    let relayPath = RelayTests()

    /// KR's envelope to the US, relayed to JP under a batch-signed consent; with the three roots involved.
    func relayed() throws -> (envelope: Envelope, path: RelayTests.Path, consent: Consent, consentRoot: ConsentRoot) {
        let path = try relayPath.received()
        let consents = try Consent.issueBatch(
            by: world.kr, [Consent.Request(intermediary: "US", finalRecipient: "JP", scope: .envelope(path.original.id))], issuedAt: Dates.now)
        guard case .batch(_, let consentRoot) = consents[0].authentication else { throw AccordCryptoError(.invalidArgument, "not batch-signed") }
        return (try relayPath.relay(path, consent: consents[0]), path, consents[0], consentRoot)
    }

    @Test func aRelayedEnvelopeNamesAllThreeRootsByDigestAndIsTheSameEnvelope() throws {
        let (envelope, path, consent, consentRoot) = try relayed()
        let ownRoot = envelope.root, originatorRoot = path.original.root
        let detached = envelope.detachedEncoding(rootDigest: ownRoot.digest)
        // Layout: tag, version 3, the header in its detached form, the proof, the sender's root digest, the ciphertext.
        var header = ByteWriter()
        let canonicalAttachment = envelope.headerBytes.count - Self.attachmentLength(envelope)
        header.fixed(envelope.headerBytes[..<(canonicalAttachment - 1)])  // every field before the relay flag
        header.u8(2)
        header.tag("accord.relay-detached")
        header.bytes(path.original.headerBytes)
        path.original.proof.write(to: &header)
        header.fixed(originatorRoot.digest)
        header.bytes(consent.encoded.dropLast(consentRoot.encoded.count))
        header.fixed(consentRoot.digest)
        var expected = ByteWriter()
        expected.tag("accord.envelope")
        expected.u8(3)
        expected.bytes(header.bytes)
        envelope.proof.write(to: &expected)
        expected.fixed(ownRoot.digest)
        expected.bytes(envelope.ciphertext)
        #expect(detached == expected.bytes)
        // The three roots (≈ 3.4 KB each) are what the form leaves out; its tag is 9 bytes longer.
        let saved = [ownRoot.encoded, originatorRoot.encoded, consentRoot.encoded].map { $0.count - 32 }.reduce(0, +) - 9
        #expect(envelope.encoded.count - detached.count == saved)
        let named = try Envelope.namedRoots(ofEncoded: detached)
        #expect(named.batch == [ownRoot.digest, originatorRoot.digest] && named.consent == [consentRoot.digest])
        #expect(try Envelope.references(ofEncoded: detached).epoch == envelope.header.epochID)

        // Read back with the roots: the same envelope (canonical header bytes restored), and it opens.
        let roots = try DetachedRoots(encodedBatch: [ownRoot.encoded, originatorRoot.encoded], encodedConsent: [consentRoot.encoded])
        let parsed = try Envelope(encoded: detached, detachedRoots: roots)
        #expect(parsed == envelope && parsed.headerBytes == envelope.headerBytes && parsed.encoded == envelope.encoded)
        #expect(parsed.rootDigest == ownRoot.digest)
        #expect(parsed.relayRootDigests == RelayRootDigests(root: originatorRoot.digest, consentRoot: consentRoot.digest))
        let opened = try path.jpOpener.open(parsed, directory: world.directory)
        #expect(opened.payload == path.payload && opened.header.relay?.consent.encoded == consent.encoded)
        #expect(try Envelope.header(ofEncoded: detached, detachedRoots: roots) == envelope.header)
        // A version-2 read of the same envelope carries no relay digests.
        #expect(try Envelope(encoded: envelope.encoded).relayRootDigests == nil)
    }

    @Test func aMissingOrSwappedRelayRootIsRefused() throws {
        let (envelope, path, _, consentRoot) = try relayed()
        let ownRoot = envelope.root, originatorRoot = path.original.root
        let detached = envelope.detachedEncoding(rootDigest: ownRoot.digest)
        let batch = [ownRoot.encoded, originatorRoot.encoded]
        // Each root must come with it.
        #expect(errorCode { _ = try Envelope(encoded: detached, detachedRoots: try DetachedRoots(encodedBatch: batch, encodedConsent: [])) } == .unknownRoot)
        #expect(errorCode {
            _ = try Envelope(encoded: detached, detachedRoots: try DetachedRoots(encodedBatch: [ownRoot.encoded], encodedConsent: [consentRoot.encoded]))
        } == .unknownRoot)
        #expect(errorCode { _ = try Envelope.header(ofEncoded: detached) } == .unknownRoot)
        // Naming another consent batch's root (present) changes the header the proof covers: caught as tampering.
        let other = try Consent.issueBatch(
            by: world.kr, [Consent.Request(intermediary: "US", finalRecipient: "JP", scope: .envelope(path.original.id))], issuedAt: Dates.now)
        guard case .batch(_, let otherRoot) = other[0].authentication else { Issue.record("not batch-signed"); return }
        var swapped = detached
        let at = try #require(DetachedRootTests.range(of: consentRoot.digest, in: detached))
        swapped.replaceSubrange(at, with: otherRoot.digest)
        let both = try DetachedRoots(encodedBatch: batch, encodedConsent: [consentRoot.encoded, otherRoot.encoded])
        #expect(errorCode { _ = try path.jpOpener.open(try Envelope(encoded: swapped, detachedRoots: both), directory: world.directory) } == .headerTampered)
        // The detached attachment belongs in version 3 only; version 3 without it is refused.
        var asVersionTwo = detached
        asVersionTwo[1 + Int(detached[0])] = 2
        let roots = try DetachedRoots(encodedBatch: batch, encodedConsent: [consentRoot.encoded])
        #expect(errorCode { _ = try Envelope(encoded: asVersionTwo, detachedRoots: roots) } == .malformed)
        var direct = try world.sealedFromKR().0.envelopes[0]
        let directDetached = direct.detachedEncoding(rootDigest: direct.root.digest)
        #expect(directDetached[1 + Int(directDetached[0])] == Envelope.detachedVersion)
        direct = try Envelope(encoded: directDetached, roots: try SignedBatchRoot.index(encoded: [direct.root.encoded]))
        // Every truncation is a typed error, for the envelope and for the digests alone.
        for length in stride(from: 0, to: detached.count, by: 11) {
            #expect(errorCode { _ = try Envelope(encoded: detached.prefix(length), detachedRoots: roots) } != nil)
            #expect(errorCode { _ = try Envelope.namedRoots(ofEncoded: detached.prefix(length)) } != nil || length >= detached.count - 4 - envelope.ciphertext.count)
        }
    }

    @Test func aConsentSignedAloneKeepsTheRelayAttachmentWhole() throws {
        let path = try relayPath.received()
        let consent = try relayPath.consent(scope: .envelope(path.original.id))
        let envelope = try relayPath.relay(path, consent: consent)
        #expect(envelope.header.relay?.detachedRoots == nil)
        let detached = envelope.detachedEncoding(rootDigest: envelope.root.digest)
        #expect(detached[1 + Int(detached[0])] == Envelope.detachedVersion)
        #expect(try Envelope.namedRoots(ofEncoded: detached).consent.isEmpty)
        let parsed = try Envelope(encoded: detached, roots: try SignedBatchRoot.index(encoded: [envelope.root.encoded]))
        #expect(parsed == envelope && parsed.relayRootDigests == nil)
        // A consent signed alone has no detached form to read either.
        let body = Array(consent.encoded.dropLast(HybridSignature.size))
        guard case .batch(_, let root) = try Consent.issueBatch(
            by: world.kr, [Consent.Request(intermediary: "US", finalRecipient: "JP", scope: .envelope(path.original.id))], issuedAt: Dates.now)[0]
            .authentication else { Issue.record("not batch-signed"); return }
        #expect(errorCode { _ = try Consent(detached: body, root: root) } == .wrongStructure)
    }

    /// The length of an envelope's canonical relay attachment, as written after its relay flag.
    static func attachmentLength(_ envelope: Envelope) -> Int {
        var writer = ByteWriter()
        envelope.header.relay?.write(to: &writer)
        return writer.bytes.count
    }
}
