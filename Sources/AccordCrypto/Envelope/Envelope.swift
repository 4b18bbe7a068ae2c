import Foundation

/// A sealed envelope: the authenticated header, its batch inclusion proof, the signed batch root and the
/// AES-256-GCM ciphertext (with its 16-byte tag) whose associated data is the header's canonical bytes.
public struct Envelope: Sendable, Equatable {
    static let tag = "accord.envelope"
    /// The envelope format version with the signed root inside.
    public static let version: UInt8 = 1
    /// The version whose signed root is named by digest and carried apart (``detachedEncoding(rootDigest:keepingRelayWhole:)``).
    public static let detachedVersion: UInt8 = 2
    /// The detached version of a relayed envelope: as version 2, and the header's relay attachment names the
    /// originator's root and its consent's root by digest too (``EnvelopeHeader`` detached form).
    public static let relayDetachedVersion: UInt8 = 3

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
    /// The digests the relay attachment named its two roots by, when it was read in version 3.
    public private(set) var relayRootDigests: RelayRootDigests?

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
    /// A relayed envelope whose relay attachment can be detached (its consent is batch-signed) is written as
    /// version 3: its header in the detached form too, naming the originator's root and consent root
    /// (``RelayAttachment/detachedRoots``, which go beside it as well) — unless `keepingRelayWhole`, for a
    /// reader of version 2 only.
    public func detachedEncoding(rootDigest: [UInt8], keepingRelayWhole: Bool = false) -> [UInt8] {
        precondition(rootDigest.count == 32, "a root digest is 32 bytes")
        let detachedHeader = header.relay == nil || keepingRelayWhole ? nil : header.detachedEncoded
        let headerBytes = detachedHeader ?? self.headerBytes
        var writer = ByteWriter(capacity: headerBytes.count + ciphertext.count + 64 + 33 * proof.path.count)
        writer.tag(Self.tag)
        writer.u8(detachedHeader == nil ? Self.detachedVersion : Self.relayDetachedVersion)
        writer.bytes(headerBytes)
        proof.write(to: &writer)
        writer.fixed(rootDigest)
        writer.bytes(ciphertext)
        return writer.bytes
    }

    /// The header of encoded envelope bytes (any version), read with the same bounds as
    /// ``init(encoded:detachedRoots:)`` but without parsing the ciphertext, and the digest of the root a
    /// detached envelope names (nil for version 1, whose root is inside): enough to match a receipt
    /// against what was sent. A version-3 header needs the roots its relay attachment names.
    public static func parts<D: DataProtocol>(
        ofEncoded data: D, detachedRoots: DetachedRoots = DetachedRoots()
    ) throws -> (header: EnvelopeHeader, rootDigest: [UInt8]?) {
        var reader = try reader(for: data)
        let version = try readVersion(&reader)
        let header = try readHeader(&reader, version: version, roots: detachedRoots).header
        guard version != Self.version else { return (header, nil) }
        _ = try BatchProof.read(from: &reader)
        return (header, try reader.fixed(32, "root digest"))
    }

    /// What a sender needs of its own stored envelope bytes to send them: the epoch they were sealed in (whose
    /// announcement goes with them) and the digests of the signed roots they name (none for version 1; the batch
    /// root for version 2; for version 3 also the originator's batch root and the consent root of its relay
    /// attachment), to send and store beside them.
    public struct References: Sendable, Equatable {
        /// The epoch whose keys sealed the envelope.
        public let epoch: EpochID
        /// Batch roots named by digest.
        public let batch: [[UInt8]]
        /// Consent roots named by digest.
        public let consent: [[UInt8]]
    }

    /// The ``References`` of encoded envelope bytes. For the node's own outbox bytes: the header is parsed only as far
    /// as finding them (a header that does not parse otherwise is not noticed here; anything that uses the envelope
    /// parses it).
    public static func references<D: DataProtocol>(ofEncoded data: D) throws -> References {
        var reader = try reader(for: data)
        let version = try readVersion(&reader)
        let headerBytes = try reader.bytes("header", max: Limits.maxBlob * 2)
        var headerReader = ByteReader(headerBytes, context: "envelope header")
        let detached = version == relayDetachedVersion
        let (epoch, relay) = try EnvelopeHeader.references(from: &headerReader, detached: detached)
        if detached { try headerReader.finish() }
        guard version != Self.version else { return References(epoch: epoch, batch: [], consent: []) }
        _ = try BatchProof.read(from: &reader)
        let digest = try reader.fixed(32, "root digest")
        guard let relay else { return References(epoch: epoch, batch: [digest], consent: []) }
        return References(epoch: epoch, batch: digest == relay.root ? [digest] : [digest, relay.root], consent: [relay.consentRoot])
    }

    /// The digests of the signed roots encoded envelope bytes name (``references(ofEncoded:)``).
    public static func namedRoots<D: DataProtocol>(ofEncoded data: D) throws -> (batch: [[UInt8]], consent: [[UInt8]]) {
        let references = try references(ofEncoded: data)
        return (references.batch, references.consent)
    }

    /// The header of encoded envelope bytes (any version); see ``parts(ofEncoded:detachedRoots:)``.
    public static func header<D: DataProtocol>(ofEncoded data: D, detachedRoots: DetachedRoots = DetachedRoots()) throws -> EnvelopeHeader {
        var reader = try reader(for: data)
        let version = try readVersion(&reader)
        return try readHeader(&reader, version: version, roots: detachedRoots).header
    }

    /// Parses an envelope of any version with bounds: at most 16 MiB, exact lengths, no trailing bytes.
    /// A detached envelope's root is looked up in `roots` (``SignedMerkleRoot/index(encoded:)``), and a version-3
    /// envelope's relay roots in `roots` and `consentRoots`; missing: ``AccordCryptoError/Code/unknownRoot``.
    public init<D: DataProtocol>(
        encoded data: D, roots: [[UInt8]: SignedBatchRoot] = [:], consentRoots: [[UInt8]: ConsentRoot] = [:]
    ) throws {
        try self.init(encoded: data, detachedRoots: DetachedRoots(batch: roots, consent: consentRoots))
    }

    /// ``init(encoded:roots:consentRoots:)`` with the roots already together.
    public init<D: DataProtocol>(encoded data: D, detachedRoots roots: DetachedRoots) throws {
        var reader = try Self.reader(for: data)
        let version = try Self.readVersion(&reader)
        (header, headerBytes) = try Self.readHeader(&reader, version: version, roots: roots)
        relayRootDigests = version == Self.relayDetachedVersion ? header.relay?.detachedDigests : nil
        proof = try BatchProof.read(from: &reader)
        if version != Self.version {
            let digest = try reader.fixed(32, "root digest")
            root = try SignedBatchRoot.resolve(digest, in: roots.batch, for: "envelope \(header.id)")
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
        guard (version...relayDetachedVersion).contains(found) else {
            throw AccordCryptoError(.unsupportedVersion, "envelope: version \(found) is not supported (expected 1, 2 or 3)")
        }
        return found
    }

    /// Reads the header field and returns the header with its canonical bytes. A version-3 header is in the
    /// detached form: its relay attachment's roots are resolved from `roots` and the canonical bytes (what the
    /// proof and the AEAD cover) are written again from the parsed header.
    private static func readHeader(
        _ reader: inout ByteReader, version: UInt8, roots: DetachedRoots
    ) throws -> (header: EnvelopeHeader, bytes: [UInt8]) {
        let bytes = try reader.bytes("header", max: Limits.maxBlob * 2)
        var headerReader = ByteReader(bytes, context: "envelope header")
        let detached = version == relayDetachedVersion
        let header = try EnvelopeHeader.read(from: &headerReader, allowRelay: true, detachedRoots: detached ? roots : nil)
        try headerReader.finish()
        guard detached else { return (header, bytes) }
        guard let relay = header.relay, relay.detachedDigests != nil else {
            throw AccordCryptoError(.wrongStructure, "envelope \(header.id): version 3 is for a relayed envelope whose attachment is detached")
        }
        // The rebuilt header and consent keep the bounds a version-1 reader applies to them.
        let canonical = header.encoded
        guard canonical.count <= Limits.maxBlob * 2, relay.consent.encoded.count <= Limits.maxBlob else {
            throw AccordCryptoError(.oversized, "envelope \(header.id): its header rebuilt with its roots is over the limit")
        }
        return (header, canonical)
    }
}
