import Crypto
import Foundation

/// The sender's signed announcement of a new epoch: the X-Wing HPKE encapsulation of the epoch secret to the
/// recipient's key, with the epoch's validity. The recipient must accept it before opening envelopes of the epoch.
public struct EpochAnnouncement: Sendable {
    static let tag = "accord.epoch"
    static let signatureContext = "epoch-announcement"
    /// The HPKE ciphersuite: X-Wing, HKDF-SHA256, AES-256-GCM.
    static let ciphersuite = HPKE.Ciphersuite.XWingMLKEM768X25519_SHA256_AES_GCM_256
    /// HPKE exporter context for the epoch secret.
    public static let exporterContext = "accord.v1 epoch-secret"
    /// Size of an X-Wing encapsulation.
    public static let encapsulatedKeySize = 1120

    /// The epoch.
    public let epochID: EpochID
    /// The sending party.
    public let sender: String
    /// The receiving party.
    public let recipient: String
    /// The sender's signing key generation.
    public let senderKeyID: KeyID
    /// The recipient's key generation the secret is encapsulated to.
    public let recipientKeyID: KeyID
    /// First instant messages of the epoch may carry.
    public let notBefore: Date
    /// Last instant messages of the epoch may carry.
    public let notAfter: Date
    /// Most messages the epoch may seal.
    public let maxMessages: UInt64
    /// The X-Wing encapsulated key (1120 bytes).
    public let encapsulatedKey: [UInt8]
    /// Hybrid signature of the sender over ``toBeSigned``.
    public let signature: HybridSignature

    /// HPKE `info`: tag `accord.epoch-info`, version 1, epoch id, sender, recipient.
    static func hpkeInfo(epochID: EpochID, sender: String, recipient: String) -> Data {
        var writer = ByteWriter(capacity: 64)
        writer.tag("accord.epoch-info")
        writer.u8(1)
        writer.fixed(epochID.bytes)
        writer.string(sender)
        writer.string(recipient)
        return Data(writer.bytes)
    }

    /// Starts a new epoch from `identity` to the recipient of `recipientBundle`; returns the signed announcement
    /// and the epoch secret (32 bytes).
    static func start(
        identity: NodeIdentity, recipientBundle: PartyKeyBundle, now: Date, policy: EpochPolicy
    ) throws -> (EpochAnnouncement, [UInt8]) {
        let epochID = EpochID.random()
        let secret: [UInt8]
        let encapsulated: [UInt8]
        do {
            let publicKey = try XWingMLKEM768X25519.PublicKey(rawRepresentation: recipientBundle.kemPublicKeyBytes)
            let sender = try HPKE.Sender(
                recipientKey: publicKey, ciphersuite: ciphersuite,
                info: hpkeInfo(epochID: epochID, sender: identity.party, recipient: recipientBundle.party))
            encapsulated = Array(sender.encapsulatedKey)
            secret = try sender.exportSecret(context: Array(exporterContext.utf8), outputByteCount: 32)
                .withUnsafeBytes { Array($0) }
        } catch {
            throw AccordCryptoError(.invalidArgument, "HPKE encapsulation to \(recipientBundle.party) failed: \(error)")
        }
        var unsigned = EpochAnnouncement(
            epochID: epochID, sender: identity.party, recipient: recipientBundle.party,
            senderKeyID: identity.keyID, recipientKeyID: recipientBundle.keyID,
            notBefore: now.accordNormalized, notAfter: now.addingTimeInterval(policy.lifetime).accordNormalized,
            maxMessages: policy.maxMessages, encapsulatedKey: encapsulated,
            signature: HybridSignature(ed25519: [], mldsa: []))
        let signature = try identity.signingKey.sign(context: signatureContext, body: unsigned.toBeSigned)
        unsigned = EpochAnnouncement(
            epochID: epochID, sender: unsigned.sender, recipient: unsigned.recipient, senderKeyID: unsigned.senderKeyID,
            recipientKeyID: unsigned.recipientKeyID, notBefore: unsigned.notBefore, notAfter: unsigned.notAfter,
            maxMessages: unsigned.maxMessages, encapsulatedKey: encapsulated, signature: signature)
        return (unsigned, secret)
    }

    private init(
        epochID: EpochID, sender: String, recipient: String, senderKeyID: KeyID, recipientKeyID: KeyID,
        notBefore: Date, notAfter: Date, maxMessages: UInt64, encapsulatedKey: [UInt8], signature: HybridSignature
    ) {
        self.epochID = epochID
        self.sender = sender
        self.recipient = recipient
        self.senderKeyID = senderKeyID
        self.recipientKeyID = recipientKeyID
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.maxMessages = maxMessages
        self.encapsulatedKey = encapsulatedKey
        self.signature = signature
    }

    var toBeSigned: [UInt8] {
        var writer = ByteWriter(capacity: 1280)
        writer.tag(Self.tag)
        writer.u8(1)
        writer.fixed(epochID.bytes)
        writer.string(sender)
        writer.string(recipient)
        writer.fixed(senderKeyID.bytes)
        writer.fixed(recipientKeyID.bytes)
        writer.time(notBefore)
        writer.time(notAfter)
        writer.u64(maxMessages)
        writer.fixed(encapsulatedKey)
        return writer.bytes
    }

    /// The canonical bytes: ``toBeSigned`` followed by the hybrid signature.
    public var encoded: [UInt8] { toBeSigned + signature.bytes }

    /// Parses an announcement (the signature is checked when it is accepted).
    public init<D: DataProtocol>(encoded data: D) throws {
        var reader = ByteReader(data, context: "epoch announcement")
        try reader.expectTag(Self.tag)
        try reader.expectVersion(1)
        epochID = try reader.identifier("epoch id")
        sender = try reader.string("sender")
        recipient = try reader.string("recipient")
        senderKeyID = try reader.identifier("sender key id")
        recipientKeyID = try reader.identifier("recipient key id")
        notBefore = try reader.time("notBefore")
        notAfter = try reader.time("notAfter")
        maxMessages = try reader.u64("maxMessages")
        encapsulatedKey = try reader.fixed(Self.encapsulatedKeySize, "encapsulated key")
        signature = try HybridSignature(bytes: try reader.fixed(HybridSignature.size, "signature"))
        try reader.finish()
    }

    /// Verifies the announcement for `identity` and decapsulates the epoch secret.
    func openSecret(identity: NodeIdentity, directory: KeyDirectory) throws -> [UInt8] {
        guard recipient == identity.party else {
            throw AccordCryptoError(.wrongRecipient, "epoch \(epochID) is for \(recipient), not \(identity.party)")
        }
        guard recipientKeyID == identity.keyID else {
            throw AccordCryptoError(.unknownKey, "epoch \(epochID) is encapsulated to key \(recipientKeyID), not \(identity.keyID)")
        }
        let senderBundle = try directory.bundle(party: sender, keyID: senderKeyID, validAt: notBefore)
        try senderBundle.signingKey.verify(signature, context: Self.signatureContext, body: toBeSigned)
        do {
            let receiver = try HPKE.Recipient(
                privateKey: identity.kemKey, ciphersuite: Self.ciphersuite,
                info: Self.hpkeInfo(epochID: epochID, sender: sender, recipient: recipient),
                encapsulatedKey: Data(encapsulatedKey))
            return try receiver.exportSecret(context: Array(Self.exporterContext.utf8), outputByteCount: 32)
                .withUnsafeBytes { Array($0) }
        } catch {
            throw AccordCryptoError(.malformed, "epoch \(epochID): the encapsulated key does not decapsulate")
        }
    }
}
