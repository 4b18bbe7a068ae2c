import Foundation

/// An agreement's state at one instant, derived from its notes (never stored as truth).
public enum AgreementState: Sendable, Equatable, CustomStringConvertible {
    /// Not yet in force (not every party has notified entry into force).
    case draft
    /// In force, no notice pending.
    case inForce
    /// In force, but a notice of termination will end it at `effective`.
    case noticeGiven(notice: String, effective: Date)
    /// In force; a notice was given but its effect is suspended (the 2019–2023 GSOMIA).
    case noticeSuspended(notice: String)
    /// Ended at `at`; obligations on information already provided survive (Art. 21.4).
    case terminated(at: Date)

    /// Whether new information may be exchanged under the agreement in this state.
    public var allowsExchange: Bool {
        switch self {
        case .inForce, .noticeGiven, .noticeSuspended: return true
        case .draft, .terminated: return false
        }
    }

    /// Short machine name (`in-force`, `notice-given`, ...).
    public var name: String {
        switch self {
        case .draft: return "draft"
        case .inForce: return "in-force"
        case .noticeGiven: return "notice-given"
        case .noticeSuspended: return "notice-suspended"
        case .terminated: return "terminated"
        }
    }

    public var description: String {
        switch self {
        case .draft: return "not in force"
        case .inForce: return "in force"
        case .noticeGiven(let notice, let effective):
            return "in force, notice \(notice) terminates it at \(Instant.format(effective))"
        case .noticeSuspended(let notice): return "in force, notice \(notice) suspended"
        case .terminated(let at): return "terminated at \(Instant.format(at))"
        }
    }
}
