import Crypto
import Foundation

/// A 32-byte SHA-256 value: a leaf hash, an interior node hash or a tree root.
///
/// Held as four big-endian words so that hashes are cheap to copy, compare and store in arrays.
public struct MerkleHash: Sendable, Hashable, CustomStringConvertible {
    /// The number of bytes in a hash.
    public static let byteCount = 32

    private var w0: UInt64
    private var w1: UInt64
    private var w2: UInt64
    private var w3: UInt64

    /// Creates a hash from exactly 32 bytes.
    /// - Throws: ``AuditError/Code/malformedEncoding`` if `bytes` is not 32 bytes long.
    public init<Bytes: Collection>(bytes: Bytes) throws where Bytes.Element == UInt8 {
        guard bytes.count == Self.byteCount else {
            throw AuditError(.malformedEncoding, "a hash must be 32 bytes, got \(bytes.count)")
        }
        let array = Array(bytes)
        self = array.withUnsafeBytes { MerkleHash(raw: $0) }
    }

    /// Creates a hash from 64 hexadecimal digits (either case).
    /// - Throws: ``AuditError/Code/malformedEncoding`` for anything else.
    public init(hex: String) throws {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else {
            throw AuditError(.malformedEncoding, "a hash in hex must be 64 digits, got \(utf8.count) characters")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else {
                throw AuditError(.malformedEncoding, "a hash in hex may hold only 0-9 and a-f")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        try self.init(bytes: bytes)
    }

    /// Reads 32 bytes from a raw buffer that is known to hold at least 32 bytes.
    init(raw: UnsafeRawBufferPointer) {
        w0 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        w1 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        w2 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        w3 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    /// Wraps a SHA-256 digest.
    init(digest: SHA256.Digest) {
        self = digest.withUnsafeBytes { MerkleHash(raw: $0) }
    }

    /// Writes the 32 bytes into `raw` at `offset`; the caller guarantees the room.
    func write(to raw: UnsafeMutableRawBufferPointer, at offset: Int) {
        raw.storeBytes(of: w0.bigEndian, toByteOffset: offset, as: UInt64.self)
        raw.storeBytes(of: w1.bigEndian, toByteOffset: offset + 8, as: UInt64.self)
        raw.storeBytes(of: w2.bigEndian, toByteOffset: offset + 16, as: UInt64.self)
        raw.storeBytes(of: w3.bigEndian, toByteOffset: offset + 24, as: UInt64.self)
    }

    /// The 32 bytes, most significant first.
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            write(to: UnsafeMutableRawBufferPointer(buffer), at: 0)
            count = 32
        }
    }

    /// The 32 bytes as `Data`.
    public var data: Data { Data(bytes) }

    /// 64 lowercase hexadecimal digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The hash in hex.
    public var description: String { hex }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
