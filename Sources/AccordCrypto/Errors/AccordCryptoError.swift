/// An error raised by the crypto layer: malformed bytes, a signature that does not verify, a key or epoch that is
/// unknown or expired, a tampered envelope, a relay that no consent covers.
///
/// Compare errors by ``code``; ``reason`` is a human explanation that never contains key material or plaintext.
public struct AccordCryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a stable, comparable code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case truncated, oversized, trailingBytes, malformed, unsupportedVersion, wrongStructure
            case ed25519SignatureInvalid, mldsaSignatureInvalid, signatureInvalid
            case unknownKey, keyExpired, keyNotYetValid
            case wrongRecipient, unknownEpoch, epochMismatch, epochExpired, epochExhausted
            case labelTampered, headerTampered, ciphertextTampered, payloadDigestMismatch
            case relayWithoutConsent, consentNotCovering, relayMismatch
            case receiptMismatch, keyFile, invalidArgument, unknownRoot
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The input ended before a field was complete.
        public static let truncated = Code(.truncated)
        /// The input, or one of its fields, is longer than the format allows.
        public static let oversized = Code(.oversized)
        /// Bytes remain after a complete structure.
        public static let trailingBytes = Code(.trailingBytes)
        /// A field has an invalid value (bad UTF-8, bad key bytes, unknown kind).
        public static let malformed = Code(.malformed)
        /// The structure's version is not one this implementation reads.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// The bytes are a different structure than expected (domain tag mismatch).
        public static let wrongStructure = Code(.wrongStructure)
        /// The ML-DSA-65 half verified but the Ed25519 half did not.
        public static let ed25519SignatureInvalid = Code(.ed25519SignatureInvalid)
        /// The Ed25519 half verified but the ML-DSA-65 half did not.
        public static let mldsaSignatureInvalid = Code(.mldsaSignatureInvalid)
        /// Neither half of the hybrid signature verified.
        public static let signatureInvalid = Code(.signatureInvalid)
        /// No trusted key bundle has this party and key id.
        public static let unknownKey = Code(.unknownKey)
        /// The key bundle had expired at the time that matters.
        public static let keyExpired = Code(.keyExpired)
        /// The key bundle was not yet valid at the time that matters.
        public static let keyNotYetValid = Code(.keyNotYetValid)
        /// The envelope or announcement is addressed to another party.
        public static let wrongRecipient = Code(.wrongRecipient)
        /// The envelope names an epoch whose announcement this node has not accepted.
        public static let unknownEpoch = Code(.unknownEpoch)
        /// The epoch belongs to another sender/recipient pair.
        public static let epochMismatch = Code(.epochMismatch)
        /// The envelope was created outside its epoch's validity period.
        public static let epochExpired = Code(.epochExpired)
        /// The epoch has sealed its maximum number of messages.
        public static let epochExhausted = Code(.epochExhausted)
        /// A label in the header is not the label the sender bound to the envelope.
        public static let labelTampered = Code(.labelTampered)
        /// The header is not the one covered by the signed batch root.
        public static let headerTampered = Code(.headerTampered)
        /// The ciphertext does not authenticate under the header.
        public static let ciphertextTampered = Code(.ciphertextTampered)
        /// The decrypted payload does not hash to the header's payload digest.
        public static let payloadDigestMismatch = Code(.payloadDigestMismatch)
        /// A relayed envelope does not carry the originator's signed header and consent.
        public static let relayWithoutConsent = Code(.relayWithoutConsent)
        /// The consent does not cover this intermediary, recipient, envelope or time.
        public static let consentNotCovering = Code(.consentNotCovering)
        /// The relayed envelope disagrees with the originator's embedded header.
        public static let relayMismatch = Code(.relayMismatch)
        /// A receipt does not acknowledge the envelope it is checked against.
        public static let receiptMismatch = Code(.receiptMismatch)
        /// A key file could not be read, written, or has unsafe permissions.
        public static let keyFile = Code(.keyFile)
        /// A caller passed an argument the format cannot represent.
        public static let invalidArgument = Code(.invalidArgument)
        /// An envelope or receipt names its signed root by digest (detached form), and no root with that
        /// digest came with it.
        public static let unknownRoot = Code(.unknownRoot)

        public var description: String { value.rawValue }
    }

    /// The comparable code.
    public let code: Code
    /// A human explanation of what was wrong.
    public let reason: String

    init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code): \(reason)" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
