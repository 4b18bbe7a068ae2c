/// A holding operation the rules forbid.
public struct HoldingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable {
        private enum Value { case refused, notOriginator, badLevel, notHeld, missingRecord, mixedOriginators, badTransition }
        private let value: Value
        private init(_ value: Value) { self.value = value }
        /// The release was denied, so nothing may be held.
        public static let refused = Code(.refused)
        /// Someone other than the originator tried to reclassify.
        public static let notOriginator = Code(.notOriginator)
        /// A level that does not exist or has no equivalent.
        public static let badLevel = Code(.badLevel)
        /// The holding was already returned or destroyed.
        public static let notHeld = Code(.notHeld)
        /// A disposal without the official's name or record.
        public static let missingRecord = Code(.missingRecord)
        /// A derived object would mix several originators' information.
        public static let mixedOriginators = Code(.mixedOriginators)
        /// A compromise report step out of order.
        public static let badTransition = Code(.badTransition)
    }

    /// The kind of problem.
    public let code: Code
    /// One line saying what is wrong.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
