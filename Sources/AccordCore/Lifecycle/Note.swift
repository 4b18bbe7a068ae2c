import Foundation

/// A dated diplomatic note about an agreement. An agreement's state at any instant is a pure fold
/// over its notes (``AgreementHistory``).
public struct Note: Sendable, Identifiable, Equatable {
    /// What the note does.
    public enum Kind: Sendable, Equatable {
        /// The sender's notification that its internal requirements are complete (Art. 21.1);
        /// the agreement enters into force on the latest such note once every party has sent one.
        case entryIntoForce
        /// Written notice of termination (Art. 21.3), effective at the anniversary it can reach.
        case noticeOfTermination
        /// Suspends the effect of an earlier notice (ROK, 22 Nov 2019): the agreement does not end.
        case suspensionOfNotice(of: String)
        /// Withdraws earlier notices or suspensions (ROK, 21 Mar 2023): they are gone.
        case withdrawalOfNotice(of: [String])
        /// The sender's written consent to an amendment (Art. 21.2); it takes effect when every party has consented to the same text.
        case amendment(Amendment)
        /// The sender's written assurance (Art. 7) that its recipients hold clearance up to `level`
        /// of its scheme, have an official need, and give substantially equivalent protection.
        case assurance(level: String)
    }

    /// Changes to an agreement, agreed in writing by every party.
    public struct Amendment: Sendable, Equatable {
        /// Identifies the amendment text, so that every party's consent is to the same one.
        public let id: String
        /// New topic scope, if changed (`nil`: unchanged).
        public let scope: [Topic]?
        /// New purposes, if changed.
        public let purposes: [String]?
        /// When it takes effect, at the earliest (else when the last party consents).
        public let effective: Date?
    }

    /// Channel the note went through.
    public enum Channel: String, Sendable, Equatable {
        case diplomatic
        case other
    }

    /// Identifier, unique within the agreement (`kr-jp-2019-notice`).
    public let id: String
    /// The agreement it concerns.
    public let agreement: String
    /// What it does.
    public let kind: Kind
    /// Sending party.
    public let from: PartyCode
    /// When the other party received it.
    public let date: Date
    /// Whether it is a written note.
    public let written: Bool
    /// Channel.
    public let channel: Channel
    /// One line saying what happened.
    public let summary: String

    public init(
        id: String, agreement: String, kind: Kind, from: PartyCode, date: Date,
        written: Bool = true, channel: Channel = .diplomatic, summary: String = ""
    ) {
        self.id = id
        self.agreement = agreement
        self.kind = kind
        self.from = from
        self.date = date
        self.written = written
        self.channel = channel
        self.summary = summary
    }

    /// Whether the note counts as a formal act: written and through the diplomatic channel (Art. 21).
    public var isFormal: Bool { written && channel == .diplomatic }
}
