import Foundation

/// A tree head with its signature: what a node hands out with every receipt and what its peers
/// keep as evidence of what it had recorded.
public struct SignedTreeHead: Sendable, Hashable {
    /// Version byte of the signing input and of the wire form.
    public static let formatVersion: UInt8 = 1
    /// The largest signature accepted (a hybrid Ed25519 + ML-DSA-65 signature is 3,373 bytes).
    public static let maxSignatureBytes = 8192

    /// The signed content.
    public let head: TreeHead
    /// Names the key that signed (lets a verifier follow key rotation).
    public let keyID: String
    /// The signature over ``TreeHead/signingInput(keyID:)``.
    public let signature: Data

    /// Wraps a head and its signature without checking it; see ``verify(with:)``.
    public init(head: TreeHead, keyID: String, signature: Data) {
        self.head = head
        self.keyID = keyID
        self.signature = signature
    }

    /// Signs `head` with `signer`.
    /// - Throws: ``AuditError/Code/signingFailed`` if the signer fails.
    public init(signing head: TreeHead, with signer: any TreeHeadSigner) throws {
        let input = try head.signingInput(keyID: signer.keyID)
        let signature: Data
        do {
            signature = try signer.sign(input)
        } catch {
            throw AuditError(.signingFailed, "could not sign the tree head of \(head.log) at size \(head.treeSize): \(error)")
        }
        guard !signature.isEmpty, signature.count <= Self.maxSignatureBytes else {
            throw AuditError(.signingFailed, "the signer produced a signature of \(signature.count) bytes")
        }
        self.init(head: head, keyID: signer.keyID, signature: signature)
    }

    /// Checks the signature with `verifier`.
    /// - Throws: ``AuditError/Code/unknownKey`` or ``AuditError/Code/signatureInvalid``.
    public func verify(with verifier: any TreeHeadVerifier) throws {
        guard verifier.knowsKey(keyID, of: head.log) else {
            throw AuditError(.unknownKey, "no key \(keyID) is known for \(head.log)")
        }
        let input = try head.signingInput(keyID: keyID)
        guard verifier.isValidSignature(signature, for: input, keyID: keyID, of: head.log) else {
            throw AuditError(
                .signatureInvalid,
                "the signature on \(head.log)'s tree head of size \(head.treeSize) does not verify"
            )
        }
    }

    /// Wire form, version 1: `01 | log | u64 size | u64 timestamp | root | keyID | u16 n | n bytes`.
    public func encoded() throws -> Data {
        var writer = ByteWriter(capacity: 96 + signature.count)
        writer.u8(Self.formatVersion)
        try writer.string(head.log, .party, name: "log")
        writer.u64(head.treeSize)
        writer.u64(head.timestamp.millisecondsSince1970)
        writer.hash(head.rootHash)
        try writer.string(keyID, .identifier, name: "key id")
        guard !signature.isEmpty, signature.count <= Self.maxSignatureBytes else {
            throw AuditError(.invalidField, "signature must be 1–\(Self.maxSignatureBytes) bytes, got \(signature.count)")
        }
        writer.field(signature)
        return writer.data
    }

    /// Decodes the wire form strictly. The signature is not checked here; call ``verify(with:)``.
    public init<Bytes: DataProtocol>(decoding bytes: Bytes) throws {
        var reader = ByteReader(bytes, what: "signed tree head")
        let version = try reader.u8("version")
        guard version == Self.formatVersion else { throw reader.fail("unknown version \(version)") }
        let log = try reader.string("log", .party)
        let size = try reader.u64("tree size")
        let timestamp = AuditTimestamp(millisecondsSince1970: try reader.u64("timestamp"))
        // A peer sends these: sizes and times are kept as signed 64-bit integers, so larger ones are refused here.
        guard size <= UInt64(Int64.max), timestamp.millisecondsSince1970 <= UInt64(Int64.max) else {
            throw reader.fail("tree size or timestamp out of range")
        }
        let root = try reader.hash("root hash")
        let keyID = try reader.string("key id", .identifier)
        let signature = try reader.field("signature", maxLength: Self.maxSignatureBytes)
        guard !signature.isEmpty else { throw reader.fail("empty signature") }
        try reader.finish()
        self.init(
            head: TreeHead(log: log, treeSize: size, rootHash: root, timestamp: timestamp),
            keyID: keyID, signature: Data(signature)
        )
    }
}
