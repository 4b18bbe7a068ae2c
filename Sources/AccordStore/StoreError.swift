/// Why a store refused a step or could not read what it holds.
///
/// A struct wrapping a private code, so codes can be added without breaking callers. The
/// ``description`` names the table and key involved, never stored bytes, hashes or tokens.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; errors compare by code only.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String {
            case conflict, notFound, corrupt, invalid, migration, unavailable
        }
        private let value: Value

        /// A write collides with what is stored (a unique key, or different bytes under a known id).
        public static let conflict = Code(value: .conflict)
        /// A write refers to a row that does not exist.
        public static let notFound = Code(value: .notFound)
        /// Stored data does not decode or breaks an invariant (tampering or a bug).
        public static let corrupt = Code(value: .corrupt)
        /// A value handed to the store breaks a rule of the schema (sizes, ranges, order).
        public static let invalid = Code(value: .invalid)
        /// The schema could not be brought up to date.
        public static let migration = Code(value: .migration)
        /// The database could not be reached or answered with an unexpected failure.
        public static let unavailable = Code(value: .unavailable)

        public var description: String { value.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, in one line without secrets.
    public let message: String
    /// Where the error was raised.
    public let file: String
    /// Line where the error was raised.
    public let line: Int

    /// Creates an error.
    public init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { "store \(code): \(message)" }

    /// Errors are equal when their codes are.
    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }
}
