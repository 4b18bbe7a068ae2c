import Foundation

/// Builds a canonical byte string: big-endian integers and length-prefixed fields.
struct ByteWriter: Sendable {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 128) { bytes.reserveCapacity(capacity) }

    var data: Data { Data(bytes) }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    mutating func u64(_ value: UInt64) {
        var shift: UInt64 = 56
        while true {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
            if shift == 0 { break }
            shift -= 8
        }
    }

    mutating func raw<Bytes: Sequence>(_ value: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: value)
    }

    mutating func hash(_ value: MerkleHash) { bytes.append(contentsOf: value.bytes) }

    /// A field: u16 length, then the bytes. The caller has checked the length.
    mutating func field<Bytes: Collection>(_ value: Bytes) where Bytes.Element == UInt8 {
        u16(UInt16(value.count))
        bytes.append(contentsOf: value)
    }

    /// A string field after checking it against `rule`.
    mutating func string(_ value: String, _ rule: FieldRule, name: String) throws {
        try rule.check(value, name: name)
        field(value.utf8)
    }

    mutating func bool(_ value: Bool) { u8(value ? 1 : 0) }
}
