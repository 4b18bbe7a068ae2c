import Foundation

/// One leaf of the audit log: an event with its position, time and the node that recorded it.
///
/// The leaf's bytes are ``encoded()``, a canonical, versioned encoding (see `docs/audit.md`);
/// the Merkle tree hashes exactly those bytes.
public struct AuditEntry: Sendable, Hashable {
    /// The current encoding version (the first byte of every entry).
    public static let formatVersion: UInt8 = 1
    /// The largest encoded entry accepted.
    public static let maxEncodedBytes = 65_536
    /// The most items in any list field (reasons, parties).
    static let maxListCount = 64

    /// Position in the log, from 0; equal to the leaf index.
    public let sequence: UInt64
    /// When the node recorded the event.
    public let timestamp: AuditTimestamp
    /// The party whose node keeps this log.
    public let node: String
    /// What happened.
    public let event: AuditEvent

    /// Creates an entry. Fields are checked when it is encoded.
    public init(sequence: UInt64, timestamp: AuditTimestamp, node: String, event: AuditEvent) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.node = node
        self.event = event
    }

    /// The canonical bytes of this entry (the Merkle leaf).
    /// - Throws: ``AuditError/Code/invalidField`` if a field breaks its rule.
    public func encoded() throws -> Data {
        var writer = ByteWriter(capacity: 160)
        writer.u8(Self.formatVersion)
        writer.u64(sequence)
        writer.u64(timestamp.millisecondsSince1970)
        try writer.string(node, .party, name: "node")
        writer.u8(event.tag)
        try event.encodeBody(into: &writer)
        guard writer.bytes.count <= Self.maxEncodedBytes else {
            throw AuditError(.invalidField, "entry is \(writer.bytes.count) bytes, more than \(Self.maxEncodedBytes)")
        }
        return writer.data
    }

    /// The RFC 9162 leaf hash of ``encoded()``.
    public func leafHash() throws -> MerkleHash {
        MerkleTreeHasher.leafHash(try encoded())
    }

    /// Decodes an entry strictly: known version and tags, every field within its rule, no
    /// trailing bytes.
    /// - Throws: ``AuditError/Code/malformedEncoding`` saying what was wrong and where.
    public init<Bytes: DataProtocol>(decoding bytes: Bytes) throws {
        guard bytes.count <= Self.maxEncodedBytes else {
            throw AuditError(.malformedEncoding, "audit entry: \(bytes.count) bytes, more than \(Self.maxEncodedBytes)")
        }
        var reader = ByteReader(bytes, what: "audit entry")
        let version = try reader.u8("version")
        guard version == Self.formatVersion else { throw reader.fail("unknown format version \(version)") }
        let sequence = try reader.u64("sequence")
        let timestamp = AuditTimestamp(millisecondsSince1970: try reader.u64("timestamp"))
        let node = try reader.string("node", .party)
        let event = try AuditEvent(decodingBodyOf: try reader.u8("event tag"), from: &reader)
        try reader.finish()
        self.init(sequence: sequence, timestamp: timestamp, node: node, event: event)
    }
}
