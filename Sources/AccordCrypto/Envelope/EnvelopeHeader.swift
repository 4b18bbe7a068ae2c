import Crypto
import Foundation

/// The authenticated header of an envelope. Its canonical bytes are the AEAD associated data and,
/// hashed, a leaf of the batch's Merkle tree; so changing any byte (a label included) breaks the envelope.
public struct EnvelopeHeader: Sendable, Equatable {
    static let tag = "accord.envelope-header"
    /// The header format version this implementation writes and reads.
    public static let version: UInt8 = 1

    /// Unique id (the store deduplicates on it).
    public let id: EnvelopeID
    /// The party whose information this is.
    public let originator: String
    /// The party that sealed this envelope (the originator, or an intermediary relaying it).
    public let sender: String
    /// The party that can open it.
    public let recipient: String
    /// The agreement (or arrangement) under which it is released.
    public let agreementID: String
    /// The originator's label, canonical text.
    public let originatorLabel: String
    /// The equivalent label in the recipient's scheme, canonical text.
    public let recipientLabel: String
    /// The stated purpose of use.
    public let purpose: String
    /// When it was sealed (millisecond resolution).
    public let createdAt: Date
    /// The sender's signing key generation.
    public let senderKeyID: KeyID
    /// The epoch whose keys seal it.
    public let epochID: EpochID
    /// The 12-byte AES-GCM nonce.
    public let nonce: [UInt8]
    /// SHA-256 of the plaintext payload.
    public let payloadDigest: [UInt8]
    /// HMAC binding the two labels to the epoch (see ``EpochKeys/labelBinding(envelopeID:originatorLabel:recipientLabel:)``).
    public let labelBinding: [UInt8]
    /// For relayed envelopes: the originator's signed header and consent.
    public private(set) var relay: RelayAttachment?

    init(
        id: EnvelopeID, originator: String, sender: String, recipient: String, agreementID: String,
        originatorLabel: String, recipientLabel: String, purpose: String, createdAt: Date, senderKeyID: KeyID,
        epochID: EpochID, nonce: [UInt8], payloadDigest: [UInt8], labelBinding: [UInt8], relay: RelayAttachment?
    ) {
        self.id = id
        self.originator = originator
        self.sender = sender
        self.recipient = recipient
        self.agreementID = agreementID
        self.originatorLabel = originatorLabel
        self.recipientLabel = recipientLabel
        self.purpose = purpose
        self.createdAt = createdAt
        self.senderKeyID = senderKeyID
        self.epochID = epochID
        self.nonce = nonce
        self.payloadDigest = payloadDigest
        self.labelBinding = labelBinding
        self.relay = relay
    }

    /// Whether the envelope is relayed (sender is not the originator).
    public var isRelayed: Bool { originator != sender }

    /// The canonical bytes (layout in `docs/envelope.md`).
    public var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 256 + originatorLabel.utf8.count + recipientLabel.utf8.count)
        write(to: &writer)
        return writer.bytes
    }

    /// The detached form (`docs/envelope.md`, "Relayed envelopes, detached"): the relay attachment names the
    /// originator's root and its consent's root by digest. Nil when there is no attachment that can be detached.
    var detachedEncoded: [UInt8]? {
        guard relay?.detachedDigests != nil else { return nil }
        var writer = ByteWriter(capacity: 1024 + originatorLabel.utf8.count + recipientLabel.utf8.count)
        write(to: &writer, detachingRelay: true)
        return writer.bytes
    }

    func write(to writer: inout ByteWriter, detachingRelay: Bool = false) {
        writeFields(to: &writer)
        if let relay {
            if detachingRelay {
                writer.u8(2)
                precondition(relay.writeDetached(to: &writer), "the relay attachment has a detached form")
            } else {
                writer.u8(1)
                relay.write(to: &writer)
            }
        } else {
            writer.u8(0)
        }
    }

    private func writeFields(to writer: inout ByteWriter) {
        writer.tag(Self.tag)
        writer.u8(Self.version)
        writer.fixed(id.bytes)
        writer.string(originator)
        writer.string(sender)
        writer.string(recipient)
        writer.string(agreementID)
        writer.string(originatorLabel)
        writer.string(recipientLabel)
        writer.string(purpose)
        writer.time(createdAt)
        writer.fixed(senderKeyID.bytes)
        writer.fixed(epochID.bytes)
        writer.fixed(nonce)
        writer.fixed(payloadDigest)
        writer.fixed(labelBinding)
    }

    /// Parses canonical header bytes. An embedded (originator) header may not itself be relayed.
    public init<D: DataProtocol>(encoded data: D) throws {
        var reader = ByteReader(data, context: "envelope header")
        self = try Self.read(from: &reader, allowRelay: true)
        try reader.finish()
    }

    /// Reads a header. The relay flag is 0 (none) or 1 (the attachment, canonical); 2 (the attachment, detached) is
    /// read only with `detachedRoots`, which resolve the roots it names: only a version-3 envelope's header has it.
    static func read(from reader: inout ByteReader, allowRelay: Bool, detachedRoots: DetachedRoots? = nil) throws -> EnvelopeHeader {
        var header = try readFields(from: &reader)
        switch try reader.u8("relay flag") {
        case 0: return header
        case 1:
            try Self.requireRelay(allowed: allowRelay, reader)
            header.relay = try RelayAttachment.read(from: &reader)
        case 2:
            try Self.requireRelay(allowed: allowRelay, reader)
            guard let detachedRoots else {
                throw AccordCryptoError(.malformed, "\(reader.context): a detached relay attachment belongs in a version-3 envelope only")
            }
            header.relay = try RelayAttachment.readDetached(from: &reader, roots: detachedRoots)
        case let other:
            throw AccordCryptoError(.malformed, "\(reader.context): relay flag is \(other), expected 0 or 1 (2 in a version-3 envelope)")
        }
        return header
    }

    /// The epoch id, and the digests a detached header's relay attachment names (nil when it has none in the detached
    /// form; read only when `detached`, for a version-3 envelope's header), unresolved.
    static func references(from reader: inout ByteReader, detached: Bool) throws -> (epoch: EpochID, relay: RelayRootDigests?) {
        let fields = try readFields(from: &reader)
        guard detached, try reader.u8("relay flag") == 2 else { return (fields.epochID, nil) }
        return (fields.epochID, try RelayAttachment.readDetachedDigests(from: &reader))
    }

    private static func requireRelay(allowed: Bool, _ reader: ByteReader) throws {
        guard allowed else {
            throw AccordCryptoError(.malformed, "\(reader.context): an embedded originator header cannot itself be relayed")
        }
    }

    /// Every field but the relay attachment (left nil).
    private static func readFields(from reader: inout ByteReader) throws -> EnvelopeHeader {
        try reader.expectTag(tag)
        try reader.expectVersion(version)
        let id: EnvelopeID = try reader.identifier("envelope id")
        let originator = try reader.string("originator")
        let sender = try reader.string("sender")
        let recipient = try reader.string("recipient")
        let agreementID = try reader.string("agreement id")
        let originatorLabel = try reader.string("originator label")
        let recipientLabel = try reader.string("recipient label")
        let purpose = try reader.string("purpose")
        let createdAt = try reader.time("createdAt")
        let senderKeyID: KeyID = try reader.identifier("sender key id")
        let epochID: EpochID = try reader.identifier("epoch id")
        let nonce = try reader.fixed(12, "nonce")
        let payloadDigest = try reader.fixed(32, "payload digest")
        let labelBinding = try reader.fixed(32, "label binding")
        return EnvelopeHeader(
            id: id, originator: originator, sender: sender, recipient: recipient, agreementID: agreementID,
            originatorLabel: originatorLabel, recipientLabel: recipientLabel, purpose: purpose, createdAt: createdAt,
            senderKeyID: senderKeyID, epochID: epochID, nonce: nonce, payloadDigest: payloadDigest,
            labelBinding: labelBinding, relay: nil)
    }
}
