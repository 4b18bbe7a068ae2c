import Foundation

/// What a relayed envelope carries so the final recipient can check who wrote the information and that the
/// originator consented: the originator's own header (as sealed to the intermediary), its batch proof and signed
/// root, and the originator's consent.
public struct RelayAttachment: Sendable, Equatable {
    static let tag = "accord.relay"

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
    }

    private init(header: EnvelopeHeader, headerBytes: [UInt8], proof: BatchProof, root: SignedBatchRoot, consent: Consent) {
        headerStorage = [header]
        originatorHeaderBytes = headerBytes
        self.proof = proof
        self.root = root
        self.consent = consent
    }

    func write(to writer: inout ByteWriter) {
        writer.tag(Self.tag)
        writer.bytes(originatorHeaderBytes)
        proof.write(to: &writer)
        root.write(to: &writer)
        writer.bytes(consent.encoded)
    }

    static func read(from reader: inout ByteReader) throws -> RelayAttachment {
        try reader.expectTag(tag)
        let headerBytes = try reader.bytes("originator header", max: Limits.maxBlob)
        var headerReader = ByteReader(headerBytes, context: "embedded originator header")
        let header = try EnvelopeHeader.read(from: &headerReader, allowRelay: false)
        try headerReader.finish()
        let proof = try BatchProof.read(from: &reader)
        let root = try SignedBatchRoot.read(from: &reader)
        let consent = try Consent(encoded: try reader.bytes("consent", max: Limits.maxBlob))
        return RelayAttachment(header: header, headerBytes: headerBytes, proof: proof, root: root, consent: consent)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.originatorHeaderBytes == rhs.originatorHeaderBytes && lhs.proof == rhs.proof && lhs.root == rhs.root
            && lhs.consent.encoded == rhs.consent.encoded
    }
}
