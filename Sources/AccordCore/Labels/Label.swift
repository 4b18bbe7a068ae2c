import Foundation

/// A confidentiality label in the spirit of NATO STANAG 4774: the originator's policy and level,
/// who may receive the object, its topics and handling caveats.
///
/// The text form is `<PARTY>//<LEVEL>//REL TO <P>[,<P>...][//TOPIC <t>[,...]][//CAVEAT <c>[,...]]`
/// (grammar in `docs/labels.md`); ``LabelParser`` reads it and ``text`` writes it.
public struct Label: Hashable, Sendable {
    /// The party whose scheme (STANAG 4774 "policy") the level belongs to; also the originator.
    public let originator: PartyCode
    /// The level in the originator's scheme.
    public let level: ClassificationLevel
    /// The parties the originator releases the object to, in the order written.
    public let releasableTo: [PartyCode]
    /// Subject topics (`nk-missile`), in the order written.
    public let topics: [Topic]
    /// Handling caveats (`ORCON`), in the order written; carried and bound, never dropped.
    public let caveats: [String]
    /// When the label was created (STANAG 4774 `CreationDateTime`); not part of the text form.
    public let created: Date?

    public init(
        originator: PartyCode, level: ClassificationLevel, releasableTo: [PartyCode],
        topics: [Topic] = [], caveats: [String] = [], created: Date? = nil
    ) {
        self.originator = originator
        self.level = level
        self.releasableTo = releasableTo
        self.topics = topics
        self.caveats = caveats
        self.created = created
    }

    /// The label's text form, with the level's ASCII code.
    public var text: String {
        var text = "\(originator.rawValue)//\(level.code)//REL TO "
        text += releasableTo.map(\.rawValue).joined(separator: ",")
        if !topics.isEmpty { text += "//TOPIC " + topics.map(\.rawValue).joined(separator: ",") }
        if !caveats.isEmpty { text += "//CAVEAT " + caveats.joined(separator: ",") }
        return text
    }

    /// Whether `party` may receive the object (the originator always may).
    public func isReleasable(to party: PartyCode) -> Bool {
        party == originator || releasableTo.contains(party)
    }

    /// The same label with another creation time.
    public func created(at instant: Date?) -> Label {
        Label(originator: originator, level: level, releasableTo: releasableTo, topics: topics,
              caveats: caveats, created: instant)
    }
}

/// A subject topic: lower-case ASCII words joined by hyphens (`nk-missile`, `maritime`).
public struct Topic: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The topic's text.
    public let rawValue: String

    /// Creates a topic, or `nil` if the text is not lower-case words (`[a-z0-9]+(-[a-z0-9]+)*`, at most 64 bytes).
    public init?(_ text: some StringProtocol) {
        var previousWasHyphen = true
        for byte in text.utf8 {
            switch byte {
            case 0x61...0x7A, 0x30...0x39: previousWasHyphen = false
            case 0x2D where !previousWasHyphen: previousWasHyphen = true
            default: return nil
            }
        }
        guard !previousWasHyphen, text.utf8.count <= 64 else { return nil }
        self.rawValue = String(text)
    }

    public var description: String { rawValue }
    public static func < (lhs: Topic, rhs: Topic) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let topic = Topic(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a topic (lower-case words, e.g. nk-missile)"))
        }
        self = topic
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
