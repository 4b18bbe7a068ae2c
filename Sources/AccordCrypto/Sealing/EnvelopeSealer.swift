import Crypto
import Foundation
import Synchronization

/// Seals and signs batches of envelopes for one node: one hybrid signature per batch (over a Merkle root),
/// and per-recipient epoch keys established by X-Wing HPKE and rotated by time and count.
public final class EnvelopeSealer: Sendable {
    struct SendingEpoch {
        let announcement: EpochAnnouncement
        let keys: EpochKeys
        var nextSequence: UInt64
        /// A batch carrying the announcement was kept (``announcementsKept(_:)``): later batches leave it out.
        var kept = false
    }

    /// The node's identity.
    public let identity: NodeIdentity
    /// When to start new epochs.
    public let policy: EpochPolicy
    private let epochs = Mutex<[String: SendingEpoch]>([:])

    /// A sealer for `identity`.
    public init(identity: NodeIdentity, policy: EpochPolicy = EpochPolicy()) {
        self.identity = identity
        self.policy = policy
    }

    /// The announcements of the current epochs (what a delivery round sends with rows sealed in them, without a read).
    public var currentAnnouncements: [EpochAnnouncement] {
        epochs.withLock { $0.values.map(\.announcement) }
    }

    /// Says that a batch carrying `announcements` is stored (its outbox rows committed): batches sealed in those
    /// epochs from now on leave them out. Until then every batch sealed in an epoch carries its announcement, so
    /// that a batch that was sealed but never stored (its step failed) cannot leave the epoch's later envelopes
    /// with no stored announcement, which a restarted node could not deliver.
    public func announcementsKept(_ announcements: [EpochAnnouncement]) {
        guard !announcements.isEmpty else { return }
        let kept = Set(announcements.map(\.epochID.bytes))
        epochs.withLock { epochs in
            for (recipient, epoch) in epochs where kept.contains(epoch.announcement.epochID.bytes) { epochs[recipient]?.kept = true }
        }
    }

    /// The keys of the current epoch to `recipient` (tests and test vectors).
    func testingKeys(for recipient: String) -> EpochKeys? {
        epochs.withLock { $0[recipient]?.keys }
    }

    /// Seals one envelope (a batch of one).
    public func seal(_ draft: EnvelopeDraft, directory: KeyDirectory, now: Date) throws -> SealedBatch {
        try sealBatch([draft], directory: directory, now: now)
    }

    /// Seals `drafts` at `now`, signs their Merkle root once, and returns them with the announcements of the epochs
    /// they use that are new, or that no kept batch carried yet (``announcementsKept(_:)``).
    public func sealBatch(_ drafts: [EnvelopeDraft], directory: KeyDirectory, now: Date) throws -> SealedBatch {
        guard !drafts.isEmpty, drafts.count <= BatchProof.maxTreeSize else {
            throw AccordCryptoError(.invalidArgument, "a batch holds 1 to \(BatchProof.maxTreeSize) envelopes, got \(drafts.count)")
        }
        let now = now.accordNormalized
        for draft in drafts {
            try draft.validate()
            if let relay = draft.relay, relay.originatorHeader.recipient != identity.party {
                throw AccordCryptoError(.invalidArgument, "cannot relay an envelope addressed to \(relay.originatorHeader.recipient)")
            }
        }
        let (assignments, announcements) = try reserveNonces(for: drafts, directory: directory, now: now)
        var headers: [[UInt8]] = []
        var ciphertexts: [[UInt8]] = []
        var parsedHeaders: [EnvelopeHeader] = []
        headers.reserveCapacity(drafts.count)
        for (draft, (keys, epochID, sequence)) in zip(drafts, assignments) {
            let nonce = keys.nonce(sequence: sequence)
            let header = EnvelopeHeader(
                id: draft.id, originator: draft.relay?.originatorHeader.originator ?? identity.party,
                sender: identity.party, recipient: draft.recipient, agreementID: draft.agreementID,
                originatorLabel: draft.originatorLabel, recipientLabel: draft.recipientLabel, purpose: draft.purpose,
                createdAt: now, senderKeyID: identity.keyID, epochID: epochID, nonce: nonce,
                payloadDigest: Array(SHA256.hash(data: draft.payload)),
                labelBinding: keys.labelBinding(
                    envelopeID: draft.id, originatorLabel: draft.originatorLabel, recipientLabel: draft.recipientLabel),
                relay: draft.relay)
            let headerBytes = header.encoded
            let ciphertext = try Self.sealPayload(draft.payload, headerBytes: headerBytes, keys: keys, nonce: nonce)
            parsedHeaders.append(header)
            headers.append(headerBytes)
            ciphertexts.append(ciphertext)
        }
        let tree = try MerkleTree(leaves: headers.map { Array(SHA256.hash(data: $0)) })
        let root = try SignedBatchRoot.sign(tree: tree, identity: identity, at: now)
        var envelopes: [Envelope] = []
        envelopes.reserveCapacity(drafts.count)
        for index in headers.indices {
            let proof = BatchProof(leafIndex: UInt32(index), treeSize: UInt32(tree.size), path: tree.inclusionPath(for: index))
            envelopes.append(
                Envelope(header: parsedHeaders[index], headerBytes: headers[index], proof: proof, root: root, ciphertext: ciphertexts[index]))
        }
        return SealedBatch(envelopes: envelopes, root: root, announcements: announcements)
    }

    /// AES-256-GCM under the epoch's message key with the header bytes as associated data: ciphertext ‖ tag.
    static func sealPayload(_ payload: [UInt8], headerBytes: [UInt8], keys: EpochKeys, nonce: [UInt8]) throws -> [UInt8] {
        do {
            let sealed = try AES.GCM.seal(
                payload, using: keys.messageKey, nonce: try AES.GCM.Nonce(data: nonce), authenticating: headerBytes)
            return Array(sealed.ciphertext) + Array(sealed.tag)
        } catch {
            throw AccordCryptoError(.invalidArgument, "AES-GCM sealing failed: \(error)")
        }
    }

    /// Assigns each draft an epoch and a sequence number, starting new epochs where the current one is missing,
    /// expired, exhausted, or encapsulated to a recipient key that is no longer current.
    private func reserveNonces(
        for drafts: [EnvelopeDraft], directory: KeyDirectory, now: Date
    ) throws -> ([(EpochKeys, EpochID, UInt64)], [EpochAnnouncement]) {
        try epochs.withLock { epochs in
            var assignments: [(EpochKeys, EpochID, UInt64)] = []
            var announcements: [EpochAnnouncement] = []
            var announced = Set<[UInt8]>()
            assignments.reserveCapacity(drafts.count)
            for draft in drafts {
                var epoch = epochs[draft.recipient]
                let usable = epoch.map { epoch in
                    epoch.nextSequence < epoch.announcement.maxMessages && now <= epoch.announcement.notAfter
                        && now >= epoch.announcement.notBefore
                } ?? false
                var recipientKeyCurrent = true
                if usable, let epoch {
                    let bundle = try directory.current(party: draft.recipient, at: now)
                    recipientKeyCurrent = bundle.keyID == epoch.announcement.recipientKeyID
                }
                if !usable || !recipientKeyCurrent {
                    let bundle = try directory.current(party: draft.recipient, at: now)
                    let (announcement, secret) = try EpochAnnouncement.start(
                        identity: identity, recipientBundle: bundle, now: now, policy: policy)
                    epoch = SendingEpoch(
                        announcement: announcement, keys: try EpochKeys(secret: secret, epochID: announcement.epochID),
                        nextSequence: 0)
                }
                guard var current = epoch else { continue }
                if !current.kept, announced.insert(current.announcement.epochID.bytes).inserted { announcements.append(current.announcement) }
                assignments.append((current.keys, current.announcement.epochID, current.nextSequence))
                current.nextSequence += 1
                epochs[draft.recipient] = current
            }
            return (assignments, announcements)
        }
    }
}
