import Crypto
import Foundation

/// What a signed Merkle root commits to: its encoding tag and its signature context, so that a root
/// signed for one purpose can never be taken for another.
public protocol SignedRootKind: Sendable {
    /// The encoding tag (`accord.batch-root`).
    static var tag: String { get }
    /// The hybrid signature's context (`batch-root`).
    static var signatureContext: String { get }
    /// What a parse error calls it.
    static var name: String { get }
}

/// Roots of envelope batches, signed by the sending node.
public enum EnvelopeBatchRootKind: SignedRootKind {
    public static let tag = "accord.batch-root"
    public static let signatureContext = "batch-root"
    public static let name = "batch root"
}

/// Roots of receipt batches, signed by the receiving node.
public enum ReceiptBatchRootKind: SignedRootKind {
    public static let tag = "accord.receipt-root"
    public static let signatureContext = "receipt-root"
    public static let name = "receipt root"
}

/// Roots of consent batches, signed by the originator (one signature for the consents of one release).
public enum ConsentBatchRootKind: SignedRootKind {
    public static let tag = "accord.consent-root"
    public static let signatureContext = "consent-root"
    public static let name = "consent root"
}

/// The root of a batch's Merkle tree (envelopes sent together).
public typealias SignedBatchRoot = SignedMerkleRoot<EnvelopeBatchRootKind>
/// The root of a batch's Merkle tree (receipts of one transmission).
public typealias ReceiptRoot = SignedMerkleRoot<ReceiptBatchRootKind>
/// The root of a batch's Merkle tree (consents issued together).
public typealias ConsentRoot = SignedMerkleRoot<ConsentBatchRootKind>

/// The root of a Merkle tree, hybrid-signed once. Encoding: tag, version 1, signer, key id, signedAt,
/// tree size (`u32`, 1…2²⁰), root (32 bytes), then the hybrid signature over everything before it.
public struct SignedMerkleRoot<Kind: SignedRootKind>: Sendable, Equatable {
    static var tag: String { Kind.tag }
    static var signatureContext: String { Kind.signatureContext }

    /// The signing party.
    public let signer: String
    /// The signer's key generation.
    public let keyID: KeyID
    /// When the batch was signed.
    public let signedAt: Date
    /// Number of leaves in the batch.
    public let treeSize: UInt32
    /// The Merkle root.
    public let root: [UInt8]
    /// Hybrid signature over ``toBeSigned``.
    public let signature: HybridSignature

    init(signer: String, keyID: KeyID, signedAt: Date, treeSize: UInt32, root: [UInt8], signature: HybridSignature) {
        self.signer = signer
        self.keyID = keyID
        self.signedAt = signedAt
        self.treeSize = treeSize
        self.root = root
        self.signature = signature
    }

    static func sign(tree: MerkleTree, identity: NodeIdentity, at date: Date) throws -> Self {
        let unsigned = Self(
            signer: identity.party, keyID: identity.keyID, signedAt: date.accordNormalized,
            treeSize: UInt32(tree.size), root: tree.root, signature: HybridSignature(ed25519: [], mldsa: []))
        let signature = try identity.signingKey.sign(context: signatureContext, body: unsigned.toBeSigned)
        return Self(signer: unsigned.signer, keyID: unsigned.keyID, signedAt: unsigned.signedAt,
                    treeSize: unsigned.treeSize, root: unsigned.root, signature: signature)
    }

    var toBeSigned: [UInt8] {
        var writer = ByteWriter(capacity: 128)
        writer.tag(Self.tag)
        writer.u8(1)
        writer.string(signer)
        writer.fixed(keyID.bytes)
        writer.time(signedAt)
        writer.u32(treeSize)
        writer.fixed(root)
        return writer.bytes
    }

    /// The canonical bytes: ``toBeSigned`` then the signature.
    public var encoded: [UInt8] { toBeSigned + signature.bytes }

    /// A leaf of this root's batch as sent: its to-be-signed bytes, its inclusion proof, then this root
    /// (batched receipts and batch-signed consents).
    func leafEncoding(_ toBeSigned: [UInt8], proof: BatchProof) -> [UInt8] {
        var writer = ByteWriter(capacity: 4096)
        writer.fixed(toBeSigned)
        proof.write(to: &writer)
        write(to: &writer)
        return writer.bytes
    }

    func write(to writer: inout ByteWriter) {
        writer.fixed(toBeSigned)
        writer.fixed(signature.bytes)
    }

    static func read(from reader: inout ByteReader) throws -> Self {
        try reader.expectTag(tag)
        try reader.expectVersion(1)
        let signer = try reader.string("signer")
        let keyID: KeyID = try reader.identifier("signer key id")
        let signedAt = try reader.time("signedAt")
        let treeSize = try reader.u32("tree size")
        guard treeSize >= 1, treeSize <= BatchProof.maxTreeSize else {
            throw AccordCryptoError(.malformed, "\(reader.context): a batch of \(treeSize) is impossible")
        }
        let root = try reader.fixed(32, "root")
        let signature = try HybridSignature(bytes: try reader.fixed(HybridSignature.size, "root signature"))
        return Self(signer: signer, keyID: keyID, signedAt: signedAt, treeSize: treeSize, root: root, signature: signature)
    }

    /// Parses a standalone signed root.
    public init<D: DataProtocol>(encoded data: D) throws {
        var reader = ByteReader(data, context: Kind.name)
        self = try Self.read(from: &reader)
        try reader.finish()
    }

    /// Verifies the signature with the signer's bundle valid at `date`, using and filling `cache`.
    func verify(directory: KeyDirectory, validAt date: Date, cache: VerifiedRootCache?) throws {
        let bundle = try directory.bundle(party: signer, keyID: keyID, validAt: date)
        let body = toBeSigned
        if let cache, cache.contains(body: body, signature: signature) { return }
        try bundle.signingKey.verify(signature, context: Self.signatureContext, body: body)
        cache?.insert(body: body, signature: signature)
    }
}
