import Foundation

/// What the node asks to seal: the routing fields, the labels as canonical text, and the payload.
/// The creation time is the sealing time; the originator is this node, or the relayed header's originator.
public struct EnvelopeDraft: Sendable {
    /// The envelope id (random by default).
    public var id: EnvelopeID
    /// The party that will open it.
    public var recipient: String
    /// The agreement (or arrangement) under which it is released.
    public var agreementID: String
    /// The originator's label (for a relay: must equal the embedded header's).
    public var originatorLabel: String
    /// The equivalent label in the recipient's scheme.
    public var recipientLabel: String
    /// The stated purpose.
    public var purpose: String
    /// The plaintext.
    public var payload: [UInt8]
    /// For a relay: the originator's signed header and consent.
    public var relay: RelayAttachment?

    /// A draft of a direct envelope from this node, the originator.
    public init(
        recipient: String, agreementID: String, originatorLabel: String, recipientLabel: String, purpose: String,
        payload: [UInt8], id: EnvelopeID = .random()
    ) {
        self.id = id
        self.recipient = recipient
        self.agreementID = agreementID
        self.originatorLabel = originatorLabel
        self.recipientLabel = recipientLabel
        self.purpose = purpose
        self.payload = payload
        self.relay = nil
    }

    /// A draft relaying information this node received (and opened) to `recipient`, under `attachment`'s consent.
    /// The payload must be the one the originator sealed (its digest is checked by the final recipient).
    public init(
        relaying attachment: RelayAttachment, to recipient: String, agreementID: String, recipientLabel: String,
        purpose: String, payload: [UInt8], id: EnvelopeID = .random()
    ) {
        self.id = id
        self.recipient = recipient
        self.agreementID = agreementID
        self.originatorLabel = attachment.originatorHeader.originatorLabel
        self.recipientLabel = recipientLabel
        self.purpose = purpose
        self.payload = payload
        self.relay = attachment
    }

    func validate() throws {
        for (value, field) in [
            (recipient, "recipient"), (agreementID, "agreement id"), (originatorLabel, "originator label"),
            (recipientLabel, "recipient label"), (purpose, "purpose"),
        ] {
            try Limits.check(value, field)
        }
        guard !recipient.isEmpty else { throw AccordCryptoError(.invalidArgument, "recipient must not be empty") }
        guard payload.count <= Limits.maxEnvelope - 64 * 1024 else {
            throw AccordCryptoError(.oversized, "payload of \(payload.count) bytes does not fit in an envelope")
        }
    }
}

/// The result of sealing a batch: the envelopes, the batch's signed root, and the epoch announcements the
/// recipients need first (new epochs started for this batch; deliver them before or with the envelopes).
public struct SealedBatch: Sendable {
    /// The sealed envelopes, in draft order.
    public let envelopes: [Envelope]
    /// The signed root shared by the envelopes.
    public let root: SignedBatchRoot
    /// Epochs started while sealing this batch.
    public let announcements: [EpochAnnouncement]
}

/// An envelope that verified and decrypted.
public struct OpenedEnvelope: Sendable {
    /// The envelope as received.
    public let envelope: Envelope
    /// The plaintext.
    public let payload: [UInt8]

    /// The verified header.
    public var header: EnvelopeHeader { envelope.header }
}
