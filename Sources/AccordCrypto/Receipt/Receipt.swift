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
    /// Hybrid signature of the recipient.
    public let signature: HybridSignature

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
            treeHead: treeHead, signature: HybridSignature(ed25519: [], mldsa: []))
        let signature = try identity.signingKey.sign(context: signatureContext, body: unsigned.toBeSigned)
        return Receipt(
            envelopeID: unsigned.envelopeID, payloadDigest: unsigned.payloadDigest, sender: unsigned.sender,
            recipient: unsigned.recipient, recipientKeyID: unsigned.recipientKeyID, receivedAt: unsigned.receivedAt,
            treeHead: treeHead, signature: signature)
    }

    private init(
        envelopeID: EnvelopeID, payloadDigest: [UInt8], sender: String, recipient: String, recipientKeyID: KeyID,
        receivedAt: Date, treeHead: [UInt8]?, signature: HybridSignature
    ) {
        self.envelopeID = envelopeID
        self.payloadDigest = payloadDigest
        self.sender = sender
        self.recipient = recipient
        self.recipientKeyID = recipientKeyID
        self.receivedAt = receivedAt
        self.treeHead = treeHead
        self.signature = signature
    }

    var toBeSigned: [UInt8] {
        var writer = ByteWriter(capacity: 160 + (treeHead?.count ?? 0))
        writer.tag(Self.tag)
        writer.u8(1)
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
    public var encoded: [UInt8] { toBeSigned + signature.bytes }

    /// Parses a receipt (verify it with ``verify(for:directory:)``).
    public init<D: DataProtocol>(encoded data: D) throws {
        var reader = ByteReader(data, context: "receipt")
        try reader.expectTag(Self.tag)
        try reader.expectVersion(1)
        envelopeID = try reader.identifier("envelope id")
        payloadDigest = try reader.fixed(32, "payload digest")
        sender = try reader.string("sender")
        recipient = try reader.string("recipient")
        recipientKeyID = try reader.identifier("recipient key id")
        receivedAt = try reader.time("receivedAt")
        treeHead = try reader.bool("tree head flag") ? try reader.bytes("tree head", max: Limits.maxBlob) : nil
        signature = try HybridSignature(bytes: try reader.fixed(HybridSignature.size, "signature"))
        try reader.finish()
    }

    /// Verifies, for the sender, that this receipt acknowledges `envelope` and is signed by its recipient.
    public func verify(for envelope: Envelope, directory: KeyDirectory) throws {
        let header = envelope.header
        guard envelopeID == header.id, payloadDigest == header.payloadDigest, recipient == header.recipient,
            sender == header.sender
        else {
            throw AccordCryptoError(.receiptMismatch, "receipt for \(envelopeID) does not acknowledge envelope \(header.id) as sent")
        }
        let bundle = try directory.bundle(party: recipient, keyID: recipientKeyID, validAt: receivedAt)
        try bundle.signingKey.verify(signature, context: Self.signatureContext, body: toBeSigned)
    }
}
