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

    /// Field names are autoclosures: they are only built when a read fails (parsing an envelope reads dozens of fields).
    mutating func fixed(_ count: Int, _ field: @autoclosure () -> String) throws -> [UInt8] {
        try need(count, field())
        let value = Array(bytes[offset..<offset + count])
        offset += count
        return value
    }

    private func need(_ count: Int, _ field: @autoclosure () -> String) throws {
        guard count >= 0, remaining >= count else {
            throw AccordCryptoError(.truncated, "\(context): \(field()) needs \(count) bytes, only \(remaining) remain")
        }
    }

    /// A big-endian unsigned integer of `width` bytes, read in place.
    private mutating func integer(_ width: Int, _ field: @autoclosure () -> String) throws -> UInt64 {
        try need(width, field())
        var value: UInt64 = 0
        for index in offset..<offset + width { value = value << 8 | UInt64(bytes[index]) }
        offset += width
        return value
    }

    mutating func expectTag(_ tag: String) throws {
        let length = Int(try u8("structure tag length"))
        try need(length, "structure tag")
        guard bytes[offset..<offset + length].elementsEqual(tag.utf8) else {
            throw AccordCryptoError(.wrongStructure, "\(context): expected structure tag '\(tag)'")
        }
        offset += length
    }

    mutating func expectVersion(_ version: UInt8) throws {
        let found = try u8("version")
        guard found == version else {
            throw AccordCryptoError(.unsupportedVersion, "\(context): version \(found) is not supported (expected \(version))")
        }
    }

    mutating func u8(_ field: @autoclosure () -> String) throws -> UInt8 { UInt8(try integer(1, field())) }

    mutating func u16(_ field: @autoclosure () -> String) throws -> UInt16 { UInt16(try integer(2, field())) }

    mutating func u32(_ field: @autoclosure () -> String) throws -> UInt32 { UInt32(try integer(4, field())) }

    mutating func u64(_ field: @autoclosure () -> String) throws -> UInt64 { try integer(8, field()) }

    mutating func time(_ field: @autoclosure () -> String) throws -> Date {
        let millis = Int64(bitPattern: try u64(field()))
        // `magnitude`, not `abs`: abs(Int64.min) traps, and these eight bytes come from peers.
        guard millis.magnitude <= 9_000_000_000_000_000 / 1000 else {
            throw AccordCryptoError(.malformed, "\(context): \(field()) is out of range")
        }
        return Date(accordMillis: millis)
    }

    mutating func string(_ field: @autoclosure () -> String) throws -> String {
        let length = Int(try u16("\(field()) length"))
        guard length <= Limits.maxString else {
            throw AccordCryptoError(.oversized, "\(context): \(field()) is \(length) bytes; at most \(Limits.maxString)")
        }
        try need(length, field())
        guard let value = String(validating: bytes[offset..<offset + length], as: UTF8.self) else {
            throw AccordCryptoError(.malformed, "\(context): \(field()) is not valid UTF-8")
        }
        offset += length
        return value
    }

    mutating func bytes(_ field: @autoclosure () -> String, max: Int) throws -> [UInt8] {
        let length = Int(try u32("\(field()) length"))
        guard length <= max else {
            throw AccordCryptoError(.oversized, "\(context): \(field()) is \(length) bytes; at most \(max) allowed")
        }
        return try fixed(length, field())
    }

    /// Steps over a `u32`-length field without copying it.
    mutating func skipBytes(_ field: @autoclosure () -> String, max: Int) throws {
        let length = Int(try u32("\(field()) length"))
        guard length <= max else {
            throw AccordCryptoError(.oversized, "\(context): \(field()) is \(length) bytes; at most \(max) allowed")
        }
        try need(length, field())
        offset += length
    }

    mutating func bool(_ field: @autoclosure () -> String) throws -> Bool {
        switch try u8(field()) {
        case 0: return false
        case 1: return true
        case let other: throw AccordCryptoError(.malformed, "\(context): \(field()) flag is \(other), expected 0 or 1")
        }
    }

    func finish() throws {
        guard remaining == 0 else {
            throw AccordCryptoError(.trailingBytes, "\(context): \(remaining) unexpected bytes after the structure")
        }
    }
}
