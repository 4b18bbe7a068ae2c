import AccordAudit
import AccordCore
import AccordCrypto
import AccordStore
import Foundation
import Logging
import Synchronization

/// One nation's node, without its HTTP layer: the release pipeline, the inbox, relay and delivery,
/// over a ``NodeStore`` and the crypto layer. Every method is one step: decide, seal or open, and
/// write the step (outbox or inbox rows, holdings, audit entries) in one store transaction.
public final class NodeEngine: Sendable {
    /// This node's party.
    public let party: PartyCode
    /// Agreements and notes this node decides with, as they stand now (its own copy: it never trusts a
    /// peer's decision): the agreement files, plus every signed note the node has issued or received.
    public var book: PolicyBook { policy.withLock { $0 } }
    let policy: Mutex<PolicyBook>
    let identity: NodeIdentity
    let directory: KeyDirectory
    let sealer: EnvelopeSealer
    /// Release calls made while another is being sealed and written go together in the next batch, of at most
    /// 4,096 envelopes (one call alone may hold more).
    let releases = CombinedWork<PreparedRelease>(limit: 4_096)
    let opener: EnvelopeOpener
    /// Receipt batch roots already verified (one hybrid verification per peer answer).
    let receiptRoots = VerifiedRootCache()
    /// Labels already parsed, by text (they depend on the party directory only, which never changes):
    /// a node sees the same few labels over and over.
    let labels = Mutex<[String: Label]>([:])
    /// Consent batch roots already verified (one hybrid verification per originator's release call).
    let consentRoots = VerifiedRootCache()
    let store: any NodeStore
    /// Rung after a step that queued outbox rows, for the peers they go to.
    let doorbell = OutboxDoorbell()
    /// Outbox rows on the wire now, and rows withdrawn since this engine started: a row in flight cannot be withdrawn,
    /// and a withdrawn row read just before its withdrawal committed is not sent (see ``withdraw(_:by:reason:)``).
    let outboxGuard = Mutex(OutboxGuard())
    /// Each peer's latest tree head whose signature verified (since this engine started), kept with its
    /// store record: a receipt carrying the same head again needs neither.
    let latestPeerHeads = Mutex<[PartyCode: (bytes: [UInt8], reference: PeerTreeHeadReference)]>([:])
    /// Peers that answered a transmission of version 3 as a node not yet upgraded does: they get self-contained envelopes.
    /// The newest transmission version each peer not yet upgraded said it reads (in memory: asked again after a restart).
    let peerTransmissionVersions = Mutex<[PartyCode: Int]>([:])
    /// Epochs whose announcement older outbox rows were searched for without finding it (searched once per process).
    let unannouncedEpochs = Mutex<Set<EpochID>>([])
    /// The node's audit log over its store, signing tree heads with the hybrid key.
    let auditLog: AuditLog
    /// Tree heads are signed and kept one at a time: two transmissions received together could otherwise each
    /// find a head due and keep them out of order (the later-kept one smaller), which a verifier reads as a fork.
    let treeHeadSigning = SerialWork()
    /// Every party's key bundles this node knows (own and pinned peers'), for tree-head signatures.
    let treeHeadVerifier: HybridTreeHeadVerifier
    let clock: @Sendable () -> Date
    /// Real time for delivery retries, even when `clock` replays history.
    let retryClock: @Sendable () -> Date
    let logger: Logger

    /// Creates an engine.
    /// - Parameters:
    ///   - identity: this node's keys.
    ///   - peers: the key bundles of the parties it federates with (pinned at `accord peer add`).
    ///   - clock: the node's time; the demo and tests replay history on a simulated clock.
    public init(
        identity: NodeIdentity, peers: [PartyKeyBundle], book: PolicyBook, store: any NodeStore,
        clock: @escaping @Sendable () -> Date = Date.init, retryClock: (@Sendable () -> Date)? = nil,
        logger: Logger = Logger(label: "accord.node")
    ) throws {
        guard let party = PartyCode(identity.party), book.parties[party] != nil else {
            throw NodeError(.malformed, "identity party \(identity.party) is not in the party directory")
        }
        self.party = party
        self.identity = identity
        self.policy = Mutex(book)
        let bundles = [try PartyKeyBundle(identity: identity)] + peers
        self.directory = KeyDirectory(bundles)
        self.auditLog = try AuditLog(party: party.rawValue, store: NodeStoreAuditStore(store: store), signer: HybridTreeHeadSigner(identity: identity))
        self.treeHeadVerifier = HybridTreeHeadVerifier(bundles: bundles)
        self.sealer = EnvelopeSealer(identity: identity)
        self.opener = EnvelopeOpener(identity: identity)
        self.store = store
        self.clock = clock
        self.retryClock = retryClock ?? clock
        self.logger = logger
    }

    /// Writes one step with its audit events, in one transaction.
    @discardableResult
    func commit(_ step: StepWrite, events: [AuditEvent]) async throws -> StepOutcome<Void> {
        let node = party.rawValue
        let instant = clock()
        let outcome = try await store.commit(step) { context in
            (try AuditBridge.append(events, node: node, at: instant, context: context), ())
        }
        doorbell.ring(Set(step.outbox.map(\.recipient)))
        return outcome
    }

    /// Waits until a step queues something for `peer`, or `timeout` passes (then rows whose retry
    /// has come due are worth a look). Returns at once if something was queued since the last wait.
    public func waitForOutbox(to peer: PartyCode, timeout: Duration) async {
        await doorbell.wait(for: peer, timeout: timeout)
    }

    /// Records a security event (forged signature, replay, tampered label, refused release) on its own.
    func audit(_ event: AuditEvent) async {
        do { try await commit(StepWrite(), events: [event]) } catch {
            logger.error("cannot audit security event", metadata: ["accord.error": "\(error)"])
        }
    }

    /// Outbox rows for a sealed batch, and its signed root to store once beside them. A row is a one-envelope
    /// ``Transmission``: the envelope in its detached form (naming the root by digest), with no announcement: every
    /// delivery round sends those of its envelopes' epochs, from the sealer while current and from the store after
    /// (``announcementRecords(_:)``), so that a node restarted at either end (epoch keys live in memory) can still open
    /// what waits. Relayed envelopes whose attachment can be detached go as version 3, and the originator's root and
    /// consent root they name are kept too (each once).
    static func outboxFrames(_ sealed: SealedBatch) -> (frames: [(envelope: Envelope, bytes: Data)], roots: [SignedRootRecord]) {
        let rootBytes = sealed.root.encoded
        let digest = SignedBatchRoot.digest(ofEncoded: rootBytes)
        var roots = [SignedRootRecord(digest: Data(digest), bytes: Data(rootBytes))]
        var kept: Set<[UInt8]> = [digest]
        for envelope in sealed.envelopes {
            // A batch's relayed envelopes mostly share their two roots: encode them only while one is new.
            guard let relay = envelope.header.relay, let digests = relay.detachedDigests,
                  !kept.contains(digests.root) || !kept.contains(digests.consentRoot), let relayRoots = relay.detachedRoots else { continue }
            for root in [relayRoots.root, relayRoots.consentRoot] where kept.insert(root.digest).inserted {
                roots.append(SignedRootRecord(digest: Data(root.digest), bytes: Data(root.bytes)))
            }
        }
        let frames = sealed.envelopes.map { envelope in
            (envelope, Data(Transmission(announcements: [], envelopes: [envelope.detachedEncoding(rootDigest: digest)]).encoded))
        }
        return (frames, roots)
    }

    /// The announcements a sealed batch carries (the epochs it opened, or that no stored batch carried yet), to store once
    /// in the step that queues its rows; the caller then reports them kept with ``EnvelopeSealer/announcementsKept(_:)``.
    static func announcementRecords(_ announcements: [EpochAnnouncement]) -> [EpochAnnouncementRecord] {
        announcements.map { EpochAnnouncementRecord(epochID: Data($0.epochID.bytes), bytes: Data($0.encoded)) }
    }

    /// When tree heads are signed: after a step, at most once a second of the node's clock, or after 10,000 entries.
    static let treeHeadSchedule = TreeHeadSchedule(interval: 1_000, maxUnsignedEntries: 10_000)

    /// The latest signed tree head, signing a new one first if the schedule says so (what receipts carry).
    func currentTreeHead(now: Date) async -> SignedTreeHead? {
        do {
            return try await treeHeadSigning.run { [auditLog] in
                if let fresh = try await auditLog.signTreeHeadIfDue(schedule: Self.treeHeadSchedule, now: AuditTimestamp(now)) { return fresh }
                return try await auditLog.latestTreeHead()
            }
        } catch {
            logger.error("cannot sign a tree head", metadata: ["accord.error": "\(error)"])
            return nil
        }
    }

    /// Signs a tree head of the log as it is now (at shutdown, and for `accord audit`).
    @discardableResult
    public func signTreeHead() async throws -> SignedTreeHead {
        try await treeHeadSigning.run { [auditLog, clock] in try await auditLog.signTreeHead(now: AuditTimestamp(clock())) }
    }

    /// Parses a label, from the cache when this text was parsed before (at most 4,096 kept).
    func parseLabel(_ text: String) throws(LabelError) -> Label {
        if let known = labels.withLock({ $0[text] }) { return known }
        let label = try LabelParser(parties: book.parties).parse(text)
        labels.withLock { cache in
            if cache.count >= 4_096 { cache.removeAll(keepingCapacity: true) }
            cache[text] = label
        }
        return label
    }

    /// The text a recipient's equivalent label travels as: its own policy and level (`JP//GOKUHI`).
    static func recipientLabel(_ recipient: PartyCode, _ level: ClassificationLevel) -> String {
        "\(recipient.rawValue)//\(level.code)"
    }
}
