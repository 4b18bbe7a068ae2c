import Foundation

/// Appends the canonical binary encoding described in `docs/envelope.md`: big-endian integers,
/// `u16`-length-prefixed UTF-8 strings, `u32`-length-prefixed byte strings, and fixed-size fields written raw.
///
/// Callers validate lengths before writing (public initialisers check them), so writing never fails.
struct ByteWriter: Sendable {
    private(set) var bytes: [UInt8]

    init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The structure's domain-separation tag: one length byte, then ASCII.
    mutating func tag(_ tag: String) {
        let utf8 = Array(tag.utf8)
        bytes.append(UInt8(truncatingIfNeeded: utf8.count))
        bytes.append(contentsOf: utf8)
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }

    /// A time as signed milliseconds since 1970-01-01T00:00:00Z.
    mutating func time(_ date: Date) { i64(date.accordMillis) }

    /// A `u16`-length-prefixed UTF-8 string (length checked by the caller with ``Limits``).
    mutating func string(_ value: String) {
        let utf8 = value.utf8
        u16(UInt16(truncatingIfNeeded: utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// A `u32`-length-prefixed byte string.
    mutating func bytes<C: Collection>(_ value: C) where C.Element == UInt8 {
        u32(UInt32(truncatingIfNeeded: value.count))
        bytes.append(contentsOf: value)
    }

    /// A fixed-size field, written raw (its size is part of the format).
    mutating func fixed<C: Collection>(_ value: C) where C.Element == UInt8 {
        bytes.append(contentsOf: value)
    }
}

/// Size limits of the format; anything larger is rejected with ``AccordCryptoError/Code/oversized``.
enum Limits {
    /// Longest string field, in UTF-8 bytes.
    static let maxString = 4096
    /// Largest envelope, in bytes.
    static let maxEnvelope = 16 * 1024 * 1024
    /// Largest certificate or opaque field.
    static let maxBlob = 64 * 1024
    /// Most topics in a consent scope.
    static let maxTopics = 64

    static func check(_ value: String, _ field: String) throws {
        guard value.utf8.count <= maxString else {
            throw AccordCryptoError(.oversized, "\(field) is \(value.utf8.count) bytes; at most \(maxString) allowed")
        }
    }
}

extension Date {
    /// Milliseconds since 1970, rounded: the resolution of every time in the format.
    var accordMillis: Int64 {
        let millis = (timeIntervalSince1970 * 1000).rounded()
        guard millis.isFinite else { return 0 }
        return Int64(max(min(millis, 9.0e15), -9.0e15))
    }

    /// The date at a millisecond count.
    init(accordMillis: Int64) { self.init(timeIntervalSince1970: Double(accordMillis) / 1000) }

    /// This date truncated to the format's millisecond resolution.
    var accordNormalized: Date { Date(accordMillis: accordMillis) }
}
