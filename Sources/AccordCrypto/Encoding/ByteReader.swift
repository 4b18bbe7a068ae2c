import Foundation

/// Reads the canonical binary encoding with bounds checks: every read throws a typed error instead of trapping,
/// and ``finish()`` rejects trailing bytes.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset: Int
    /// What is being read, for error messages ("envelope header", "consent", ...).
    let context: String

    init<C: Collection>(_ bytes: C, context: String) where C.Element == UInt8 {
        self.bytes = Array(bytes)
        self.offset = 0
        self.context = context
    }

    var remaining: Int { bytes.count - offset }

    /// The bytes read so far from `start`: used to recover the exact to-be-signed encoding.
    func slice(from start: Int) -> [UInt8] { Array(bytes[start..<offset]) }

    mutating func fixed(_ count: Int, _ field: String) throws -> [UInt8] {
        guard count >= 0, remaining >= count else {
            throw AccordCryptoError(.truncated, "\(context): \(field) needs \(count) bytes, only \(remaining) remain")
        }
        let value = Array(bytes[offset..<offset + count])
        offset += count
        return value
    }

    mutating func expectTag(_ tag: String) throws {
        let expected = Array(tag.utf8)
        let length = try u8("structure tag length")
        let found = try fixed(Int(length), "structure tag")
        guard found == expected else {
            throw AccordCryptoError(.wrongStructure, "\(context): expected structure tag '\(tag)'")
        }
    }

    mutating func expectVersion(_ version: UInt8) throws {
        let found = try u8("version")
        guard found == version else {
            throw AccordCryptoError(.unsupportedVersion, "\(context): version \(found) is not supported (expected \(version))")
        }
    }

    mutating func u8(_ field: String) throws -> UInt8 { try fixed(1, field)[0] }

    mutating func u16(_ field: String) throws -> UInt16 {
        let b = try fixed(2, field)
        return UInt16(b[0]) << 8 | UInt16(b[1])
    }

    mutating func u32(_ field: String) throws -> UInt32 {
        try fixed(4, field).reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func u64(_ field: String) throws -> UInt64 {
        try fixed(8, field).reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func time(_ field: String) throws -> Date {
        let millis = Int64(bitPattern: try u64(field))
        guard abs(millis) <= 9_000_000_000_000_000 / 1000 else {
            throw AccordCryptoError(.malformed, "\(context): \(field) is out of range")
        }
        return Date(accordMillis: millis)
    }

    mutating func string(_ field: String) throws -> String {
        let length = Int(try u16("\(field) length"))
        guard length <= Limits.maxString else {
            throw AccordCryptoError(.oversized, "\(context): \(field) is \(length) bytes; at most \(Limits.maxString)")
        }
        let raw = try fixed(length, field)
        guard let value = String(validating: raw, as: UTF8.self) else {
            throw AccordCryptoError(.malformed, "\(context): \(field) is not valid UTF-8")
        }
        return value
    }

    mutating func bytes(_ field: String, max: Int) throws -> [UInt8] {
        let length = Int(try u32("\(field) length"))
        guard length <= max else {
            throw AccordCryptoError(.oversized, "\(context): \(field) is \(length) bytes; at most \(max) allowed")
        }
        return try fixed(length, field)
    }

    mutating func bool(_ field: String) throws -> Bool {
        switch try u8(field) {
        case 0: return false
        case 1: return true
        case let other: throw AccordCryptoError(.malformed, "\(context): \(field) flag is \(other), expected 0 or 1")
        }
    }

    func finish() throws {
        guard remaining == 0 else {
            throw AccordCryptoError(.trailingBytes, "\(context): \(remaining) unexpected bytes after the structure")
        }
    }
}
