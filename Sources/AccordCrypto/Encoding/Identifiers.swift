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
