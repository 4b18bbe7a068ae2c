import AccordCore
import Foundation

/// A sealed envelope waiting for, or done with, delivery to one peer.
public struct OutboxEnvelope: Sendable, Equatable {
    /// Delivery state.
    public enum State: Sendable, Equatable {
        /// Not yet acknowledged by the recipient.
        case pending
        /// Acknowledged by a signed receipt at `at`.
        case delivered(at: Date, receipt: Data)
        /// Withdrawn by an operator (user `by`) before delivery, with the reason: never to be sent.
        case withdrawn(at: Date, by: String, reason: String)
    }

    /// The envelope's id (unique in the outbox).
    public let id: String
    /// The party that signed and sends it.
    public let sender: PartyCode
    /// The party it goes to.
    public let recipient: PartyCode
    /// The agreement it is released under.
    public let agreementID: String
    /// When it was put in the outbox.
    public let created: Date
    /// The sealed, signed envelope; opaque to the store.
    public let bytes: Data
    /// Failed delivery attempts so far.
    public let attempts: Int
    /// Not to be tried before this instant.
    public let nextAttempt: Date
    /// Pending, delivered or withdrawn.
    public let state: State
    /// Why the latest attempt failed (the peer's answer, or the transport error), if one did.
    public let lastError: String?
    /// Whether the peer refused this envelope for what it is (not for being down or unable to store it): such a row is
    /// retried on its own backoff and holds no later row back.
    public let refused: Bool

    /// A new pending envelope, to be tried at once.
    public init(id: String, sender: PartyCode, recipient: PartyCode, agreementID: String, created: Date, bytes: Data) {
        self.init(
            id: id, sender: sender, recipient: recipient, agreementID: agreementID, created: created, bytes: bytes,
            attempts: 0, nextAttempt: created, state: .pending)
    }

    /// Every field, as a backend reads it back.
    public init(
        id: String, sender: PartyCode, recipient: PartyCode, agreementID: String, created: Date, bytes: Data,
        attempts: Int, nextAttempt: Date, state: State, lastError: String? = nil, refused: Bool = false
    ) {
        self.id = id
        self.sender = sender
        self.recipient = recipient
        self.agreementID = agreementID
        self.created = created
        self.bytes = bytes
        self.attempts = attempts
        self.nextAttempt = nextAttempt
        self.state = state
        self.lastError = lastError
        self.refused = refused
    }
}

/// Marks one pending envelope delivered, keeping the recipient's signed receipt.
public struct OutboxDelivery: Sendable, Equatable {
    /// The envelope.
    public let envelopeID: String
    /// When the receipt arrived.
    public let deliveredAt: Date
    /// The signed receipt; opaque to the store.
    public let receipt: Data

    public init(envelopeID: String, deliveredAt: Date, receipt: Data) {
        self.envelopeID = envelopeID
        self.deliveredAt = deliveredAt
        self.receipt = receipt
    }
}

/// Records one failed delivery attempt of a pending envelope and when to try again.
public struct OutboxFailure: Sendable, Equatable {
    /// The envelope.
    public let envelopeID: String
    /// Not to be tried before this instant.
    public let nextAttempt: Date
    /// Why the attempt failed, kept as the row's ``OutboxEnvelope/lastError`` (at most 1,000 bytes are kept).
    public let reason: String?
    /// The peer refused the envelope for what it is: kept as ``OutboxEnvelope/refused`` (a later failure of another kind clears it).
    public let refused: Bool

    public init(envelopeID: String, nextAttempt: Date, reason: String? = nil, refused: Bool = false) {
        self.envelopeID = envelopeID
        self.nextAttempt = nextAttempt
        self.reason = reason.map(Self.bounded)
        self.refused = refused
    }

    /// `text` cut to at most 1,000 UTF-8 bytes, on a character boundary.
    static func bounded(_ text: String) -> String {
        guard text.utf8.count > 1_000 else { return text }
        var kept = ""
        for character in text {
            guard kept.utf8.count + character.utf8.count <= 1_000 else { break }
            kept.append(character)
        }
        return kept
    }
}

/// Withdraws one pending envelope: it will never be sent. A receipt for it that comes back anyway (from a round
/// already on the wire) is still recorded as a delivery, since the peer then holds it.
public struct OutboxWithdrawal: Sendable, Equatable {
    /// The envelope.
    public let envelopeID: String
    /// When it was withdrawn.
    public let at: Date
    /// The user who withdrew it.
    public let by: String
    /// Why (not empty).
    public let reason: String

    public init(envelopeID: String, at: Date, by: String, reason: String) {
        self.envelopeID = envelopeID
        self.at = at
        self.by = by
        self.reason = reason
    }
}

/// One (sender, recipient) pair with pending envelopes.
public struct OutboxRoute: Sendable, Hashable {
    public let sender: PartyCode
    public let recipient: PartyCode
    /// How many envelopes are pending.
    public let pending: Int
    /// The earliest next attempt among them.
    public let earliestAttempt: Date
    /// When the oldest of them was queued: how long the peer has kept this node waiting.
    public let oldestCreated: Date

    public init(sender: PartyCode, recipient: PartyCode, pending: Int, earliestAttempt: Date, oldestCreated: Date) {
        self.sender = sender
        self.recipient = recipient
        self.pending = pending
        self.earliestAttempt = earliestAttempt
        self.oldestCreated = oldestCreated
    }
}
