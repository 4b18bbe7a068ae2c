import Crypto
import Foundation
import Synchronization
@testable import AccordAudit

/// SplitMix64: a tiny deterministic generator so property tests reproduce from their seed.
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
}

/// Fixed Ed25519 keys, so runs are reproducible.
enum TestKeys {
    static func key(_ byte: UInt8) -> Curve25519.Signing.PrivateKey {
        // A 32-byte seed of one repeated byte is a valid Ed25519 private key.
        (try? Curve25519.Signing.PrivateKey(rawRepresentation: Data(repeating: byte, count: 32)))
            ?? Curve25519.Signing.PrivateKey()
    }
    static let kr = Ed25519TreeHeadSigner(key: key(1))
    static let jp = Ed25519TreeHeadSigner(key: key(2))
    static let us = Ed25519TreeHeadSigner(key: key(3))
    static let mallory = Ed25519TreeHeadSigner(key: key(9))
    static let verifier = Ed25519TreeHeadVerifier(keys: [
        "KR": [kr.publicKey], "JP": [jp.publicKey], "US": [us.publicKey],
    ])
}

let t0 = AuditTimestamp(millisecondsSince1970: 1_566_466_200_000)  // 2019-08-22T09:30:00Z

/// Random events of every kind, from a seeded generator.
enum EventGenerator {
    static let parties = ["KR", "JP", "US"]
    static let labels = ["KR//II//REL TO JP,US//TOPIC nk-missile", "JP//SECRET//TOPIC nk-missile", "US//S//REL TO KR,JP"]

    static func event(_ rng: inout SplitMix64) -> AuditEvent {
        func party() -> String { parties[Int(rng.next() % 3)] }
        func id(_ prefix: String) -> String { "\(prefix)-\(rng.next() % 100_000)" }
        func label() -> String { labels[Int(rng.next() % 3)] }
        func reasons() -> [String] { (0..<Int(rng.next() % 3)).map { "reason \($0): ceiling exceeded é" } }
        switch rng.next() % 16 {
        case 0:
            let outcomes: [ReleaseOutcome] = [
                .direct(agreementID: id("agr"), recipientLabel: label()),
                .viaIntermediary(intermediary: "US", agreementID: "TISA-2014", consentID: id("consent")),
                .denied,
            ]
            return .releaseDecided(objectID: id("indicator--"), recipient: party(), label: label(),
                                   outcome: outcomes[Int(rng.next() % 3)], reasons: reasons())
        case 1: return .envelopeSent(envelopeID: id("env"), recipient: party(), label: label(), agreementID: id("agr"))
        case 2:
            let head = rng.next() % 2 == 0 ? nil : PeerTreeHeadReference(treeSize: rng.next() % 1000, rootHash: MerkleTreeHasher.leafHash([UInt8(rng.next() % 256)]))
            return .receiptReceived(envelopeID: id("env"), from: party(), peerTreeHead: head)
        case 3: return .envelopeReceived(envelopeID: id("env"), sender: party(), originator: party(), label: label(), agreementID: id("agr"))
        case 4: return .relayed(incomingEnvelopeID: id("env"), outgoingEnvelopeID: id("env"), originator: "KR", recipient: "JP", consentID: id("consent"))
        case 5: return .accessGranted(user: id("analyst"), envelopeID: id("env"))
        case 6: return .accessDenied(user: id("analyst"), envelopeID: id("env"), reasons: reasons())
        case 7: return .holdingDestroyed(envelopeID: id("env"), method: "shredded and witnessed")
        case 8: return .holdingReturned(envelopeID: id("env"), to: party())
        case 9: return .compromiseReported(envelopeID: id("env"), reportedTo: [party(), party()], description: "laptop lost in transit")
        case 10: return .reclassified(envelopeID: id("env"), oldLabel: label(), newLabel: label(), authority: party())
        case 11:
            let kind = SecurityEventKind.allCases[Int(rng.next() % UInt64(SecurityEventKind.allCases.count))]
            return .securityEvent(kind: kind, peer: rng.next() % 2 == 0 ? nil : party(),
                                  envelopeID: rng.next() % 2 == 0 ? nil : id("env"), detail: "seen at the gateway")
        case 12: return .noteSent(noteID: id("note"), agreementID: "GSOMIA-2016", recipient: party(), noteKind: "notice of termination")
        case 13: return .noteReceived(noteID: id("note"), agreementID: "GSOMIA-2016", sender: party(), noteKind: "suspension of notice")
        case 14: return .keyRotated(purpose: "signing", oldKeyID: id("key"), newKeyID: id("key"))
        default: return .envelopeWithdrawn(envelopeID: id("env"), recipient: party(), by: id("operator"), reason: "peer certificate revoked")
        }
    }
}

/// Builds a log of `count` random entries for `party` in a fresh in-memory store.
func makeLog(party: String = "KR", count: Int, seed: UInt64 = 1, signer: Ed25519TreeHeadSigner = TestKeys.kr)
    async throws -> (AuditLog, InMemoryAuditStore)
{
    let store = InMemoryAuditStore()
    let log = try AuditLog(party: party, store: store, signer: signer)
    var rng = SplitMix64(seed: seed)
    var events = [AuditEvent]()
    for _ in 0..<count { events.append(EventGenerator.event(&rng)) }
    if !events.isEmpty { try await log.append(events, at: t0) }
    return (log, store)
}

/// Wraps a store and counts the subtree hashes read, to check proofs read O(log n).
final class CountingStore: AuditStore {
    let base: InMemoryAuditStore
    private let counter = Counter()
    init(_ base: InMemoryAuditStore) { self.base = base }
    var hashesRead: Int { counter.value }

    func size() async throws -> UInt64 { try await base.size() }
    func append<Result: Sendable>(_ prepare: @Sendable (MerkleFrontier) throws -> (AuditAppendBatch, Result)) async throws -> Result {
        try await base.append(prepare)
    }
    func entries(in range: Range<UInt64>) async throws -> [Data] { try await base.entries(in: range) }
    func nodeHashes(_ ids: [MerkleNodeID]) async throws -> [MerkleHash?] {
        counter.add(ids.count)
        return try await base.nodeHashes(ids)
    }
    func appendTreeHead(_ head: SignedTreeHead) async throws { try await base.appendTreeHead(head) }
    func treeHeads() async throws -> [SignedTreeHead] { try await base.treeHeads() }
    func latestTreeHead() async throws -> SignedTreeHead? { try await base.latestTreeHead() }
    func appendPeerTreeHead(_ head: HeldPeerTreeHead) async throws { try await base.appendPeerTreeHead(head) }
    func peerTreeHeads(of party: String?) async throws -> [HeldPeerTreeHead] { try await base.peerTreeHeads(of: party) }
    func latestPeerTreeHead(of party: String) async throws -> HeldPeerTreeHead? { try await base.latestPeerTreeHead(of: party) }
}


final class Counter: Sendable {
    private let count = Mutex(0)
    func add(_ n: Int) { count.withLock { $0 += n } }
    var value: Int { count.withLock { $0 } }
}

extension Data {
    init(hex: String) {
        var bytes = [UInt8]()
        var chars = Array(hex.utf8).makeIterator()
        while let h = chars.next(), let l = chars.next() {
            bytes.append(UInt8(String(decoding: [h, l], as: UTF8.self), radix: 16) ?? 0)
        }
        self.init(bytes)
    }
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
