import Foundation

/// What a relayed envelope carries so the final recipient can check who wrote the information and that the
/// originator consented: the originator's own header (as sealed to the intermediary), its batch proof and signed
/// root, and the originator's consent.
///
/// The canonical form (inside the signed header) carries both signed roots whole. In a version-3 envelope the
/// header travels in a detached form that names the two roots by digest (``RelayRootDigests``); the reader puts
/// them back before anything is verified, so what is signed is the same (`docs/envelope.md`).
public struct RelayAttachment: Sendable, Equatable {
    static let tag = "accord.relay"
    static let detachedTag = "accord.relay-detached"

    /// The originator's header, exactly as the originator signed it.
    public var originatorHeader: EnvelopeHeader { headerStorage[0] }
    /// One element; an array because a header may (one level deep) contain a relay attachment.
    private let headerStorage: [EnvelopeHeader]
    /// The canonical bytes of ``originatorHeader`` (what the proof covers).
    let originatorHeaderBytes: [UInt8]
    /// Inclusion proof of the originator's header in its batch.
    public let proof: BatchProof
    /// The originator's signed batch root.
    public let root: SignedBatchRoot
    /// The originator's consent for the relay.
    public let consent: Consent
    /// The digests naming ``root`` and the consent's root in the detached form: set when the attachment was read
    /// detached or built for relaying with a batch-signed consent; nil when it cannot be detached (a consent signed alone).
    public let detachedDigests: RelayRootDigests?

    /// Builds the attachment from an envelope the intermediary received and opened, and a consent.
    public init(relaying received: Envelope, consent: Consent) throws {
        guard received.header.relay == nil else {
            throw AccordCryptoError(.invalidArgument, "an envelope that was itself relayed cannot be relayed again")
        }
        headerStorage = [received.header]
        originatorHeaderBytes = received.headerBytes
        proof = received.proof
        root = received.root
        self.consent = consent
        detachedDigests = consent.detachedEncoding.map { detached in
            RelayRootDigests(root: received.rootDigest ?? received.root.digest, consentRoot: detached.root.digest)
        }
    }

    private init(
        header: EnvelopeHeader, headerBytes: [UInt8], proof: BatchProof, root: SignedBatchRoot, consent: Consent,
        digests: RelayRootDigests?
    ) {
        headerStorage = [header]
        originatorHeaderBytes = headerBytes
        self.proof = proof
        self.root = root
        self.consent = consent
        detachedDigests = digests
    }

    /// The two signed roots the detached form leaves out, with their digests, to send and store beside it.
    public var detachedRoots: (root: (digest: [UInt8], bytes: [UInt8]), consentRoot: (digest: [UInt8], bytes: [UInt8]))? {
        guard let detachedDigests, let consentRoot = consent.detachedEncoding?.root else { return nil }
        return ((detachedDigests.root, root.encoded), (detachedDigests.consentRoot, consentRoot.encoded))
    }

    func write(to writer: inout ByteWriter) {
        writer.tag(Self.tag)
        writer.bytes(originatorHeaderBytes)
        proof.write(to: &writer)
        root.write(to: &writer)
        writer.bytes(consent.encoded)
    }

    /// Writes the detached form; false (nothing written) when there is none.
    func writeDetached(to writer: inout ByteWriter) -> Bool {
        guard let detachedDigests, let consent = consent.detachedEncoding else { return false }
        writer.tag(Self.detachedTag)
        writer.bytes(originatorHeaderBytes)
        proof.write(to: &writer)
        writer.fixed(detachedDigests.root)
        writer.bytes(consent.bytes)
        writer.fixed(detachedDigests.consentRoot)
        return true
    }

    static func read(from reader: inout ByteReader) throws -> RelayAttachment {
        try reader.expectTag(tag)
        let (header, headerBytes) = try readOriginatorHeader(from: &reader)
        let proof = try BatchProof.read(from: &reader)
        let root = try SignedBatchRoot.read(from: &reader)
        let consent = try Consent(encoded: try reader.bytes("consent", max: Limits.maxBlob))
        return RelayAttachment(header: header, headerBytes: headerBytes, proof: proof, root: root, consent: consent, digests: nil)
    }

    /// Reads the detached form, taking the two roots it names from `roots` (``AccordCryptoError/Code/unknownRoot`` if absent).
    static func readDetached(from reader: inout ByteReader, roots: DetachedRoots) throws -> RelayAttachment {
        let parts = try readDetachedParts(from: &reader)
        let what = "the relay attachment of \(parts.header.id)"
        let root = try SignedBatchRoot.resolve(parts.digests.root, in: roots.batch, for: what)
        let consentRoot = try ConsentRoot.resolve(parts.digests.consentRoot, in: roots.consent, for: what)
        return RelayAttachment(header: parts.header, headerBytes: parts.headerBytes, proof: parts.proof, root: root,
                               consent: try Consent(detached: parts.consent, root: consentRoot), digests: parts.digests)
    }

    /// The digests a detached attachment names, without resolving them.
    static func readDetachedDigests(from reader: inout ByteReader) throws -> RelayRootDigests {
        try readDetachedParts(from: &reader).digests
    }

    private static func readDetachedParts(from reader: inout ByteReader) throws
        -> (header: EnvelopeHeader, headerBytes: [UInt8], proof: BatchProof, consent: [UInt8], digests: RelayRootDigests)
    {
        try reader.expectTag(detachedTag)
        let (header, headerBytes) = try readOriginatorHeader(from: &reader)
        let proof = try BatchProof.read(from: &reader)
        let rootDigest = try reader.fixed(32, "originator root digest")
        let consent = try reader.bytes("consent", max: Limits.maxBlob)
        let consentRootDigest = try reader.fixed(32, "consent root digest")
        return (header, headerBytes, proof, consent, RelayRootDigests(root: rootDigest, consentRoot: consentRootDigest))
    }

    private static func readOriginatorHeader(from reader: inout ByteReader) throws -> (EnvelopeHeader, [UInt8]) {
        let headerBytes = try reader.bytes("originator header", max: Limits.maxBlob)
        var headerReader = ByteReader(headerBytes, context: "embedded originator header")
        let header = try EnvelopeHeader.read(from: &headerReader, allowRelay: false)
        try headerReader.finish()
        return (header, headerBytes)
    }

    /// Equal when the parts are: the form it was read in does not count.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.originatorHeaderBytes == rhs.originatorHeaderBytes && lhs.proof == rhs.proof && lhs.root == rhs.root
            && lhs.consent.encoded == rhs.consent.encoded
    }
}

/// How a detached relay attachment names the originator's signed batch root and its consent's signed root:
/// SHA-256 of each root's canonical bytes (``SignedMerkleRoot/digest``).
public struct RelayRootDigests: Sendable, Hashable {
    /// The originator's batch root.
    public let root: [UInt8]
    /// The root of the originator's consent batch.
    public let consentRoot: [UInt8]
}
