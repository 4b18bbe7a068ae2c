import Crypto
import Foundation

extension Receipt {
    /// Acknowledges many envelopes with one hybrid signature: the receipts (version 2) are the leaves
    /// of a Merkle tree (RFC 9162 hashing, as envelope batches), the recipient signs the root once, and
    /// each receipt carries its inclusion proof and the signed root. An ML-DSA-65 signature costs about
    /// a millisecond; this is what lets a node acknowledge thousands of envelopes a second.
    public static func issueBatch(
        for opened: [OpenedEnvelope], by identity: NodeIdentity, receivedAt: Date, treeHead: [UInt8]? = nil
    ) throws -> [Receipt] {
        guard !opened.isEmpty else { return [] }
        guard opened.count <= BatchProof.maxTreeSize else {
            throw AccordCryptoError(.oversized, "a receipt batch holds at most \(BatchProof.maxTreeSize) receipts")
        }
        if let treeHead, treeHead.count > Limits.maxBlob {
            throw AccordCryptoError(.oversized, "tree head of \(treeHead.count) bytes is too large")
        }
        let placeholder = Authentication.batched(
            proof: BatchProof(leafIndex: 0, treeSize: 1, path: []),
            root: ReceiptRoot(signer: identity.party, keyID: identity.keyID, signedAt: receivedAt, treeSize: 1, root: [],
                              signature: HybridSignature(ed25519: [], mldsa: [])))
        let unsigned = try opened.map { envelope -> Receipt in
            guard envelope.header.recipient == identity.party else {
                throw AccordCryptoError(.wrongRecipient, "only \(envelope.header.recipient) can acknowledge envelope \(envelope.header.id)")
            }
            return Receipt(
                envelopeID: envelope.header.id, payloadDigest: envelope.header.payloadDigest, sender: envelope.header.sender,
                recipient: identity.party, recipientKeyID: identity.keyID, receivedAt: receivedAt.accordNormalized,
                treeHead: treeHead, authentication: placeholder)
        }
        let tree = try MerkleTree(leaves: unsigned.map(\.toBeSigned))
        let root = try ReceiptRoot.sign(tree: tree, identity: identity, at: receivedAt)
        return unsigned.enumerated().map { index, receipt in
            receipt.with(.batched(proof: BatchProof(leafIndex: UInt32(index), treeSize: UInt32(tree.size), path: tree.inclusionPath(for: index)),
                                  root: root))
        }
    }
}

/// The recipient's hybrid signature over the Merkle root of a batch of receipts. Encoding: tag
/// `accord.receipt-root`, version 1, signer, key id, signedAt, tree size (`u32`), root (32 bytes),
/// then the hybrid signature; signature context `receipt-root`.
public struct ReceiptRoot: Sendable, Equatable {
    static let tag = "accord.receipt-root"
    static let signatureContext = "receipt-root"

    public let signer: String
    public let keyID: KeyID
    public let signedAt: Date
    public let treeSize: UInt32
    public let root: [UInt8]
    public let signature: HybridSignature

    init(signer: String, keyID: KeyID, signedAt: Date, treeSize: UInt32, root: [UInt8], signature: HybridSignature) {
        self.signer = signer
        self.keyID = keyID
        self.signedAt = signedAt
        self.treeSize = treeSize
        self.root = root
        self.signature = signature
    }

    static func sign(tree: MerkleTree, identity: NodeIdentity, at date: Date) throws -> ReceiptRoot {
        let unsigned = ReceiptRoot(signer: identity.party, keyID: identity.keyID, signedAt: date.accordNormalized,
                                   treeSize: UInt32(tree.size), root: tree.root, signature: HybridSignature(ed25519: [], mldsa: []))
        let signature = try identity.signingKey.sign(context: signatureContext, body: unsigned.toBeSigned)
        return ReceiptRoot(signer: unsigned.signer, keyID: unsigned.keyID, signedAt: unsigned.signedAt, treeSize: unsigned.treeSize,
                           root: unsigned.root, signature: signature)
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

    func write(to writer: inout ByteWriter) {
        writer.fixed(toBeSigned)
        writer.fixed(signature.bytes)
    }

    static func read(from reader: inout ByteReader) throws -> ReceiptRoot {
        try reader.expectTag(tag)
        try reader.expectVersion(1)
        let signer = try reader.string("signer")
        let keyID: KeyID = try reader.identifier("signer key id")
        let signedAt = try reader.time("signedAt")
        let treeSize = try reader.u32("tree size")
        guard treeSize >= 1, treeSize <= BatchProof.maxTreeSize else {
            throw AccordCryptoError(.malformed, "\(reader.context): a receipt batch of \(treeSize) is impossible")
        }
        let root = try reader.fixed(32, "root")
        let signature = try HybridSignature(bytes: try reader.fixed(HybridSignature.size, "root signature"))
        return ReceiptRoot(signer: signer, keyID: keyID, signedAt: signedAt, treeSize: treeSize, root: root, signature: signature)
    }

    func verify(directory: KeyDirectory, validAt date: Date, cache: VerifiedRootCache?) throws {
        let bundle = try directory.bundle(party: signer, keyID: keyID, validAt: date)
        let body = toBeSigned
        let signatureBytes = signature.bytes
        if let cache, cache.contains(body: body, signature: signatureBytes) { return }
        try bundle.signingKey.verify(signature, context: Self.signatureContext, body: body)
        cache?.insert(body: body, signature: signatureBytes)
    }
}
