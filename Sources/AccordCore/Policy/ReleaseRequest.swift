import Foundation

/// One question for the release policy: may `sender` release an object with `label` to `recipient`
/// for `purpose` at `instant`?
public struct ReleaseRequest: Sendable, Equatable {
    /// The originator's label (never the recipient's equivalent).
    public let label: Label
    /// The releasing party: the originator, or an intermediary passing the originator's information on.
    public let sender: PartyCode
    /// The party that would receive it.
    public let recipient: PartyCode
    /// What the information is provided for (`defence`, `missile-warning`).
    public let purpose: String
    /// When the release happens.
    public let instant: Date
    /// The object's id, for consents given per object.
    public let objectID: String?

    public init(label: Label, sender: PartyCode, recipient: PartyCode, purpose: String, instant: Date, objectID: String? = nil) {
        self.label = label
        self.sender = sender
        self.recipient = recipient
        self.purpose = purpose
        self.instant = instant
        self.objectID = objectID
    }
}
