import AccordAudit
import ArgumentParser
import Crypto
import Foundation
import Synchronization

/// `accord bench audit`: append rate in memory, proof generation (with stored-hash reads
/// counted) and verification at a million entries.
struct BenchAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Measure the audit log: appends/s in memory, proof generation and verification."
    )

    @Option(help: "Entries in the log.")
    var entries = 1_000_000

    @Option(help: "Events per append call in the batched run.")
    var batch = 1_000

    @Option(help: "Proofs generated and verified.")
    var proofs = 20_000

    @Flag(help: "Also run whole-log verification over the log.")
    var verifyLog = false

    func validate() throws {
        guard entries >= 2, batch >= 1, proofs >= 1 else {
            throw ValidationError("--entries must be at least 2, --batch and --proofs at least 1")
        }
    }

    func run() async throws {
        let signer = Ed25519TreeHeadSigner(key: Curve25519.Signing.PrivateKey())
        let events = Self.sampleEvents()
        let start = AuditTimestamp(millisecondsSince1970: 1_566_466_200_000)
        print("audit log benchmark: \(entries) entries, batch \(batch), \(proofs) proofs")

        do {
            let log = try AuditLog(party: "KR", store: InMemoryAuditStore(), signer: signer)
            let seconds = try await Self.time {
                for i in 0..<entries { try await log.append(events[i % events.count], at: start) }
            }
            print(row("append, one event per call", "\(Int(Double(entries) / seconds)) appends/s"))
        }

        let store = InMemoryAuditStore()
        let counting = CountingAuditStore(store)
        let log = try AuditLog(party: "KR", store: counting, signer: signer)
        let seconds = try await Self.time {
            var next = 0
            while next < entries {
                let count = min(batch, entries - next)
                try await log.append((next..<(next + count)).map { events[$0 % events.count] }, at: start)
                next += count
            }
        }
        print(row("append, \(batch) events per call", "\(Int(Double(entries) / seconds)) appends/s"))

        let size = UInt64(entries)
        var head: SignedTreeHead?
        let signSeconds = try await Self.time { head = try await log.signTreeHead(now: start) }
        guard let head else { return }
        print(row("sign tree head (Ed25519, root from stored hashes)", Self.micro(signSeconds)))

        var rng = SystemRandomNumberGenerator()
        let indices = (0..<proofs).map { _ in UInt64.random(in: 0..<size, using: &rng) }
        let leafHashes = try await indices.asyncMap { try await log.leafHash(at: $0) }
        var inclusion = [InclusionProof]()
        inclusion.reserveCapacity(proofs)
        counting.reset()
        let genSeconds = try await Self.time {
            for index in indices { inclusion.append(try await log.inclusionProof(index: index, treeSize: size)) }
        }
        let reads = Double(counting.hashesRead) / Double(proofs)
        print(row("inclusion proof generation", "\(Self.micro(genSeconds / Double(proofs))) per proof, "
            + "\(String(format: "%.1f", reads)) stored hashes read (max \(counting.maxPerCall), log₂ n = \(64 - (size - 1).leadingZeroBitCount)), 1 store call"))
        var valid = 0
        let verifySeconds = try Self.timeSync {
            for (proof, leaf) in zip(inclusion, leafHashes) where proof.isValid(leafHash: leaf, rootHash: head.head.rootHash) {
                valid += 1
            }
        }
        print(row("inclusion proof verification", "\(Self.micro(verifySeconds / Double(proofs))) per proof (\(valid)/\(proofs) valid)"))

        let oldSizes = (0..<proofs).map { _ in UInt64.random(in: 1..<size, using: &rng) }
        var consistency = [ConsistencyProof]()
        counting.reset()
        let cGenSeconds = try await Self.time {
            for old in oldSizes { consistency.append(try await log.consistencyProof(from: old, to: size)) }
        }
        print(row("consistency proof generation", "\(Self.micro(cGenSeconds / Double(proofs))) per proof, "
            + "\(String(format: "%.1f", Double(counting.hashesRead) / Double(proofs))) stored hashes read (max \(counting.maxPerCall))"))
        let oldRoots = try await oldSizes.prefix(200).asyncMap { try await log.rootHash(treeSize: $0) }
        var cValid = 0
        let cVerifySeconds = try Self.timeSync {
            for round in 0..<proofs {
                let i = round % oldRoots.count
                if consistency[i].isValid(oldRoot: oldRoots[i], newRoot: head.head.rootHash) { cValid += 1 }
            }
        }
        print(row("consistency proof verification", "\(Self.micro(cVerifySeconds / Double(proofs))) per proof (\(cValid)/\(proofs) valid)"))

        if verifyLog {
            let verifier = Ed25519TreeHeadVerifier(keys: ["KR": [signer.publicKey]])
            var report: AuditVerificationReport?
            let wholeSeconds = try await Self.time {
                report = try await AuditLogVerifier(party: "KR", store: store, verifier: verifier).verify()
            }
            print(row("whole-log verification", String(format: "%.2f s (%@)", wholeSeconds, report?.isValid == true ? "valid" : "INVALID")))
        }
    }

    private func row(_ what: String, _ value: String) -> String { "| \(what) | \(value) |" }

    static func time(_ body: () async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try await body()
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func timeSync(_ body: () throws -> Void) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func micro(_ seconds: Double) -> String { String(format: "%.2f µs", seconds * 1e6) }

    /// A realistic mix of events, reused cyclically so generation does not dominate.
    static func sampleEvents() -> [AuditEvent] {
        (0..<1024).map { i in
            switch i % 4 {
            case 0:
                .releaseDecided(objectID: "indicator--\(i)", recipient: "JP", label: "KR//II//REL TO JP,US//TOPIC nk-missile",
                                outcome: .direct(agreementID: "GSOMIA-2016", recipientLabel: "JP//SECRET//TOPIC nk-missile"),
                                reasons: ["agreement in force"])
            case 1: .envelopeSent(envelopeID: "env-\(i)", recipient: "JP", label: "KR//II//REL TO JP,US//TOPIC nk-missile", agreementID: "GSOMIA-2016")
            case 2: .receiptReceived(envelopeID: "env-\(i)", from: "JP", peerTreeHead: nil)
            default: .accessGranted(user: "kr.analyst\(i)", envelopeID: "env-\(i)")
            }
        }
    }
}

/// Counts the stored subtree hashes a log reads, to show proofs read O(log n).
private final class CountingAuditStore: AuditStore {
    private let base: InMemoryAuditStore
    private let counts = Mutex((total: 0, maxPerCall: 0))

    init(_ base: InMemoryAuditStore) { self.base = base }

    var hashesRead: Int { counts.withLock { $0.total } }
    var maxPerCall: Int { counts.withLock { $0.maxPerCall } }
    func reset() { counts.withLock { $0 = (0, 0) } }

    func size() async throws -> UInt64 { try await base.size() }
    func append<Result: Sendable>(_ prepare: @Sendable (MerkleFrontier) throws -> (AuditAppendBatch, Result)) async throws -> Result {
        try await base.append(prepare)
    }
    func entries(in range: Range<UInt64>) async throws -> [Data] { try await base.entries(in: range) }
    func nodeHashes(_ ids: [MerkleNodeID]) async throws -> [MerkleHash?] {
        counts.withLock { $0 = ($0.total + ids.count, max($0.maxPerCall, ids.count)) }
        return try await base.nodeHashes(ids)
    }
    func appendTreeHead(_ head: SignedTreeHead) async throws { try await base.appendTreeHead(head) }
    func treeHeads() async throws -> [SignedTreeHead] { try await base.treeHeads() }
    func latestTreeHead() async throws -> SignedTreeHead? { try await base.latestTreeHead() }
    func appendPeerTreeHead(_ head: HeldPeerTreeHead) async throws { try await base.appendPeerTreeHead(head) }
    func peerTreeHeads(of party: String?) async throws -> [HeldPeerTreeHead] { try await base.peerTreeHeads(of: party) }
    func latestPeerTreeHead(of party: String) async throws -> HeldPeerTreeHead? { try await base.latestPeerTreeHead(of: party) }
}

private extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result = [T]()
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
