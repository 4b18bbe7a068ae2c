import Foundation

/// The recipient's signed acknowledgement of an envelope (its id and payload digest): the "written notification"
/// of delivery. It may carry the recipient's audit signed tree head, opaque here.
public struct Receipt: Sendable {
    static let tag = "accord.receipt"
    static let signatureContext = "receipt"

    /// The acknowledged envelope.
    public let envelopeID: EnvelopeID
    /// The acknowledged payload digest.
    public let payloadDigest: [UInt8]
    /// The envelope's sender (who verifies the receipt).
    public let sender: String
    /// The recipient, who signs.
    public let recipient: String
    /// The recipient's key generation.
    public let recipientKeyID: KeyID
    /// When the envelope was received.
    public let receivedAt: Date
    /// The recipient's audit signed tree head (opaque bytes), if any.
    public let treeHead: [UInt8]?
    /// How the receipt is signed: on its own (version 1), or as one leaf of a batch whose Merkle
    /// root the recipient signed once (version 2; ``Receipt/issueBatch(for:by:receivedAt:treeHead:)``).
    public let authentication: Authentication
    /// The digest a detached receipt (version 3) named its root by, when it was read in that form.
    public private(set) var rootDigest: [UInt8]?

    /// A receipt's signature: its own, or a batch's.
    public enum Authentication: Sendable {
        case signed(HybridSignature)
        /// A leaf of a signed batch; `detached` receipts (version 3) name the root by its digest, and the
        /// root travels and is stored once per batch.
        case batched(proof: BatchProof, root: ReceiptRoot, detached: Bool = false)
    }

    /// The receipt's own signature, for version 1 receipts.
    public var signature: HybridSignature? {
        if case .signed(let signature) = authentication { return signature }
        return nil
    }

    /// The signed root of a batched receipt's batch.
    public var batchRoot: ReceiptRoot? {
        if case .batched(_, let root, _) = authentication { return root }
        return nil
    }

    var version: UInt8 {
        switch authentication {
        case .signed: 1
        case .batched(_, _, let detached): detached ? Self.detachedVersion : 2
        }
    }

    /// The version of batched receipts whose root is named by digest (``ReceiptRoot/digest``).
    public static let detachedVersion: UInt8 = 3

    /// Signs a receipt for an opened envelope.
    public static func issue(
        for opened: OpenedEnvelope, by identity: NodeIdentity, receivedAt: Date, treeHead: [UInt8]? = nil
    ) throws -> Receipt {
        guard opened.header.recipient == identity.party else {
            throw AccordCryptoError(.wrongRecipient, "only \(opened.header.recipient) can acknowledge envelope \(opened.header.id)")
        }
        if let treeHead, treeHead.count > Limits.maxBlob {
            throw AccordCryptoError(.oversized, "tree head of \(treeHead.count) bytes is too large")
        }
        let unsigned = Receipt(
            envelopeID: opened.header.id, payloadDigest: opened.header.payloadDigest, sender: opened.header.sender,
            recipient: identity.party, recipientKeyID: identity.keyID, receivedAt: receivedAt.accordNormalized,
            treeHead: treeHead, authentication: .signed(HybridSignature(ed25519: [], mldsa: [])))
        let signature = try identity.signingKey.sign(context: signatureContext, body: unsigned.toBeSigned)
        return unsigned.with(.signed(signature))
    }

    init(
        envelopeID: EnvelopeID, payloadDigest: [UInt8], sender: String, recipient: String, recipientKeyID: KeyID,
        receivedAt: Date, treeHead: [UInt8]?, authentication: Authentication
    ) {
        self.envelopeID = envelopeID
        self.payloadDigest = payloadDigest
        self.sender = sender
        self.recipient = recipient
        self.recipientKeyID = recipientKeyID
        self.receivedAt = receivedAt
        self.treeHead = treeHead
        self.authentication = authentication
    }

    /// The same receipt with another authentication.
    func with(_ authentication: Authentication) -> Receipt {
        Receipt(envelopeID: envelopeID, payloadDigest: payloadDigest, sender: sender, recipient: recipient,
                recipientKeyID: recipientKeyID, receivedAt: receivedAt, treeHead: treeHead, authentication: authentication)
    }

    var toBeSigned: [UInt8] {
        var writer = ByteWriter(capacity: 160 + (treeHead?.count ?? 0))
        writer.tag(Self.tag)
        writer.u8(version)
        writer.fixed(envelopeID.bytes)
        writer.fixed(payloadDigest)
        writer.string(sender)
        writer.string(recipient)
        writer.fixed(recipientKeyID.bytes)
        writer.time(receivedAt)
        if let treeHead {
            writer.u8(1)
            writer.bytes(treeHead)
        } else {
            writer.u8(0)
        }
        return writer.bytes
    }

    /// The canonical bytes: ``toBeSigned`` then the signature.
    public var encoded: [UInt8] {
        switch authentication {
        case .signed(let signature):
            return toBeSigned + signature.bytes
        case .batched(let proof, let root, false):
            return root.leafEncoding(toBeSigned, proof: proof)
        case .batched(let proof, let root, true):
            return Self.detachedEncoding(toBeSigned, proof: proof, rootDigest: root.digest)
        }
    }

    /// The canonical bytes of a detached receipt (version 3) given its root's digest, computed once per batch
    /// (any other receipt: ``encoded``).
    public func encoded(rootDigest: [UInt8]) -> [UInt8] {
        guard case .batched(let proof, _, true) = authentication else { return encoded }
        return Self.detachedEncoding(toBeSigned, proof: proof, rootDigest: rootDigest)
    }

    private static func detachedEncoding(_ toBeSigned: [UInt8], proof: BatchProof, rootDigest: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: toBeSigned.count + 64 + 32 * proof.path.count)
        writer.fixed(toBeSigned)
        proof.write(to: &writer)
        writer.fixed(rootDigest)
        return writer.bytes
    }

    /// Parses a receipt (verify it with ``verify(for:directory:)``); a detached receipt's root (version 3)
    /// comes from `roots` (``SignedMerkleRoot/index(encoded:)``).
    public init<D: DataProtocol>(encoded data: D, roots: [[UInt8]: ReceiptRoot] = [:]) throws {
        var reader = ByteReader(data, context: "receipt")
        try reader.expectTag(Self.tag)
        let version = try reader.u8("version")
        guard (1...3).contains(version) else {
            throw AccordCryptoError(.unsupportedVersion, "receipt: version \(version) is not 1, 2 or 3")
        }
        envelopeID = try reader.identifier("envelope id")
        payloadDigest = try reader.fixed(32, "payload digest")
        sender = try reader.string("sender")
        recipient = try reader.string("recipient")
        recipientKeyID = try reader.identifier("recipient key id")
        receivedAt = try reader.time("receivedAt")
        treeHead = try reader.bool("tree head flag") ? try reader.bytes("tree head", max: Limits.maxBlob) : nil
        if version == 1 {
            authentication = .signed(try HybridSignature(bytes: try reader.fixed(HybridSignature.size, "signature")))
        } else if version == 2 {
            let proof = try BatchProof.read(from: &reader)
            authentication = .batched(proof: proof, root: try ReceiptRoot.read(from: &reader))
        } else {
            let proof = try BatchProof.read(from: &reader)
            let digest = try reader.fixed(32, "root digest")
            authentication = .batched(proof: proof, root: try ReceiptRoot.resolve(digest, in: roots, for: "receipt for \(envelopeID)"), detached: true)
            rootDigest = digest
        }
        try reader.finish()
    }

    /// Checks that the receipt acknowledges `envelope` as sent and that the recipient signed it (on its
    /// own, or through its batch's root; `cache` spares re-verifying a root already verified).
    public func verify(for envelope: Envelope, directory: KeyDirectory, cache: VerifiedRootCache? = nil) throws {
        try verify(forHeader: envelope.header, directory: directory, cache: cache)
    }

    /// ``verify(for:directory:cache:)`` given only the envelope's header (all a receipt is checked against).
    public func verify(forHeader header: EnvelopeHeader, directory: KeyDirectory, cache: VerifiedRootCache? = nil) throws {
        guard envelopeID == header.id, payloadDigest == header.payloadDigest, recipient == header.recipient,
            sender == header.sender
        else {
            throw AccordCryptoError(.receiptMismatch, "receipt for \(envelopeID) does not acknowledge envelope \(header.id) as sent")
        }
        switch authentication {
        case .signed(let signature):
            let bundle = try directory.bundle(party: recipient, keyID: recipientKeyID, validAt: receivedAt)
            try bundle.signingKey.verify(signature, context: Self.signatureContext, body: toBeSigned)
        case .batched(let proof, let root, _):
            guard root.signer == recipient, root.keyID == recipientKeyID, proof.treeSize == root.treeSize,
                  MerkleTree.rootFromInclusionPath(leaf: toBeSigned, index: Int(proof.leafIndex),
                                                   size: Int(proof.treeSize), path: proof.path) == root.root
            else {
                throw AccordCryptoError(.receiptMismatch, "receipt for \(envelopeID) is not in the batch its root signs")
            }
            try root.verify(directory: directory, validAt: receivedAt, cache: cache)
        }
    }
}
