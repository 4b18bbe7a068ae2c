/// What went wrong in a flight solve or an estimate. A struct over a private code, so cases can be added.
public struct TrackingError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case invalidInput
        case noImpact
        case noConvergence
        case singular
    }

    private let code: Code
    /// A readable reason (contains no secrets: only numbers the caller supplied or derived).
    public let reason: String

    private init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public static func invalidInput(_ reason: String) -> Self { .init(.invalidInput, reason) }
    public static func noImpact(_ reason: String) -> Self { .init(.noImpact, reason) }
    public static func noConvergence(_ reason: String) -> Self { .init(.noConvergence, reason) }
    public static func singular(_ reason: String) -> Self { .init(.singular, reason) }

    public var isInvalidInput: Bool { code == .invalidInput }
    public var isNoImpact: Bool { code == .noImpact }
    public var isNoConvergence: Bool { code == .noConvergence }

    public var description: String { reason }

    public static func == (l: Self, r: Self) -> Bool { l.code == r.code }
    public func hash(into h: inout Hasher) { h.combine(code) }
}
