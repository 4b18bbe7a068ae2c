import Foundation

/// A STIX identifier: `<object-type>--<UUID>`, the UUID in RFC 4122 form (lower-case hex,
/// variant bits `10`, version 1 to 5).
public struct STIXIdentifier: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The object type (`indicator`).
    public let type: String
    /// The UUID, lower-case (`0f6b…`).
    public let uuid: String

    /// Reads an identifier; `nil` unless both halves are well formed.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count <= 250 + 2 + 36, let range = text.range(of: "--", options: .backwards) else { return nil }
        let type = String(text[..<range.lowerBound])
        let uuid = String(text[range.upperBound...])
        guard Self.isValidType(type), Self.isValidUUID(uuid) else { return nil }
        self.type = type
        self.uuid = uuid
    }

    /// An identifier from a type and a UUID already known to be valid.
    init(type: String, uuid: String) {
        self.type = type
        self.uuid = uuid
    }

    /// A name-based (version 5) identifier: the same `name` in the same `namespace` always gives the same id.
    public static func named(type: String, namespace: String, name: String) -> STIXIdentifier {
        STIXIdentifier(type: type, uuid: UUIDv5.make(namespace: namespace, name: name))
    }

    public var description: String { "\(type)--\(uuid)" }

    public static func < (lhs: STIXIdentifier, rhs: STIXIdentifier) -> Bool { lhs.description < rhs.description }

    /// STIX 2.1 type names: 3 to 250 of `a-z`, `0-9` and `-`, starting with a letter, no `--`, not ending in `-`.
    public static func isValidType(_ type: some StringProtocol) -> Bool {
        let bytes = Array(type.utf8)
        guard (3...250).contains(bytes.count), (0x61...0x7A).contains(bytes[0]), bytes.last != UInt8(ascii: "-") else { return false }
        var previousHyphen = false
        for byte in bytes {
            let isHyphen = byte == UInt8(ascii: "-")
            guard (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || isHyphen, !(isHyphen && previousHyphen) else { return false }
            previousHyphen = isHyphen
        }
        return true
    }

    /// RFC 4122 UUIDs as STIX writes them: `8-4-4-4-12` lower-case hex, version 1–5, variant `10xx`.
    public static func isValidUUID(_ uuid: some StringProtocol) -> Bool {
        let bytes = Array(uuid.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) else { return false }
            }
        }
        let version = bytes[14]
        let variant = bytes[19]
        return (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(version) && [UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(variant)
    }

    /// Reads an identifier property; when `type` is given the identifier must be of that type.
    static func read(_ value: JSONValue, field: String, type expected: String? = nil) throws(STIXError) -> STIXIdentifier {
        guard let text = value.stringValue else {
            throw STIXError(.invalidIdentifier, field: field, "must be an identifier string, not \(value.typeName)")
        }
        guard let id = STIXIdentifier(text) else {
            throw STIXError(.invalidIdentifier, field: field, "\(excerpt(text)) is not <type>--<RFC 4122 UUID> (lower-case, e.g. indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f)")
        }
        if let expected, id.type != expected {
            throw STIXError(.invalidIdentifier, field: field, "must refer to a \(expected), not a \(id.type)")
        }
        return id
    }
}

/// Name-based UUIDs (RFC 4122 §4.3, version 5: SHA-1).
enum UUIDv5 {
    static func make(namespace: String, name: String) -> String {
        var bytes = parse(namespace)
        bytes += Array(name.utf8)
        var hash = Array(Digest.sha1(bytes).prefix(16))
        hash[6] = hash[6] & 0x0F | 0x50
        hash[8] = hash[8] & 0x3F | 0x80
        let hex = hash.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
        let h = Array(hex)
        return "\(String(h[0..<8]))-\(String(h[8..<12]))-\(String(h[12..<16]))-\(String(h[16..<20]))-\(String(h[20..<32]))"
    }

    /// The 16 bytes of a UUID string known to be valid.
    private static func parse(_ uuid: String) -> [UInt8] {
        let digits = uuid.utf8.filter { $0 != UInt8(ascii: "-") }.map { byte -> UInt8 in
            switch byte {
            case 0x30...0x39: return byte - 0x30
            case 0x41...0x46: return byte - 0x41 + 10
            default: return byte &- 0x61 &+ 10
            }
        }
        return stride(from: 0, to: digits.count - 1, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }
}
