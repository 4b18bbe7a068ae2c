import Foundation

/// A treaty or arrangement between parties, as data: who, what, how sensitive, for what, and for how long.
/// Read from one JSON file per agreement (format in `docs/agreements.md`).
public struct Agreement: Sendable, Identifiable {
    /// Whether parties exchange directly, or an intermediary passes information between two of them.
    public enum Kind: Sendable, Equatable {
        /// Parties exchange directly (a GSOMIA).
        case bilateral
        /// `intermediary` may pass information along `routes`, each leg governed by the bilateral
        /// agreements in `governedBy`, only with the originator's consent (TISA).
        case arrangement(intermediary: PartyCode, routes: [[PartyCode]], governedBy: [String])
    }

    /// How long the agreement runs and how it ends (GSOMIA Art. 21).
    public struct Term: Sendable, Equatable {
        /// Length of the first term in years; `nil` means it runs until terminated by notice.
        public let initialYears: Int?
        /// Whether the term extends by a year on each anniversary unless notice was given.
        public let automaticRenewal: Bool
        /// Days of written notice required before the anniversary (or before termination, without a term).
        public let noticeDays: Int
        /// The UTC offset, in seconds, of the clock anniversaries are counted on (+09:00 for Seoul and Tokyo).
        public let utcOffsetSeconds: Int
    }

    /// The agreement's identifier (`kr-jp-gsomia-2016`).
    public let id: String
    /// The official title.
    public let title: String
    /// A short name for tables (`KR–JP GSOMIA`).
    public let shortName: String
    /// Direct, or through an intermediary.
    public let kind: Kind
    /// The parties.
    public let parties: [PartyCode]
    /// Topics in scope; `nil` means any military information.
    public let scope: Set<Topic>?
    /// Equivalent levels; the top row is the ceiling.
    public let equivalence: EquivalenceTable
    /// Purposes information may be provided for.
    public let purposes: Set<String>
    /// Duration, renewal and notice.
    public let term: Term
    /// Whether obligations on information already provided survive termination (Art. 21.4).
    public let obligationsSurviveTermination: Bool
    /// Whether the originator's written consent is needed before any onward release (Art. 6(a)).
    public let onwardReleaseNeedsConsent: Bool
    /// Whether a recipient must have given a written assurance (Art. 7) before the first release to it.
    public let requiresAssurance: Bool
    /// Consents given in the agreement itself, valid while it is in force.
    public let standingConsents: [Consent]
    /// Fields whose values are assumed, not taken from the public record.
    public let assumed: [String]
    /// Where the facts come from.
    public let sources: [String]

    /// The intermediary, for an arrangement.
    public var intermediary: PartyCode? {
        if case .arrangement(let intermediary, _, _) = kind { return intermediary }
        return nil
    }

    /// Whether the agreement covers a label's topics (every topic must be in scope; a label without
    /// topics is in scope only of agreements without a topic limit).
    public func covers(topics: [Topic]) -> Bool {
        guard let scope else { return true }
        return !topics.isEmpty && topics.allSatisfy(scope.contains)
    }
}
