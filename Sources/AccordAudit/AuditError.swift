/// An error from the audit log: malformed input, a proof that does not verify, a store that
/// does not hold what it should, or a peer whose signed history does not add up.
///
/// Compare errors by ``code``; ``message`` says in plain words what was wrong.
public struct AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; new codes may be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case malformedEncoding
            case invalidField
            case invalidArgument
            case proofInvalid
            case signatureInvalid
            case unknownKey
            case signingFailed
            case storeInconsistent
            case peerHistoryRewritten
            case peerEquivocation
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// Bytes that do not decode: wrong length, unknown tag or version, trailing data.
        public static let malformedEncoding = Code(.malformedEncoding)
        /// A field that breaks its rule (party code, identifier, text length or characters).
        public static let invalidField = Code(.invalidField)
        /// A caller asked for something impossible (index beyond the tree, sizes out of order).
        public static let invalidArgument = Code(.invalidArgument)
        /// An inclusion or consistency proof does not verify.
        public static let proofInvalid = Code(.proofInvalid)
        /// A signature on a tree head does not verify.
        public static let signatureInvalid = Code(.signatureInvalid)
        /// A tree head names a key the verifier does not know.
        public static let unknownKey = Code(.unknownKey)
        /// The signer failed to sign.
        public static let signingFailed = Code(.signingFailed)
        /// The store lacks a hash it must hold, or returned data that contradicts itself.
        public static let storeInconsistent = Code(.storeInconsistent)
        /// A peer's current tree head is not an extension of a head it signed before.
        public static let peerHistoryRewritten = Code(.peerHistoryRewritten)
        /// A peer signed two different roots for the same tree size.
        public static let peerEquivocation = Code(.peerEquivocation)

        /// The code's name, e.g. `proofInvalid`.
        public var description: String { value.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// A human-readable explanation of what was wrong.
    public let message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }

    /// Errors are equal when their codes are; the message is for people.
    public static func == (lhs: AuditError, rhs: AuditError) -> Bool { lhs.code == rhs.code }
}
