/// One thing a node decided or saw, as recorded in its audit log.
///
/// Parties are short codes (`KR`), envelope, agreement, object, note, consent, key and user
/// ids are identifiers (printable ASCII), labels are their canonical text form
/// (`KR//II//REL TO JP,US//TOPIC nk-missile`). The byte format of each case is in
/// `docs/audit.md`; the tag numbers below are part of it and never change.
public enum AuditEvent: Sendable, Hashable {
    /// Tag 1: a release decision for one object and one recipient, with its reasons.
    case releaseDecided(objectID: String, recipient: String, label: String, outcome: ReleaseOutcome, reasons: [String])
    /// Tag 2: a sealed envelope left for a recipient under an agreement.
    case envelopeSent(envelopeID: String, recipient: String, label: String, agreementID: String)
    /// Tag 3: a peer's signed receipt for an envelope, with the peer tree head it carried.
    case receiptReceived(envelopeID: String, from: String, peerTreeHead: PeerTreeHeadReference?)
    /// Tag 4: an envelope accepted from `sender` (which may relay for `originator`).
    case envelopeReceived(envelopeID: String, sender: String, originator: String, label: String, agreementID: String)
    /// Tag 5: an envelope passed on to a third party under the originator's consent.
    case relayed(incomingEnvelopeID: String, outgoingEnvelopeID: String, originator: String, recipient: String, consentID: String)
    /// Tag 6: a user was allowed to read a holding.
    case accessGranted(user: String, envelopeID: String)
    /// Tag 7: a user was refused a holding, with the reasons.
    case accessDenied(user: String, envelopeID: String, reasons: [String])
    /// Tag 8: a holding was destroyed, and how.
    case holdingDestroyed(envelopeID: String, method: String)
    /// Tag 9: a holding was returned to a party.
    case holdingReturned(envelopeID: String, to: String)
    /// Tag 10: loss or compromise of a holding was reported to parties.
    case compromiseReported(envelopeID: String, reportedTo: [String], description: String)
    /// Tag 11: a holding's label was changed by an authority.
    case reclassified(envelopeID: String, oldLabel: String, newLabel: String, authority: String)
    /// Tag 12: something hostile or broken was seen.
    case securityEvent(kind: SecurityEventKind, peer: String?, envelopeID: String?, detail: String)
    /// Tag 13: a diplomatic note about an agreement was sent.
    case noteSent(noteID: String, agreementID: String, recipient: String, noteKind: String)
    /// Tag 14: a diplomatic note about an agreement was received.
    case noteReceived(noteID: String, agreementID: String, sender: String, noteKind: String)
    /// Tag 15: a key of this node was replaced (`purpose` says which: signing, encryption, …).
    case keyRotated(purpose: String, oldKeyID: String, newKeyID: String)
    /// Tag 16: an envelope not yet delivered was withdrawn from the outbox by an operator (user `by`), with the reason:
    /// it will not be sent.
    case envelopeWithdrawn(envelopeID: String, recipient: String, by: String, reason: String)

    /// The stable tag of this case in the encoding.
    public var tag: UInt8 {
        switch self {
        case .releaseDecided: 1
        case .envelopeSent: 2
        case .receiptReceived: 3
        case .envelopeReceived: 4
        case .relayed: 5
        case .accessGranted: 6
        case .accessDenied: 7
        case .holdingDestroyed: 8
        case .holdingReturned: 9
        case .compromiseReported: 10
        case .reclassified: 11
        case .securityEvent: 12
        case .noteSent: 13
        case .noteReceived: 14
        case .keyRotated: 15
        case .envelopeWithdrawn: 16
        }
    }

    /// A short kebab-case name for display, e.g. `release-decided`.
    public var name: String {
        switch self {
        case .releaseDecided: "release-decided"
        case .envelopeSent: "envelope-sent"
        case .receiptReceived: "receipt-received"
        case .envelopeReceived: "envelope-received"
        case .relayed: "relayed"
        case .accessGranted: "access-granted"
        case .accessDenied: "access-denied"
        case .holdingDestroyed: "holding-destroyed"
        case .holdingReturned: "holding-returned"
        case .compromiseReported: "compromise-reported"
        case .reclassified: "reclassified"
        case .securityEvent: "security-event"
        case .noteSent: "note-sent"
        case .noteReceived: "note-received"
        case .keyRotated: "key-rotated"
        case .envelopeWithdrawn: "envelope-withdrawn"
        }
    }
}

/// The outcome of a release decision (mirrors AccordCore's decision without depending on it).
public enum ReleaseOutcome: Sendable, Hashable {
    /// Tag 1: released directly under an agreement, with the label in the recipient's scheme.
    case direct(agreementID: String, recipientLabel: String)
    /// Tag 2: released through an intermediary party under an arrangement and a consent.
    case viaIntermediary(intermediary: String, agreementID: String, consentID: String)
    /// Tag 3: not released; the entry's reasons say why.
    case denied
}

/// What kind of security event was seen. Raw values are the encoding's tag bytes.
public enum SecurityEventKind: UInt8, Sendable, Hashable, CaseIterable {
    /// A signature that does not verify.
    case forgedSignature = 1
    /// An envelope, note or receipt seen before.
    case replay = 2
    /// A label that does not match what was signed or sealed.
    case tamperedLabel = 3
    /// A release (or onward release) that no agreement or consent allows.
    case releaseNotAllowed = 4
    /// A message from a party this node has no agreement with.
    case unknownPeer = 5
    /// Input that did not parse.
    case malformedInput = 6
    /// A peer's tree head that does not extend one it signed earlier.
    case peerHistoryRewritten = 7
    /// A peer that signed two roots for one tree size.
    case peerEquivocation = 8
    /// This node's own stored log failed verification.
    case auditTampering = 9

    /// A short kebab-case name for display.
    public var name: String {
        switch self {
        case .forgedSignature: "forged-signature"
        case .replay: "replay"
        case .tamperedLabel: "tampered-label"
        case .releaseNotAllowed: "release-not-allowed"
        case .unknownPeer: "unknown-peer"
        case .malformedInput: "malformed-input"
        case .peerHistoryRewritten: "peer-history-rewritten"
        case .peerEquivocation: "peer-equivocation"
        case .auditTampering: "audit-tampering"
        }
    }
}

/// The size and root of a peer's signed tree head, as recorded in an entry: committing it into
/// this node's own log means this node's signed heads cross-sign the peer's.
public struct PeerTreeHeadReference: Sendable, Hashable {
    /// The peer's tree size.
    public let treeSize: UInt64
    /// The peer's root hash at that size.
    public let rootHash: MerkleHash

    /// Wraps a size and root.
    public init(treeSize: UInt64, rootHash: MerkleHash) {
        self.treeSize = treeSize
        self.rootHash = rootHash
    }
}
