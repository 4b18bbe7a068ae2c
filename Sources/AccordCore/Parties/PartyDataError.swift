/// A party data file (parties and their schemes) is malformed.
public struct PartyDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, in one line.
    public let message: String

    init(_ message: String) { self.message = message }

    public var description: String { "invalid party data: \(message)" }
}
