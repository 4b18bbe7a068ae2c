import AccordCrypto
import Foundation

/// What an envelope's ciphertext carries: the object (opaque bytes, e.g. a STIX bundle), its id
/// at the originator, and the originator's consents that travel with it (for an intermediary).
///
/// Binary form (`docs/node.md`): tag `accord.object` (u8 length + ASCII), version u8 = 1,
/// object id (u16 length + UTF-8), consent count u8, each consent (u32 length + bytes),
/// object (u32 length + bytes). Nothing may follow.
public struct ObjectPayload: Sendable, Equatable {
    static let tag = Array("accord.object".utf8)
    /// Most consents one payload may carry.
    public static let maximumConsents = 8

    public let objectID: String
    /// Encoded AccordCrypto consents.
    public let consents: [[UInt8]]
    public let object: [UInt8]

    public init(objectID: String, consents: [[UInt8]] = [], object: [UInt8]) {
        self.objectID = objectID
        self.consents = consents
        self.object = object
    }

    public var encoded: [UInt8] {
        var bytes: [UInt8] = [UInt8(Self.tag.count)] + Self.tag + [1]
        let id = Array(objectID.utf8)
        bytes += [UInt8(id.count >> 8), UInt8(id.count & 0xFF)] + id
        bytes.append(UInt8(consents.count))
        for consent in consents { bytes += Self.u32(consent.count) + consent }
        bytes += Self.u32(object.count) + object
        return bytes
    }

    public init(encoded bytes: [UInt8]) throws(NodeError) {
        var cursor = 0
        func take(_ count: Int, _ what: String) throws(NodeError) -> ArraySlice<UInt8> {
            guard count >= 0, bytes.count - cursor >= count else { throw NodeError(.malformed, "object payload is truncated in \(what)") }
            defer { cursor += count }
            return bytes[cursor..<cursor + count]
        }
        func length(_ width: Int, _ what: String) throws(NodeError) -> Int {
            try take(width, what).reduce(0) { $0 << 8 | Int($1) }
        }
        guard try length(1, "tag") == Self.tag.count, Array(try take(Self.tag.count, "tag")) == Self.tag else {
            throw NodeError(.malformed, "object payload does not start with accord.object")
        }
        guard try length(1, "version") == 1 else { throw NodeError(.malformed, "object payload version is not 1") }
        guard let id = String(validating: Array(try take(try length(2, "object id"), "object id")), as: UTF8.self), !id.isEmpty else {
            throw NodeError(.malformed, "object id is empty or not UTF-8")
        }
        let count = try length(1, "consent count")
        guard count <= Self.maximumConsents else { throw NodeError(.malformed, "object payload carries \(count) consents; at most \(Self.maximumConsents)") }
        var consents: [[UInt8]] = []
        for index in 0..<count { consents.append(Array(try take(try length(4, "consent \(index)"), "consent \(index)"))) }
        let object = Array(try take(try length(4, "object"), "object"))
        guard cursor == bytes.count else { throw NodeError(.malformed, "object payload has \(bytes.count - cursor) trailing bytes") }
        self.init(objectID: id, consents: consents, object: object)
    }

    private static func u32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
