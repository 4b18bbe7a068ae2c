/// A peer's signed tree head as this node holds it: the evidence of what the peer had
/// recorded when it sent a receipt (or answered a request).
public struct HeldPeerTreeHead: Sendable, Hashable {
    /// The peer's signed head (its ``TreeHead/log`` names the peer).
    public let head: SignedTreeHead
    /// When this node received it.
    public let receivedAt: AuditTimestamp
    /// The envelope whose receipt carried it, if any.
    public let envelopeID: String?
    /// The peer's consistency proof from the previously held head to this one, when this node
    /// asked for and checked it; kept so that whole-log verification can check it again.
    public let proofFromPrevious: ConsistencyProof?

    /// Wraps a received head.
    public init(head: SignedTreeHead, receivedAt: AuditTimestamp, envelopeID: String? = nil, proofFromPrevious: ConsistencyProof? = nil) {
        self.head = head
        self.receivedAt = receivedAt
        self.envelopeID = envelopeID
        self.proofFromPrevious = proofFromPrevious
    }

    /// The party whose log this head is of.
    public var party: String { head.head.log }
}
