import Foundation

/// A sealed envelope: the authenticated header, its batch inclusion proof, the signed batch root and the
/// AES-256-GCM ciphertext (with its 16-byte tag) whose associated data is the header's canonical bytes.
public struct Envelope: Sendable, Equatable {
    static let tag = "accord.envelope"
    /// The envelope format version with the signed root inside.
    public static let version: UInt8 = 1
    /// The version whose signed root is named by digest and carried apart (``detachedEncoding(rootDigest:)``).
    public static let detachedVersion: UInt8 = 2

    /// The parsed header.
    public let header: EnvelopeHeader
    /// The header's canonical bytes, as received (AEAD associated data and Merkle leaf).
    public let headerBytes: [UInt8]
    /// Inclusion proof of the header in its batch.
    public let proof: BatchProof
    /// The sender's signed batch root.
    public let root: SignedBatchRoot
    /// AES-256-GCM ciphertext followed by the 16-byte tag.
    public let ciphertext: [UInt8]
    /// The digest the envelope named its root by, when it was read in the detached form (version 2).
    public private(set) var rootDigest: [UInt8]?

    init(header: EnvelopeHeader, headerBytes: [UInt8], proof: BatchProof, root: SignedBatchRoot, ciphertext: [UInt8]) {
        self.header = header
        self.headerBytes = headerBytes
        self.proof = proof
        self.root = root
        self.ciphertext = ciphertext
    }

    /// Equal when the parts are: the form it was read in (``rootDigest``) does not count.
    public static func == (lhs: Envelope, rhs: Envelope) -> Bool {
        lhs.headerBytes == rhs.headerBytes && lhs.proof == rhs.proof && lhs.root == rhs.root && lhs.ciphertext == rhs.ciphertext
    }

    /// The id the store deduplicates on (replay protection is the store's job).
    public var id: EnvelopeID { header.id }

    /// The canonical bytes, self-contained: version 1, the signed root inside (`docs/envelope.md`).
    public var encoded: [UInt8] {
        var writer = ByteWriter(capacity: headerBytes.count + ciphertext.count + 3600 + 33 * proof.path.count)
        writer.tag(Self.tag)
        writer.u8(Self.version)
        writer.bytes(headerBytes)
        proof.write(to: &writer)
        root.write(to: &writer)
        writer.bytes(ciphertext)
        return writer.bytes
    }

    /// The detached form, version 2: the signed root (≈ 3.4 KB, the same for every envelope of the batch)
    /// is named by its digest, `rootDigest` = ``SignedMerkleRoot/digest``, and travels and is stored once
    /// per batch beside the envelopes. The caller passes the digest it computed once for the batch.
    public func detachedEncoding(rootDigest: [UInt8]) -> [UInt8] {
        precondition(rootDigest.count == 32, "a root digest is 32 bytes")
        var writer = ByteWriter(capacity: headerBytes.count + ciphertext.count + 64 + 33 * proof.path.count)
        writer.tag(Self.tag)
        writer.u8(Self.detachedVersion)
        writer.bytes(headerBytes)
        proof.write(to: &writer)
        writer.fixed(rootDigest)
        writer.bytes(ciphertext)
        return writer.bytes
    }

    /// The header of encoded envelope bytes (either version), read with the same bounds as
    /// ``init(encoded:roots:)`` but without parsing the ciphertext, and the digest of the root a
    /// detached envelope names (nil for version 1, whose root is inside): enough to match a receipt
    /// against what was sent, and to find the roots a stored envelope needs.
    public static func parts<D: DataProtocol>(ofEncoded data: D) throws -> (header: EnvelopeHeader, rootDigest: [UInt8]?) {
        var reader = try reader(for: data)
        let version = try readVersion(&reader)
        let header = try readHeader(&reader).header
        guard version == detachedVersion else { return (header, nil) }
        _ = try BatchProof.read(from: &reader)
        return (header, try reader.fixed(32, "root digest"))
    }

    /// The digest of the root a detached envelope names (nil for version 1), without parsing its header:
    /// for the node's own outbox bytes (a header that does not parse is not noticed here; anything that
    /// uses the envelope parses it).
    public static func rootDigest<D: DataProtocol>(ofEncoded data: D) throws -> [UInt8]? {
        var reader = try reader(for: data)
        guard try readVersion(&reader) == detachedVersion else { return nil }
        try reader.skipBytes("header", max: Limits.maxBlob * 2)
        _ = try BatchProof.read(from: &reader)
        return try reader.fixed(32, "root digest")
    }

    /// The header of encoded envelope bytes (either version); see ``parts(ofEncoded:)``.
    public static func header<D: DataProtocol>(ofEncoded data: D) throws -> EnvelopeHeader {
        var reader = try reader(for: data)
        _ = try readVersion(&reader)
        return try readHeader(&reader).header
    }

    /// Parses an envelope of either version with bounds: at most 16 MiB, exact lengths, no trailing bytes.
    /// A detached envelope's root is looked up in `roots` (``SignedMerkleRoot/index(encoded:)``);
    /// missing: ``AccordCryptoError/Code/unknownRoot``.
    public init<D: DataProtocol>(encoded data: D, roots: [[UInt8]: SignedBatchRoot] = [:]) throws {
        var reader = try Self.reader(for: data)
        let version = try Self.readVersion(&reader)
        (header, headerBytes) = try Self.readHeader(&reader)
        proof = try BatchProof.read(from: &reader)
        if version == Self.detachedVersion {
            let digest = try reader.fixed(32, "root digest")
            root = try SignedBatchRoot.resolve(digest, in: roots, for: "envelope \(header.id)")
            rootDigest = digest
        } else {
            root = try SignedBatchRoot.read(from: &reader)
        }
        ciphertext = try reader.bytes("ciphertext", max: Limits.maxEnvelope)
        guard ciphertext.count >= 16 else {
            throw AccordCryptoError(.truncated, "envelope: ciphertext is shorter than the 16-byte AEAD tag")
        }
        try reader.finish()
    }

    private static func reader<D: DataProtocol>(for data: D) throws -> ByteReader {
        guard data.count <= Limits.maxEnvelope else {
            throw AccordCryptoError(.oversized, "envelope is \(data.count) bytes; at most \(Limits.maxEnvelope) allowed")
        }
        var reader = ByteReader(data, context: "envelope")
        try reader.expectTag(tag)
        return reader
    }

    private static func readVersion(_ reader: inout ByteReader) throws -> UInt8 {
        let found = try reader.u8("version")
        guard found == version || found == detachedVersion else {
            throw AccordCryptoError(.unsupportedVersion, "envelope: version \(found) is not supported (expected 1 or 2)")
        }
        return found
    }

    private static func readHeader(_ reader: inout ByteReader) throws -> (header: EnvelopeHeader, bytes: [UInt8]) {
        let bytes = try reader.bytes("header", max: Limits.maxBlob * 2)
        var headerReader = ByteReader(bytes, context: "envelope header")
        let header = try EnvelopeHeader.read(from: &headerReader, allowRelay: true)
        try headerReader.finish()
        return (header, bytes)
    }
}
