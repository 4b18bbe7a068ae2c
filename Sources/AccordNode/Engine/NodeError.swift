/// Why the node refused a request or an input. The message says what was wrong, without secrets.
public struct NodeError: Error, Equatable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String { case malformed, unauthorised, forbidden, refused, unknownPeer, crypto, store, notFound, busy }
        private let value: Value
        private init(_ value: Value) { self.value = value }
        /// Input that cannot be parsed.
        public static let malformed = Code(.malformed)
        /// No such user or token.
        public static let unauthorised = Code(.unauthorised)
        /// The user may not do this (clearance, need-to-know).
        public static let forbidden = Code(.forbidden)
        /// The agreements do not allow it.
        public static let refused = Code(.refused)
        /// A party this node does not federate with.
        public static let unknownPeer = Code(.unknownPeer)
        /// Verification or opening failed.
        public static let crypto = Code(.crypto)
        /// The store failed.
        public static let store = Code(.store)
        /// No such thing at this node (an outbox row, for instance).
        public static let notFound = Code(.notFound)
        /// Held by work in progress (an outbox row on the wire): try again shortly.
        public static let busy = Code(.busy)
        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
