import Foundation
import Testing
@testable import AccordCrypto

/// Seeded random inputs: the parsers and the opener never crash and always answer with a typed error.
@Suite struct PropertyTests {
    let world = World.shared

    @Test(arguments: [UInt64(1), 2, 3])
    func randomMutationsOfValidEnvelopesAreAlwaysTypedErrors(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let (batch, opener) = try world.sealedFromKR(count: 4)
        let originals = batch.envelopes.map(\.encoded)
        var rejected = 0
        for round in 0..<150 {
            var bytes = originals[Int.random(in: 0..<originals.count, using: &rng)]
            let original = bytes
            switch Int.random(in: 0..<4, using: &rng) {
            case 0:  // flip bits
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                }
            case 1:  // truncate
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
            case 2:  // insert
                bytes.insert(contentsOf: rng.bytes(Int.random(in: 1...8, using: &rng)), at: Int.random(in: 0...bytes.count, using: &rng))
            default:  // delete a range
                let start = Int.random(in: 0..<bytes.count, using: &rng)
                bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...16, using: &rng)))
            }
            guard bytes != original else { continue }
            do {
                _ = try opener.open(encoded: bytes, directory: world.directory)
                Issue.record("seed \(seed) round \(round): a mutated envelope opened")
            } catch is AccordCryptoError {
                rejected += 1
            } catch {
                Issue.record("seed \(seed) round \(round): untyped error \(error)")
            }
        }
        #expect(rejected > 100)
    }

    @Test func randomBytesNeverParse() {
        var rng = SplitMix64(seed: 42)
        let parsers: [(String, ([UInt8]) throws -> Void)] = [
            ("envelope", { _ = try Envelope(encoded: $0) }),
            ("header", { _ = try EnvelopeHeader(encoded: $0) }),
            ("consent", { _ = try Consent(encoded: $0) }),
            ("receipt", { _ = try Receipt(encoded: $0) }),
            ("announcement", { _ = try EpochAnnouncement(encoded: $0) }),
            ("bundle", { _ = try PartyKeyBundle(encoded: $0) }),
            ("root", { _ = try SignedBatchRoot(encoded: $0) }),
            ("identity", { _ = try NodeIdentity(fileRepresentation: $0) }),
        ]
        for (name, parse) in parsers {
            for round in 0..<300 {
                var bytes = rng.bytes(Int.random(in: 0...512, using: &rng))
                // Half the time start with the right tag, so the parser gets past the first check.
                if round % 2 == 0, let tag = Self.tags[name] {
                    bytes = [UInt8(tag.utf8.count)] + Array(tag.utf8) + [1] + bytes
                }
                do {
                    try parse(bytes)
                    Issue.record("\(name) round \(round): random bytes parsed")
                } catch is AccordCryptoError {
                } catch {
                    Issue.record("\(name) round \(round): untyped error \(error)")
                }
            }
        }
    }

    @Test func mutatedHeadersKeepEveryFieldBoundedWhenTheyParse() throws {
        // Random single-byte changes to a relayed header: parsing either fails typed or yields a header that
        // re-encodes to exactly the mutated bytes (the encoding is canonical: one value, one byte string).
        var rng = SplitMix64(seed: 7)
        let (batch, _) = try world.sealedFromKR(to: world.us)
        let consent = try Consent.issue(by: world.kr, intermediary: "US", finalRecipient: "JP", scope: .envelope(batch.envelopes[0].id), issuedAt: Dates.now)
        let attachment = try RelayAttachment(relaying: batch.envelopes[0], consent: consent)
        let draft = EnvelopeDraft(relaying: attachment, to: "JP", agreementID: "tisa-2014", recipientLabel: World.jpLabel, purpose: "p", payload: [1, 2, 3])
        let relayed = try EnvelopeSealer(identity: world.us).seal(draft, directory: world.directory, now: Dates.now).envelopes[0]
        let original = relayed.headerBytes
        for _ in 0..<400 {
            var bytes = original
            bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            do {
                let header = try EnvelopeHeader(encoded: bytes)
                #expect(header.encoded == bytes)
            } catch is AccordCryptoError {
            } catch {
                Issue.record("untyped error \(error)")
            }
        }
    }

    static let tags = [
        "envelope": Envelope.tag, "header": EnvelopeHeader.tag, "consent": Consent.tag, "receipt": Receipt.tag,
        "announcement": EpochAnnouncement.tag, "bundle": PartyKeyBundle.tag, "root": SignedBatchRoot.tag,
        "identity": NodeIdentity.fileTag,
    ]
}
