import Crypto
import Foundation

/// A 16-byte identifier (envelope, epoch, key, consent), shown as lowercase hex.
public protocol AccordIdentifier: Hashable, Sendable, CustomStringConvertible {
    /// The 16 raw bytes.
    var bytes: [UInt8] { get }
    /// Wraps 16 raw bytes without checking (checked by the public initialisers).
    init(unchecked bytes: [UInt8])
}

extension AccordIdentifier {
    /// Wraps exactly 16 bytes, or throws ``AccordCryptoError/Code/malformed``.
    public init<D: DataProtocol>(bytes: D) throws {
        guard bytes.count == 16 else {
            throw AccordCryptoError(.malformed, "an identifier is 16 bytes, got \(bytes.count)")
        }
        self.init(unchecked: Array(bytes))
    }

    /// A fresh random identifier.
    /// 16 bytes from BoringSSL's generator (one call; the system generator made a `getrandom` system
    /// call per byte, ≈ 1% of a node's CPU when it seals thousands of envelopes a second).
    public static func random() -> Self {
        Self(unchecked: SymmetricKey(size: SymmetricKeySize(bitCount: 128)).withUnsafeBytes { Array($0) })
    }

    /// Lowercase hex.
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// Identifies one envelope; the store deduplicates on it (replay protection).
public struct EnvelopeID: AccordIdentifier {
    public let bytes: [UInt8]
    public init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// A fresh identifier that sorts by time: the first 6 bytes are `date` in milliseconds since 1970 (big-endian),
    /// the other 10 random. Ids made one after another land side by side in the stores' indexes (the inbox, outbox
    /// and holdings are keyed by envelope id), so a step's inserts touch a few pages instead of one per envelope.
    /// The prefix is in the clear, as the header's `createdAt` is (`docs/envelope.md`, "Header", says what it adds).
    public static func timeOrdered(at date: Date) -> EnvelopeID {
        let milliseconds = UInt64(max(0, min(Double(1 << 48 - 1), (date.timeIntervalSince1970 * 1_000).rounded(.down))))
        var bytes = (0..<6).reversed().map { UInt8(truncatingIfNeeded: milliseconds >> (8 * UInt64($0))) }
        bytes += SymmetricKey(size: SymmetricKeySize(bitCount: 80)).withUnsafeBytes { Array($0) }
        return EnvelopeID(unchecked: bytes)
    }
}

/// Identifies one epoch of a (sender, recipient) pair.
public struct EpochID: AccordIdentifier {
    public let bytes: [UInt8]
    public init(unchecked bytes: [UInt8]) { self.bytes = bytes }
}

/// Identifies one generation of a party's keys: the first 16 bytes of
/// SHA-256("accord.v1 key-id" ‖ Ed25519 public ‖ ML-DSA-65 public ‖ X-Wing public).
public struct KeyID: AccordIdentifier {
    public let bytes: [UInt8]
    public init(unchecked bytes: [UInt8]) { self.bytes = bytes }
}

/// Identifies one consent.
public struct ConsentID: AccordIdentifier {
    public let bytes: [UInt8]
    public init(unchecked bytes: [UInt8]) { self.bytes = bytes }
}

extension ByteReader {
    mutating func identifier<I: AccordIdentifier>(_ field: String) throws -> I {
        I(unchecked: try fixed(16, field))
    }
}

extension Data {
    /// Lowercase hex, for fingerprints and test vectors.
    public var accordHex: String { map { String(format: "%02x", $0) }.joined() }
}
