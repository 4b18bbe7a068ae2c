import Crypto
import Foundation

/// The symmetric keys of one epoch, derived from the 32-byte epoch secret with HKDF-SHA256
/// (salt = epoch id, info = a label below), as documented in `docs/envelope.md`.
public struct EpochKeys: Sendable {
    /// HKDF info for the AES-256-GCM message key.
    public static let messageKeyLabel = "accord.v1 message-key"
    /// HKDF info for the 12-byte nonce base.
    public static let nonceBaseLabel = "accord.v1 nonce-base"
    /// HKDF info for the HMAC key that binds labels.
    public static let labelKeyLabel = "accord.v1 label-key"

    let messageKey: SymmetricKey
    let labelKey: SymmetricKey
    /// The nonce base; message `n` uses nonceBase XOR (n as 12-byte big-endian).
    public let nonceBase: [UInt8]

    /// Derives the keys of epoch `epochID` from its secret.
    public init<D: DataProtocol>(secret: D, epochID: EpochID) throws {
        guard secret.count == 32 else {
            throw AccordCryptoError(.invalidArgument, "an epoch secret is 32 bytes, got \(secret.count)")
        }
        let ikm = SymmetricKey(data: Array(secret))
        func derive(_ label: String, _ count: Int) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: ikm, salt: epochID.bytes, info: Array(label.utf8), outputByteCount: count)
        }
        messageKey = derive(Self.messageKeyLabel, 32)
        labelKey = derive(Self.labelKeyLabel, 32)
        nonceBase = derive(Self.nonceBaseLabel, 12).withUnsafeBytes { Array($0) }
    }

    /// Raw message key, for test vectors.
    public var messageKeyBytes: [UInt8] { messageKey.withUnsafeBytes { Array($0) } }
    /// Raw label key, for test vectors.
    public var labelKeyBytes: [UInt8] { labelKey.withUnsafeBytes { Array($0) } }

    /// The nonce of message number `sequence`.
    public func nonce(sequence: UInt64) -> [UInt8] {
        var nonce = nonceBase
        for index in 0..<8 { nonce[4 + index] ^= UInt8(truncatingIfNeeded: sequence >> UInt64(56 - 8 * index)) }
        return nonce
    }

    /// HMAC-SHA256 under the label key of: tag `accord.label-binding`, version 1, envelope id,
    /// originator label, recipient label (strings `u16`-length-prefixed).
    public func labelBinding(envelopeID: EnvelopeID, originatorLabel: String, recipientLabel: String) -> [UInt8] {
        var writer = ByteWriter(capacity: 128)
        writer.tag("accord.label-binding")
        writer.u8(1)
        writer.fixed(envelopeID.bytes)
        writer.string(originatorLabel)
        writer.string(recipientLabel)
        return Array(HMAC<SHA256>.authenticationCode(for: writer.bytes, using: labelKey))
    }

    func isValidLabelBinding(_ binding: [UInt8], envelopeID: EnvelopeID, originatorLabel: String, recipientLabel: String) -> Bool {
        var writer = ByteWriter(capacity: 128)
        writer.tag("accord.label-binding")
        writer.u8(1)
        writer.fixed(envelopeID.bytes)
        writer.string(originatorLabel)
        writer.string(recipientLabel)
        return HMAC<SHA256>.isValidAuthenticationCode(binding, authenticating: writer.bytes, using: labelKey)
    }
}

/// When a sender starts a new epoch for a recipient.
public struct EpochPolicy: Sendable {
    /// How long an epoch may seal messages.
    public var lifetime: TimeInterval
    /// How many messages an epoch may seal.
    public var maxMessages: UInt64

    /// Defaults: one hour, one million messages.
    public init(lifetime: TimeInterval = 3600, maxMessages: UInt64 = 1_000_000) {
        self.lifetime = max(0.001, lifetime)
        self.maxMessages = max(1, maxMessages)
    }
}
