/// The outcome of a release decision for one object, one recipient, at one instant.
public enum Decision: Sendable, Equatable {
    /// Whether the route needs the originator's consent, and whether it is held.
    public enum ConsentStatus: Sendable, Equatable {
        /// The originator is the sender: it gives its consent with the release.
        case givenByOriginator
        /// A consent covering this release is held.
        case held(consentID: String)
    }

    /// Release directly under `agreement`; the recipient marks the object with `recipientLevel`.
    case direct(agreement: String, recipientLevel: ClassificationLevel)
    /// Release along `route` (originator first, recipient last) under `agreements` (the arrangement
    /// first, then the bilateral agreement of each leg), with the originator's consent.
    case viaIntermediary(route: [PartyCode], agreements: [String], recipientLevel: ClassificationLevel, consent: ConsentStatus)
    /// No release; every reason found, in the order checked.
    case denied([DenialReason])

    /// `direct`, `via` or `denied`.
    public var kind: String {
        switch self {
        case .direct: return "direct"
        case .viaIntermediary: return "via"
        case .denied: return "denied"
        }
    }

    /// The recipient's level, unless denied.
    public var recipientLevel: ClassificationLevel? {
        switch self {
        case .direct(_, let level), .viaIntermediary(_, _, let level, _): return level
        case .denied: return nil
        }
    }

    /// Whether the object may leave the node.
    public var isAllowed: Bool {
        if case .denied = self { return false }
        return true
    }
}
