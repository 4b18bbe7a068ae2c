import Foundation
@testable import AccordCrypto

/// SplitMix64: a tiny seeded generator so property tests reproduce.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) } }
}

extension Array where Element == UInt8 {
    init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        self = bytes
    }

    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

/// Fixed instants of the GSOMIA story.
enum Dates {
    static let signed2016 = Date(timeIntervalSince1970: 1_479_859_200)  // 2016-11-23
    static let normalised2023 = Date(timeIntervalSince1970: 1_679_011_200)  // 2023-03-17
    static let end2030 = Date(timeIntervalSince1970: 1_893_456_000)  // 2030-01-01
    static let now = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14
}

/// Three nodes with keys from fixed seeds, their trusted bundles, and helpers to seal and open.
struct World: Sendable {
    let kr: NodeIdentity
    let jp: NodeIdentity
    let us: NodeIdentity
    let directory: KeyDirectory

    static func seeds(_ byte: UInt8) -> NodeIdentity.Seeds {
        .init(
            ed25519: [UInt8](repeating: byte, count: 32), mldsa: [UInt8](repeating: byte &+ 1, count: 32),
            xwing: [UInt8](repeating: byte &+ 2, count: 32), p256: [UInt8](repeating: byte &+ 3, count: 32))
    }

    static let shared: World = {
        do { return try World() } catch { preconditionFailure("fixture world: \(error)") }
    }()

    init() throws {
        kr = try NodeIdentity(party: "KR", seeds: Self.seeds(0x10), notBefore: Dates.signed2016, notAfter: Dates.end2030, certificateDER: nil)
        jp = try NodeIdentity(party: "JP", seeds: Self.seeds(0x20), notBefore: Dates.signed2016, notAfter: Dates.end2030, certificateDER: nil)
        us = try NodeIdentity(party: "US", seeds: Self.seeds(0x30), notBefore: Dates.signed2016, notAfter: Dates.end2030, certificateDER: nil)
        directory = KeyDirectory([try PartyKeyBundle(identity: kr), try PartyKeyBundle(identity: jp), try PartyKeyBundle(identity: us)])
    }

    static let krLabel = "KR//II//REL TO JP,US//TOPIC nk-missile"
    static let jpLabel = "JP//SECRET//REL TO KR,US//TOPIC nk-missile"

    static func draft(to recipient: String = "JP", payload: [UInt8] = Array(repeating: 0x42, count: 1024)) -> EnvelopeDraft {
        EnvelopeDraft(
            recipient: recipient, agreementID: "kr-jp-gsomia-2016", originatorLabel: krLabel, recipientLabel: jpLabel,
            purpose: "missile-warning", payload: payload)
    }

    /// Seals one envelope KR→`recipient` and returns it with an opener for the recipient that accepted the epoch.
    func sealedFromKR(to recipient: NodeIdentity? = nil, count: Int = 1) throws -> (SealedBatch, EnvelopeOpener) {
        let to = recipient ?? jp
        let sealer = EnvelopeSealer(identity: kr)
        let batch = try sealer.sealBatch((0..<count).map { _ in Self.draft(to: to.party) }, directory: directory, now: Dates.now)
        let opener = EnvelopeOpener(identity: to)
        for announcement in batch.announcements { try opener.accept(announcement, directory: directory) }
        return (batch, opener)
    }
}

/// Runs `body` and returns the crypto error's code, or nil when it did not throw one.
func errorCode(_ body: () throws -> Void) -> AccordCryptoError.Code? {
    do {
        try body()
        return nil
    } catch let error as AccordCryptoError {
        return error.code
    } catch {
        return nil
    }
}
