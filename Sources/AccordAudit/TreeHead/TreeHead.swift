import Foundation

/// What a log commits to at one moment (RFC 9162 §4.10 in spirit): whose log, how many
/// entries, their root hash, and when.
public struct TreeHead: Sendable, Hashable {
    /// The party whose log this is.
    public let log: String
    /// Number of entries covered.
    public let treeSize: UInt64
    /// MTH of those entries.
    public let rootHash: MerkleHash
    /// When the head was made.
    public let timestamp: AuditTimestamp

    /// Creates a tree head.
    public init(log: String, treeSize: UInt64, rootHash: MerkleHash, timestamp: AuditTimestamp) {
        self.log = log
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.timestamp = timestamp
    }

    /// The domain-separation prefix of the signed bytes.
    static let signingContext = Array("accord-audit-tree-head".utf8) + [0]

    /// The exact bytes a signer signs for this head under key `keyID`:
    /// `"accord-audit-tree-head" 00 | 01 | log | u64 size | u64 timestamp | root | keyID`
    /// (strings are u16-length-prefixed UTF-8, integers big-endian).
    public func signingInput(keyID: String) throws -> Data {
        var writer = ByteWriter(capacity: 96)
        writer.raw(Self.signingContext)
        writer.u8(SignedTreeHead.formatVersion)
        try writer.string(log, .party, name: "log")
        writer.u64(treeSize)
        writer.u64(timestamp.millisecondsSince1970)
        writer.hash(rootHash)
        try writer.string(keyID, .identifier, name: "key id")
        return writer.data
    }
}
