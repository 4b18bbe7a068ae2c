import Foundation

/// A sealed envelope: the authenticated header, its batch inclusion proof, the signed batch root and the
/// AES-256-GCM ciphertext (with its 16-byte tag) whose associated data is the header's canonical bytes.
public struct Envelope: Sendable, Equatable {
    static let tag = "accord.envelope"
    /// The envelope format version.
    public static let version: UInt8 = 1

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

    init(header: EnvelopeHeader, headerBytes: [UInt8], proof: BatchProof, root: SignedBatchRoot, ciphertext: [UInt8]) {
        self.header = header
        self.headerBytes = headerBytes
        self.proof = proof
        self.root = root
        self.ciphertext = ciphertext
    }

    /// The id the store deduplicates on (replay protection is the store's job).
    public var id: EnvelopeID { header.id }

    /// The canonical bytes (layout in `docs/envelope.md`).
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

    /// The header of encoded envelope bytes, read with the same bounds as ``init(encoded:)`` but without
    /// parsing the proof, root and ciphertext that follow it: enough to match a receipt against what
    /// was sent (the sender's own outbox bytes).
    public static func header<D: DataProtocol>(ofEncoded data: D) throws -> EnvelopeHeader {
        guard data.count <= Limits.maxEnvelope else {
            throw AccordCryptoError(.oversized, "envelope is \(data.count) bytes; at most \(Limits.maxEnvelope) allowed")
        }
        var reader = ByteReader(data, context: "envelope")
        try reader.expectTag(tag)
        try reader.expectVersion(version)
        var headerReader = ByteReader(try reader.bytes("header", max: Limits.maxBlob * 2), context: "envelope header")
        let header = try EnvelopeHeader.read(from: &headerReader, allowRelay: true)
        try headerReader.finish()
        return header
    }

    /// Parses an envelope with bounds: at most 16 MiB, exact lengths, no trailing bytes.
    public init<D: DataProtocol>(encoded data: D) throws {
        guard data.count <= Limits.maxEnvelope else {
            throw AccordCryptoError(.oversized, "envelope is \(data.count) bytes; at most \(Limits.maxEnvelope) allowed")
        }
        var reader = ByteReader(data, context: "envelope")
        try reader.expectTag(Self.tag)
        try reader.expectVersion(Self.version)
        headerBytes = try reader.bytes("header", max: Limits.maxBlob * 2)
        var headerReader = ByteReader(headerBytes, context: "envelope header")
        header = try EnvelopeHeader.read(from: &headerReader, allowRelay: true)
        try headerReader.finish()
        proof = try BatchProof.read(from: &reader)
        root = try SignedBatchRoot.read(from: &reader)
        ciphertext = try reader.bytes("ciphertext", max: Limits.maxEnvelope)
        guard ciphertext.count >= 16 else {
            throw AccordCryptoError(.truncated, "envelope: ciphertext is shorter than the 16-byte AEAD tag")
        }
        try reader.finish()
    }
}
