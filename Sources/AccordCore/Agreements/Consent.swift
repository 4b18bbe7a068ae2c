import Foundation

/// The originator's written permission for `intermediary` to pass its information to `recipient`
/// (GSOMIA Art. 6(a), TISA): for one object, or for a scope of topics up to a level, for a period.
public struct Consent: Sendable, Hashable {
    /// What the consent covers.
    public enum Coverage: Sendable, Hashable {
        /// One object, by its id.
        case object(String)
        /// Any object on these topics at or below this level code of the originator's scheme.
        case scope(topics: [Topic], ceiling: String)
    }

    /// The consent's identifier.
    public let id: String
    /// The party whose information it is.
    public let originator: PartyCode
    /// Who may pass it on.
    public let intermediary: PartyCode
    /// To whom.
    public let recipient: PartyCode
    /// Which information.
    public let coverage: Coverage
    /// First instant the consent is valid.
    public let validFrom: Date
    /// Instant after which it is no longer valid; `nil` for no end.
    public let validUntil: Date?

    public init(
        id: String, originator: PartyCode, intermediary: PartyCode, recipient: PartyCode,
        coverage: Coverage, validFrom: Date, validUntil: Date? = nil
    ) {
        self.id = id
        self.originator = originator
        self.intermediary = intermediary
        self.recipient = recipient
        self.coverage = coverage
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    /// Why this consent does not cover a release, or `nil` if it does.
    public func gap(
        label: Label, objectID: String?, intermediary: PartyCode, recipient: PartyCode, at instant: Date,
        scheme: ClassificationScheme
    ) -> String? {
        if originator != label.originator { return "it was given by \(originator), not the originator \(label.originator)" }
        if self.intermediary != intermediary { return "it lets \(self.intermediary) pass information, not \(intermediary)" }
        if self.recipient != recipient { return "it names \(self.recipient) as recipient, not \(recipient)" }
        if instant < validFrom { return "it is valid only from \(Instant.format(validFrom))" }
        if let validUntil, instant > validUntil { return "it expired at \(Instant.format(validUntil))" }
        switch coverage {
        case .object(let id):
            if id != objectID { return "it covers object \(id), not \(objectID ?? "this object")" }
        case .scope(let topics, let ceiling):
            if label.topics.isEmpty || !label.topics.allSatisfy(topics.contains) {
                return "it covers topics \(topics.map(\.rawValue).joined(separator: ",")), not all of \(label.topics.map(\.rawValue).joined(separator: ","))"
            }
            guard let ceilingLevel = scheme.level(named: ceiling), label.level.rank <= ceilingLevel.rank else {
                return "it covers information up to \(ceiling), not \(label.level.code)"
            }
        }
        return nil
    }
}

extension Consent: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, originator, intermediary, recipient, object, topics, ceiling, validFrom, validUntil
    }

    /// JSON form: `{"id", "originator", "intermediary", "recipient", "object"` or `"topics"+"ceiling",
    /// "validFrom", "validUntil"?}` with ISO 8601 instants.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func instant(_ key: CodingKeys) throws -> Date? {
            guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard let date = Instant.parse(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "'\(text)' is not an ISO 8601 instant")
            }
            return date
        }
        id = try container.decode(String.self, forKey: .id)
        originator = try container.decode(PartyCode.self, forKey: .originator)
        intermediary = try container.decode(PartyCode.self, forKey: .intermediary)
        recipient = try container.decode(PartyCode.self, forKey: .recipient)
        if let object = try container.decodeIfPresent(String.self, forKey: .object) {
            coverage = .object(object)
        } else {
            coverage = .scope(
                topics: try container.decode([Topic].self, forKey: .topics),
                ceiling: try container.decode(String.self, forKey: .ceiling))
        }
        guard let from = try instant(.validFrom) else {
            throw DecodingError.keyNotFound(CodingKeys.validFrom, .init(codingPath: container.codingPath, debugDescription: "validFrom is required"))
        }
        validFrom = from
        validUntil = try instant(.validUntil)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(originator, forKey: .originator)
        try container.encode(intermediary, forKey: .intermediary)
        try container.encode(recipient, forKey: .recipient)
        switch coverage {
        case .object(let object):
            try container.encode(object, forKey: .object)
        case .scope(let topics, let ceiling):
            try container.encode(topics, forKey: .topics)
            try container.encode(ceiling, forKey: .ceiling)
        }
        try container.encode(Instant.format(validFrom), forKey: .validFrom)
        try container.encodeIfPresent(validUntil.map { Instant.format($0) }, forKey: .validUntil)
    }
}
