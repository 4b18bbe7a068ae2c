import Foundation

/// One reason a release is refused, each tied to a rule of the agreements, with a sentence for people.
public enum DenialReason: Sendable, Equatable, CustomStringConvertible {
    /// The recipient is the sender itself.
    case recipientIsSender(PartyCode)
    /// The label's REL TO list does not include the recipient (STANAG 4774 releasability).
    case notReleasable(recipient: PartyCode, label: String)
    /// The sender does not hold the originator's label: only the originator or an intermediary releases.
    case noAgreementBetween(PartyCode, PartyCode)
    /// The agreement exists but is not in force at the instant (draft or terminated, Art. 21).
    case agreementNotInForce(agreement: String, state: AgreementState)
    /// A topic of the label is outside the agreement's scope (TISA: DPRK nuclear and missile only).
    case topicOutOfScope(agreement: String, topics: [Topic])
    /// The label's level has no equivalent in the agreement's table (Art. 4.1).
    case levelNotExchangeable(agreement: String, party: PartyCode, level: String)
    /// The label's level is above what the agreement allows (KR Grade I, JP Kimitsu on the KR–JP link).
    case levelAboveCeiling(agreement: String, party: PartyCode, level: String, ceiling: String)
    /// The purpose is not one the agreement provides information for (Art. 6).
    case purposeNotAllowed(agreement: String, purpose: String, allowed: [String])
    /// The recipient has given no written assurance covering this level (Art. 7).
    case noAssurance(agreement: String, recipient: PartyCode, level: String)
    /// The route through an intermediary needs the intermediary in REL TO as well.
    case intermediaryNotReleasable(intermediary: PartyCode)
    /// No arrangement allows this route.
    case routeNotAllowed(route: [PartyCode])
    /// Onward release of another party's information without a consent that covers it (Art. 6(a), TISA).
    case consentMissing(originator: PartyCode, intermediary: PartyCode, recipient: PartyCode, detail: String?)

    /// Short machine name of the rule (`level-above-ceiling`).
    public var code: String {
        switch self {
        case .recipientIsSender: return "recipient-is-sender"
        case .notReleasable: return "not-releasable"
        case .noAgreementBetween: return "no-agreement"
        case .agreementNotInForce: return "agreement-not-in-force"
        case .topicOutOfScope: return "topic-out-of-scope"
        case .levelNotExchangeable: return "level-not-exchangeable"
        case .levelAboveCeiling: return "level-above-ceiling"
        case .purposeNotAllowed: return "purpose-not-allowed"
        case .noAssurance: return "no-assurance"
        case .intermediaryNotReleasable: return "intermediary-not-releasable"
        case .routeNotAllowed: return "route-not-allowed"
        case .consentMissing: return "consent-missing"
        }
    }

    public var description: String {
        switch self {
        case .recipientIsSender(let party):
            return "\(party) cannot release to itself"
        case .notReleasable(let recipient, let label):
            return "\(recipient) is not in the REL TO list of \(label)"
        case .noAgreementBetween(let a, let b):
            return "no agreement or arrangement lets \(a) release to \(b)"
        case .agreementNotInForce(let agreement, let state):
            return "\(agreement) is \(state) (no new exchange, Art. 21)"
        case .topicOutOfScope(let agreement, let topics):
            let list = topics.isEmpty ? "no topic" : topics.map(\.rawValue).joined(separator: ", ")
            return "\(agreement) does not cover \(list)"
        case .levelNotExchangeable(let agreement, let party, let level):
            return "\(party) \(level) has no equivalent in \(agreement)'s table (Art. 4)"
        case .levelAboveCeiling(let agreement, let party, let level, let ceiling):
            return "\(party) \(level) is above \(agreement)'s ceiling \(ceiling) (Art. 4)"
        case .purposeNotAllowed(let agreement, let purpose, let allowed):
            return "purpose '\(purpose)' is not one of \(agreement)'s (\(allowed.joined(separator: ", ")))"
        case .noAssurance(let agreement, let recipient, let level):
            return "\(recipient) has given no written assurance under \(agreement) covering \(level) (Art. 7)"
        case .intermediaryNotReleasable(let intermediary):
            return "the route passes through \(intermediary), which is not in REL TO"
        case .routeNotAllowed(let route):
            return "no arrangement allows the route \(route.map(\.rawValue).joined(separator: "→"))"
        case .consentMissing(let originator, let intermediary, let recipient, let detail):
            var text = "no consent from \(originator) lets \(intermediary) pass its information to \(recipient) (Art. 6)"
            if let detail { text += ": \(detail)" }
            return text
        }
    }
}
