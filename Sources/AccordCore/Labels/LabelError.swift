/// Label text that cannot be read. The message names the part at fault.
public struct LabelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of problem it is, for callers that branch on it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String { case malformed, unknownParty, unknownLevel, badTopic, badCaveat, duplicate, tooLong }
        private let value: Value
        private init(_ value: Value) { self.value = value }
        /// The text does not follow the grammar.
        public static let malformed = Code(.malformed)
        /// A party code is not in the party directory.
        public static let unknownParty = Code(.unknownParty)
        /// The level is not in the originator's scheme.
        public static let unknownLevel = Code(.unknownLevel)
        /// A topic is not lower-case words.
        public static let badTopic = Code(.badTopic)
        /// A caveat is not upper-case words.
        public static let badCaveat = Code(.badCaveat)
        /// A party, topic or caveat is listed twice.
        public static let duplicate = Code(.duplicate)
        /// The text or a list is longer than the parser accepts.
        public static let tooLong = Code(.tooLong)
        public var description: String { value.rawValue }
    }

    /// The kind of problem.
    public let code: Code
    /// One line naming the bad part.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "bad label: \(message)" }
}
