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
    /// Pending or delivered.
    public let state: State

    /// A new pending envelope, to be tried at once.
    public init(id: String, sender: PartyCode, recipient: PartyCode, agreementID: String, created: Date, bytes: Data) {
        self.init(
            id: id, sender: sender, recipient: recipient, agreementID: agreementID, created: created, bytes: bytes,
            attempts: 0, nextAttempt: created, state: .pending)
    }

    /// Every field, as a backend reads it back.
    public init(
        id: String, sender: PartyCode, recipient: PartyCode, agreementID: String, created: Date, bytes: Data,
        attempts: Int, nextAttempt: Date, state: State
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

    public init(envelopeID: String, nextAttempt: Date) {
        self.envelopeID = envelopeID
        self.nextAttempt = nextAttempt
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

    public init(sender: PartyCode, recipient: PartyCode, pending: Int, earliestAttempt: Date) {
        self.sender = sender
        self.recipient = recipient
        self.pending = pending
        self.earliestAttempt = earliestAttempt
    }
}
