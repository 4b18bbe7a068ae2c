import Crypto
import Foundation
import Synchronization

/// Verifies and opens envelopes addressed to one node: accepts signed epoch announcements, then checks recipient,
/// epoch, label binding, batch proof, batch signature (cached per root), key validity, relay consent, and AEAD.
public final class EnvelopeOpener: Sendable {
    struct ReceivingEpoch: Sendable {
        let announcement: EpochAnnouncement
        /// The announcement's bytes, to recognise it when a sender repeats it.
        let encoded: [UInt8]
        let keys: EpochKeys
    }

    /// Decides whether a `.scope` consent covers a piece of information, given the originator's label text
    /// (topics and level comparison are AccordCore's rules, so the node supplies them).
    public typealias ScopeEvaluator = @Sendable (_ scope: ConsentScope, _ originatorLabel: String) -> Bool

    /// The node's current identity.
    public let identity: NodeIdentity
    private let identities: [NodeIdentity]
    private let epochs = Mutex<[EpochID: ReceivingEpoch]>([:])
    /// Batch roots already verified.
    public let rootCache: VerifiedRootCache

    /// An opener for `identity`; `previousIdentities` (same party, older key generations) can still accept
    /// announcements encapsulated to their keys.
    public init(identity: NodeIdentity, previousIdentities: [NodeIdentity] = [], rootCache: VerifiedRootCache = VerifiedRootCache()) {
        self.identity = identity
        self.identities = [identity] + previousIdentities.filter { $0.party == identity.party }
        self.rootCache = rootCache
    }

    /// Verifies an epoch announcement addressed to this node and remembers the epoch's keys. The very
    /// announcement this opener already took (byte for byte) changes nothing and is not verified again: senders
    /// repeat the announcements of the epochs they use in every transmission, for a peer that lost its epoch state.
    public func accept(_ announcement: EpochAnnouncement, directory: KeyDirectory) throws {
        guard announcement.recipient == identity.party else {
            throw AccordCryptoError(.wrongRecipient, "epoch \(announcement.epochID) is for \(announcement.recipient), not \(identity.party)")
        }
        let encoded = announcement.encoded
        if epochs.withLock({ $0[announcement.epochID]?.encoded == encoded }) { return }
        let own = identities.first { $0.keyID == announcement.recipientKeyID } ?? identity
        let secret = try announcement.openSecret(identity: own, directory: directory)
        let keys = try EpochKeys(secret: secret, epochID: announcement.epochID)
        epochs.withLock { $0[announcement.epochID] = ReceivingEpoch(announcement: announcement, encoded: encoded, keys: keys) }
    }

    /// Forgets epochs whose validity ended before `date`.
    public func forgetEpochs(endedBefore date: Date) {
        epochs.withLock { epochs in epochs = epochs.filter { $0.value.announcement.notAfter >= date } }
    }

    /// Number of epochs known.
    public var knownEpochCount: Int { epochs.withLock { $0.count } }

    /// Parses, verifies and opens envelope bytes; a detached envelope's root comes from `roots`.
    public func open<D: DataProtocol>(
        encoded data: D, roots: [[UInt8]: SignedBatchRoot] = [:], directory: KeyDirectory, scopeCovers: ScopeEvaluator? = nil
    ) throws -> OpenedEnvelope {
        try open(try Envelope(encoded: data, roots: roots), directory: directory, scopeCovers: scopeCovers)
    }

    /// Verifies and opens an envelope. Replay (a known id) is the store's check.
    public func open(_ envelope: Envelope, directory: KeyDirectory, scopeCovers: ScopeEvaluator? = nil) throws -> OpenedEnvelope {
        let header = envelope.header
        guard header.recipient == identity.party else {
            throw AccordCryptoError(.wrongRecipient, "envelope \(header.id) is addressed to \(header.recipient), not \(identity.party)")
        }
        guard let epoch = epochs.withLock({ $0[header.epochID] }) else {
            throw AccordCryptoError(.unknownEpoch, "envelope \(header.id) uses epoch \(header.epochID), which was never announced here")
        }
        let announcement = epoch.announcement
        guard announcement.sender == header.sender, announcement.recipient == header.recipient,
            announcement.senderKeyID == header.senderKeyID
        else {
            throw AccordCryptoError(.epochMismatch, "epoch \(header.epochID) belongs to \(announcement.sender)→\(announcement.recipient)")
        }
        guard header.createdAt >= announcement.notBefore, header.createdAt <= announcement.notAfter else {
            throw AccordCryptoError(.epochExpired, "envelope \(header.id) was made outside epoch \(header.epochID)'s validity")
        }
        guard epoch.keys.isValidLabelBinding(
            header.labelBinding, envelopeID: header.id,
            originatorLabel: header.originatorLabel, recipientLabel: header.recipientLabel)
        else {
            throw AccordCryptoError(.labelTampered, "envelope \(header.id): the labels are not the ones the sender bound")
        }
        try verifyBatch(headerBytes: envelope.headerBytes, proof: envelope.proof, root: envelope.root,
                        signer: header.sender, keyID: header.senderKeyID, createdAt: header.createdAt, directory: directory,
                        what: "envelope \(header.id)")
        if header.isRelayed || header.relay != nil {
            try verifyRelay(header, directory: directory, scopeCovers: scopeCovers)
        }
        let payload: [UInt8]
        do {
            let box = try AES.GCM.SealedBox(
                nonce: try AES.GCM.Nonce(data: header.nonce),
                ciphertext: envelope.ciphertext.dropLast(16), tag: envelope.ciphertext.suffix(16))
            payload = Array(try AES.GCM.open(box, using: epoch.keys.messageKey, authenticating: envelope.headerBytes))
        } catch {
            throw AccordCryptoError(.ciphertextTampered, "envelope \(header.id): the ciphertext does not authenticate")
        }
        guard Array(SHA256.hash(data: payload)) == header.payloadDigest else {
            throw AccordCryptoError(.payloadDigestMismatch, "envelope \(header.id): payload does not match its digest")
        }
        return OpenedEnvelope(envelope: envelope, payload: payload)
    }

    /// Checks that `headerBytes` is in the batch under `root`, that `root` is signed by `signer`'s key `keyID`,
    /// and that this key was valid at `createdAt`.
    func verifyBatch(
        headerBytes: [UInt8], proof: BatchProof, root: SignedBatchRoot, signer: String, keyID: KeyID, createdAt: Date,
        directory: KeyDirectory, what: @autoclosure () -> String
    ) throws {
        guard root.signer == signer, root.keyID == keyID, proof.treeSize == root.treeSize,
            let computed = proof.root(forHeader: headerBytes), computed == root.root
        else {
            throw AccordCryptoError(.headerTampered, "\(what()): the header is not covered by the signed batch root")
        }
        try root.verify(directory: directory, validAt: createdAt, cache: rootCache)
    }
}
