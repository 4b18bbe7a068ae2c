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
        var bytes = WireWriter.header(tag: Self.tag, version: 1)
        let id = Array(objectID.utf8.prefix(0xFFFF))
        bytes += [UInt8(id.count >> 8), UInt8(id.count & 0xFF)] + id
        bytes.append(UInt8(min(consents.count, Self.maximumConsents)))
        for consent in consents.prefix(Self.maximumConsents) { bytes += WireWriter.blob(consent) }
        bytes += WireWriter.blob(object)
        return bytes
    }

    public init(encoded bytes: [UInt8]) throws(NodeError) {
        var reader = WireReader(bytes, context: "object payload")
        try reader.expect(tag: Self.tag, version: 1)
        guard let id = String(validating: Array(try reader.take(try reader.integer(2, "object id"), "object id")), as: UTF8.self), !id.isEmpty else {
            throw NodeError(.malformed, "object id is empty or not UTF-8")
        }
        let count = try reader.integer(1, "consent count")
        guard count <= Self.maximumConsents else { throw NodeError(.malformed, "object payload carries \(count) consents; at most \(Self.maximumConsents)") }
        var consents: [[UInt8]] = []
        for index in 0..<count { consents.append(try reader.blob("consent \(index)")) }
        let object = try reader.blob("object")
        try reader.finish()
        self.init(objectID: id, consents: consents, object: object)
    }

}
