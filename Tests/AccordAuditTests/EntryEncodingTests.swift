import Foundation
import Testing
@testable import AccordAudit

/// The canonical entry encoding: pinned vectors, round trips, and strict decoding.
@Suite struct EntryEncodingTests {
    static let vectorEntries: [String: AuditEntry] = [
        "releaseDirect": AuditEntry(
            sequence: 0, timestamp: t0, node: "KR",
            event: .releaseDecided(
                objectID: "indicator--4b1c", recipient: "JP", label: "KR//II//REL TO JP,US//TOPIC nk-missile",
                outcome: .direct(agreementID: "GSOMIA-2016", recipientLabel: "JP//SECRET//TOPIC nk-missile"),
                reasons: ["agreement in force"])),
        "releaseDenied": AuditEntry(
            sequence: 1, timestamp: AuditTimestamp(millisecondsSince1970: 1_566_466_200_001), node: "KR",
            event: .releaseDecided(
                objectID: "indicator--4b1c", recipient: "JP", label: "KR//II//REL TO JP,US//TOPIC nk-missile",
                outcome: .denied, reasons: ["no agreement in force with JP", "notice of termination given"])),
        "securityEvent": AuditEntry(
            sequence: 7, timestamp: AuditTimestamp(millisecondsSince1970: 1_566_466_260_000), node: "JP",
            event: .securityEvent(kind: .forgedSignature, peer: "KR", envelopeID: "env-0042", detail: "hybrid signature does not verify")),
        "receiptWithHead": AuditEntry(
            sequence: 2, timestamp: AuditTimestamp(millisecondsSince1970: 1_566_466_300_000), node: "KR",
            event: .receiptReceived(
                envelopeID: "env-0042", from: "JP",
                peerTreeHead: PeerTreeHeadReference(treeSize: 5, rootHash: try! MerkleHash(bytes: (0..<32).map { UInt8($0) })))),
        "envelopeWithdrawn": AuditEntry(
            sequence: 9, timestamp: AuditTimestamp(millisecondsSince1970: 1_566_466_400_000), node: "KR",
            event: .envelopeWithdrawn(envelopeID: "env-0043", recipient: "JP", by: "operator-1", reason: "peer certificate revoked; not to be sent")),
    ]

    @Test(arguments: ["releaseDirect", "releaseDenied", "securityEvent", "receiptWithHead", "envelopeWithdrawn"])
    func encodingMatchesPinnedVector(name: String) throws {
        let entry = try #require(Self.vectorEntries[name])
        let vector = try #require(RFC9162Vectors.entries[name])
        #expect(try entry.encoded().hex == vector.bytes)
        #expect(try entry.leafHash().hex == vector.leafHash)
        #expect(try AuditEntry(decoding: Data(hex: vector.bytes)) == entry)
    }

    @Test func randomEntriesOfEveryKindRoundTrip() throws {
        var rng = SplitMix64(seed: 2024)
        var tags = Set<UInt8>()
        for sequence in 0..<2000 as Range<UInt64> {
            let event = EventGenerator.event(&rng)
            tags.insert(event.tag)
            let entry = AuditEntry(sequence: sequence, timestamp: t0.adding(milliseconds: rng.next() % 1_000_000), node: "US", event: event)
            let bytes = try entry.encoded()
            let decoded = try AuditEntry(decoding: bytes)
            #expect(decoded == entry)
            #expect(try decoded.encoded() == bytes)
        }
        #expect(tags.count == 16)
    }

    @Test func everyTruncationAndAnyTrailingByteIsRejected() throws {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<40 {
            let bytes = try AuditEntry(sequence: 3, timestamp: t0, node: "KR", event: EventGenerator.event(&rng)).encoded()
            for cut in 0..<bytes.count {
                #expect(throws: AuditError.self) { try AuditEntry(decoding: bytes.prefix(cut)) }
            }
            #expect(throws: AuditError.self) { try AuditEntry(decoding: bytes + [0]) }
        }
    }

    @Test func randomBitFlipsNeverCrashAndChangeTheLeafHash() throws {
        var rng = SplitMix64(seed: 8)
        for _ in 0..<500 {
            let entry = AuditEntry(sequence: rng.next() % 1000, timestamp: t0, node: "JP", event: EventGenerator.event(&rng))
            var bytes = try entry.encoded()
            let bit = Int(rng.next() % UInt64(bytes.count * 8))
            bytes[bit / 8] ^= UInt8(1 << (bit % 8))
            #expect(MerkleTreeHasher.leafHash(bytes) != (try entry.leafHash()))
            // Decoding either fails with a typed error or yields a different entry.
            if let decoded = try? AuditEntry(decoding: bytes) { #expect(decoded != entry) }
        }
    }

    @Test func malformedFieldsAreNamedInTheError() throws {
        let good = try #require(RFC9162Vectors.entries["releaseDirect"]).bytes
        var badVersion = Data(hex: good)
        badVersion[0] = 2
        #expect { try AuditEntry(decoding: badVersion) } throws: { ($0 as? AuditError)?.message.contains("version") == true }
        var badTag = Data(hex: good)
        badTag[21] = 99  // version 1 + seq 8 + time 8 + "KR" 4 = 21: the event tag
        #expect { try AuditEntry(decoding: badTag) } throws: { ($0 as? AuditError)?.message.contains("event tag") == true }
        var badParty = Data(hex: good)
        badParty[19] = UInt8(ascii: " ")
        #expect { try AuditEntry(decoding: badParty) } throws: { ($0 as? AuditError)?.code == .malformedEncoding }
        var badUTF8 = Data(hex: good)
        badUTF8[24] = 0xFF  // first byte of the object id
        #expect { try AuditEntry(decoding: badUTF8) } throws: { ($0 as? AuditError)?.message.contains("UTF-8") == true }
    }

    @Test func invalidFieldsAreRefusedWhenEncoding() {
        let cases: [AuditEvent] = [
            .envelopeSent(envelopeID: "env 1", recipient: "JP", label: "L", agreementID: "a"),
            .envelopeSent(envelopeID: "env-1", recipient: "J P", label: "L", agreementID: "a"),
            .envelopeSent(envelopeID: "env-1", recipient: "JP", label: "", agreementID: "a"),
            .envelopeSent(envelopeID: "env-1", recipient: "JP", label: "line\nbreak", agreementID: "a"),
            .envelopeSent(envelopeID: "", recipient: "JP", label: "L", agreementID: "a"),
            .accessDenied(user: "u", envelopeID: "e", reasons: Array(repeating: "r", count: 65)),
            .holdingDestroyed(envelopeID: "e", method: String(repeating: "x", count: 4097)),
        ]
        for event in cases {
            #expect(throws: AuditError.self) { try AuditEntry(sequence: 0, timestamp: t0, node: "KR", event: event).encoded() }
        }
        #expect(throws: AuditError.self) {
            try AuditEntry(sequence: 0, timestamp: t0, node: "", event: .accessGranted(user: "u", envelopeID: "e")).encoded()
        }
    }

    @Test func showFormatIsOneReadableLine() throws {
        let entry = try #require(Self.vectorEntries["releaseDenied"])
        #expect(entry.formatted() == "#1 2019-08-22T09:30:00.001Z KR release-decided object=indicator--4b1c recipient=JP "
            + "label=\"KR//II//REL TO JP,US//TOPIC nk-missile\" decision=denied "
            + "reasons=[\"no agreement in force with JP\", \"notice of termination given\"]")
        var rng = SplitMix64(seed: 3)
        for _ in 0..<200 {
            let line = AuditEntry(sequence: 1, timestamp: t0, node: "KR", event: EventGenerator.event(&rng)).formatted()
            #expect(!line.contains("\n"))
        }
    }
}

@Suite struct TimestampTests {
    @Test(arguments: [
        (UInt64(0), "1970-01-01T00:00:00.000Z"),
        (UInt64(951_782_400_123), "2000-02-29T00:00:00.123Z"),
        (UInt64(1_566_466_200_001), "2019-08-22T09:30:00.001Z"),
        (UInt64(4_107_542_399_999), "2100-02-28T23:59:59.999Z"),
    ])
    func formatsAsISO8601UTC(milliseconds: UInt64, expected: String) {
        #expect(AuditTimestamp(millisecondsSince1970: milliseconds).description == expected)
    }

    @Test func dateConversionKeepsWholeMilliseconds() {
        let stamp = AuditTimestamp(millisecondsSince1970: 1_566_466_200_001)
        #expect(AuditTimestamp(stamp.date) == stamp)
        #expect(AuditTimestamp(Date(timeIntervalSince1970: -5)).millisecondsSince1970 == 0)
    }
}
