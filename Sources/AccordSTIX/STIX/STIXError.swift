/// STIX or TAXII input that Accord refuses. The message names the field at fault
/// (`objects[3].created`) and says what was expected; it never quotes more than a short excerpt.
public struct STIXError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of problem it is, for callers that branch on it (and for TAXII error codes).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case malformedJSON = "malformed-json"
            case tooLarge = "too-large"
            case missingProperty = "missing-property"
            case invalidProperty = "invalid-property"
            case invalidIdentifier = "invalid-identifier"
            case invalidTimestamp = "invalid-timestamp"
            case invalidSpecVersion = "invalid-spec-version"
            case invalidMarking = "invalid-marking"
            case contradiction
            case invalidLabel = "invalid-label"
            case invalidEvent = "invalid-event"
            case invalidFilter = "invalid-filter"
            case invalidCursor = "invalid-cursor"
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }
        /// The bytes are not JSON (RFC 8259), or repeat a member name.
        public static let malformedJSON = Code(.malformedJSON)
        /// A configured limit (bytes, objects, nesting depth, string length) is exceeded.
        public static let tooLarge = Code(.tooLarge)
        /// A required property is absent.
        public static let missingProperty = Code(.missingProperty)
        /// A property has the wrong JSON type or an unacceptable value.
        public static let invalidProperty = Code(.invalidProperty)
        /// An identifier is not `<type>--<RFC 4122 UUID>`, or names the wrong type.
        public static let invalidIdentifier = Code(.invalidIdentifier)
        /// A timestamp is not STIX timestamp syntax, or versions run backwards.
        public static let invalidTimestamp = Code(.invalidTimestamp)
        /// `spec_version` is not `2.1`.
        public static let invalidSpecVersion = Code(.invalidSpecVersion)
        /// A marking definition is not an Accord national-classification marking.
        public static let invalidMarking = Code(.invalidMarking)
        /// Two fields of a marking or event say different things.
        public static let contradiction = Code(.contradiction)
        /// The label inside a marking does not parse (see `LabelError`).
        public static let invalidLabel = Code(.invalidLabel)
        /// A missile event is out of range (latitude, longitude, time order, uncertainty).
        public static let invalidEvent = Code(.invalidEvent)
        /// A TAXII filter query parameter is malformed.
        public static let invalidFilter = Code(.invalidFilter)
        /// A TAXII `next` cursor is malformed, forged, or belongs to another query.
        public static let invalidCursor = Code(.invalidCursor)
        /// The code's text, such as `invalid-timestamp`.
        public var description: String { value.rawValue }
    }

    /// The kind of problem.
    public let code: Code
    /// Where the problem is: a property path such as `objects[3].created`, or a query parameter; empty for the whole input.
    public let field: String
    /// One line saying what is wrong and what was expected.
    public let message: String

    /// Creates an error; `field` is the path of the property at fault.
    public init(_ code: Code, field: String, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { field.isEmpty ? "bad STIX: \(message)" : "bad STIX: \(field): \(message)" }

    /// The same error, located under `prefix` (`objects[2]` + `created` → `objects[2].created`).
    func located(under prefix: String) -> STIXError {
        guard !prefix.isEmpty else { return self }
        let path = field.isEmpty ? prefix : (field.hasPrefix("[") ? prefix + field : "\(prefix).\(field)")
        return STIXError(code, field: path, message)
    }
}

/// A short, printable excerpt of untrusted text for error messages.
func excerpt(_ text: some StringProtocol, limit: Int = 40) -> String {
    let cleaned = text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined()
    return cleaned.count <= limit ? "'\(cleaned)'" : "'\(cleaned.prefix(limit))…'"
}
