import AccordCore
import Foundation

/// A received envelope, kept under its id so that a replay is recognised.
public struct InboxEnvelope: Sendable, Equatable {
    /// The envelope's id (the deduplication key).
    public let id: String
    /// The party that sent it (the originator or an intermediary).
    public let sender: PartyCode
    /// When it was received.
    public let received: Date
    /// The envelope as received; opaque to the store.
    public let bytes: Data

    public init(id: String, sender: PartyCode, received: Date, bytes: Data) {
        self.id = id
        self.sender = sender
        self.received = received
        self.bytes = bytes
    }
}

/// One inbox row to insert, and the holding to store with it unless the envelope is a duplicate.
public struct InboxWrite: Sendable, Equatable {
    /// The envelope.
    public let envelope: InboxEnvelope
    /// The holding it produced; written only when the envelope id is new.
    public let holding: Holding.Snapshot?

    public init(envelope: InboxEnvelope, holding: Holding.Snapshot? = nil) {
        self.envelope = envelope
        self.holding = holding
    }
}
