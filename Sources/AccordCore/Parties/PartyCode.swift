/// A party's short code, such as `KR`, `JP` or `US`: two to eight upper-case ASCII letters.
public struct PartyCode: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The code's text.
    public let rawValue: String

    /// Creates a code, or returns `nil` if the text is not 2–8 upper-case ASCII letters.
    public init?(_ text: some StringProtocol) {
        let utf8 = text.utf8
        guard (2...8).contains(utf8.count), utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else { return nil }
        self.rawValue = String(text)
    }

    public var description: String { rawValue }

    public static func < (lhs: PartyCode, rhs: PartyCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = PartyCode(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "'\(text)' is not a party code (2–8 upper-case letters, e.g. KR)"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
