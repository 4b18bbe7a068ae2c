import Foundation

/// Reads a canonical byte string strictly: every read is bounds-checked, every length exact,
/// and ``finish()`` rejects trailing bytes.
struct ByteReader {
    private let bytes: [UInt8]
    private var offset = 0
    /// Names the structure being read, for error messages.
    let what: String

    init<Bytes: DataProtocol>(_ bytes: Bytes, what: String) {
        self.bytes = Array(bytes)
        self.what = what
    }

    var remaining: Int { bytes.count - offset }

    func fail(_ message: String) -> AuditError {
        AuditError(.malformedEncoding, "\(what): \(message) (at byte \(offset))")
    }

    mutating func take(_ count: Int, _ field: String) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw fail("\(field) needs \(count) bytes but only \(remaining) remain")
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func u8(_ field: String) throws -> UInt8 {
        let slice = try take(1, field)
        return slice[slice.startIndex]
    }

    mutating func u16(_ field: String) throws -> UInt16 {
        let slice = try take(2, field)
        return slice.reduce(0) { $0 << 8 | UInt16($1) }
    }

    mutating func u64(_ field: String) throws -> UInt64 {
        let slice = try take(8, field)
        return slice.reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func hash(_ field: String) throws -> MerkleHash {
        try MerkleHash(bytes: take(32, field))
    }

    mutating func bool(_ field: String) throws -> Bool {
        switch try u8(field) {
        case 0: return false
        case 1: return true
        case let other: throw fail("\(field) must be 0 or 1, got \(other)")
        }
    }

    /// A u16-length-prefixed field of raw bytes.
    mutating func field(_ field: String, maxLength: Int) throws -> ArraySlice<UInt8> {
        let length = Int(try u16(field))
        guard length <= maxLength else { throw fail("\(field) is \(length) bytes, more than \(maxLength)") }
        return try take(length, field)
    }

    /// A u16-length-prefixed UTF-8 string checked against `rule`.
    mutating func string(_ field: String, _ rule: FieldRule) throws -> String {
        let slice = try self.field(field, maxLength: rule.maxBytes)
        guard let value = String(validating: slice, as: UTF8.self) else {
            throw fail("\(field) is not valid UTF-8")
        }
        do {
            try rule.check(value, name: field)
        } catch let error as AuditError {
            throw fail(error.message)
        }
        return value
    }

    /// Fails unless every byte was consumed.
    func finish() throws {
        guard remaining == 0 else { throw fail("\(remaining) trailing bytes after the end") }
    }
}
