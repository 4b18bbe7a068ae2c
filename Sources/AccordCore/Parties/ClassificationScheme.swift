/// One level of a party's classification scheme, such as KR `II` (군사II급비밀).
///
/// A final class: levels travel through every decision, and one reference is cheaper to copy than
/// four strings. Two levels are equal when their code, native name and rank are.
public final class ClassificationLevel: Hashable, Sendable, CustomStringConvertible {
    /// The ASCII code analysts type (`II`, `GOKUHI`, `SECRET`).
    public let code: String
    /// The level's name in the party's own language (`군사II급비밀`, `極秘`).
    public let nativeName: String
    /// An English gloss for people who read neither.
    public let englishName: String
    /// Position in the scheme: higher is more sensitive. Two levels may share a rank
    /// (Japan's 極秘 and 特定秘密).
    public let rank: Int
    /// Further accepted spellings (`S` for `SECRET`).
    public let aliases: [String]

    public init(code: String, nativeName: String, englishName: String, rank: Int, aliases: [String] = []) {
        self.code = code
        self.nativeName = nativeName
        self.englishName = englishName
        self.rank = rank
        self.aliases = aliases
    }

    public static func == (lhs: ClassificationLevel, rhs: ClassificationLevel) -> Bool {
        lhs === rhs || (lhs.code == rhs.code && lhs.nativeName == rhs.nativeName && lhs.rank == rhs.rank)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(rank)
    }

    public var description: String { "\(code) (\(nativeName))" }
}

/// A party's own ordered classification levels.
public struct ClassificationScheme: Sendable {
    /// The party whose scheme this is.
    public let party: PartyCode
    /// The levels, least sensitive first.
    public let levels: [ClassificationLevel]
    private let byName: [String: Int]

    /// Creates a scheme; names (codes, native names and aliases) must be unique.
    public init(party: PartyCode, levels: [ClassificationLevel]) throws(PartyDataError) {
        guard !levels.isEmpty else { throw .init("party \(party) has no classification levels") }
        let sorted = levels.sorted { $0.rank < $1.rank }
        var byName: [String: Int] = [:]
        for (index, level) in sorted.enumerated() {
            for name in [level.code, level.nativeName] + level.aliases {
                if let other = byName[name], other != index {
                    throw .init("party \(party): level name '\(name)' is used twice")
                }
                byName[name] = index
            }
        }
        self.party = party
        self.levels = sorted
        self.byName = byName
    }

    /// The level named by an ASCII code, an alias or the native name, if any.
    public func level(named name: some StringProtocol) -> ClassificationLevel? {
        byName[String(name)].map { levels[$0] }
    }

    /// Every name this scheme accepts, for error messages.
    public var acceptedNames: [String] { levels.flatMap { [$0.code] + $0.aliases + [$0.nativeName] } }
}
