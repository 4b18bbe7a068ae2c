import Foundation

extension Receipt {
    /// Acknowledges many envelopes with one hybrid signature: the receipts (version 2) are the leaves
    /// of a Merkle tree (RFC 9162 hashing, as envelope batches), the recipient signs the root once, and
    /// each receipt carries its inclusion proof and the signed root. An ML-DSA-65 signature costs about
    /// a millisecond; this is what lets a node acknowledge thousands of envelopes a second.
    /// `treeHead` (the recipient's signed audit tree head, ≈ 3.5 KB) goes in the first receipt only:
    /// the sender keeps one peer head per answer, and the other receipts would each carry a copy.
    /// With `detached`, the receipts are version 3: each names the root by digest instead of carrying
    /// it (the caller sends the root once, `root.encoded`, beside them).
    public static func issueBatch(
        for opened: [OpenedEnvelope], by identity: NodeIdentity, receivedAt: Date, treeHead: [UInt8]? = nil, detached: Bool = false
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
                              signature: HybridSignature(ed25519: [], mldsa: [])), detached: detached)
        let unsigned = try opened.enumerated().map { index, envelope -> Receipt in
            guard envelope.header.recipient == identity.party else {
                throw AccordCryptoError(.wrongRecipient, "only \(envelope.header.recipient) can acknowledge envelope \(envelope.header.id)")
            }
            return Receipt(
                envelopeID: envelope.header.id, payloadDigest: envelope.header.payloadDigest, sender: envelope.header.sender,
                recipient: identity.party, recipientKeyID: identity.keyID, receivedAt: receivedAt.accordNormalized,
                treeHead: index == 0 ? treeHead : nil, authentication: placeholder)
        }
        let tree = try MerkleTree(leaves: unsigned.map(\.toBeSigned))
        let root = try ReceiptRoot.sign(tree: tree, identity: identity, at: receivedAt)
        return unsigned.enumerated().map { index, receipt in
            receipt.with(.batched(proof: BatchProof(leafIndex: UInt32(index), treeSize: UInt32(tree.size), path: tree.inclusionPath(for: index)),
                                  root: root, detached: detached))
        }
    }
}
