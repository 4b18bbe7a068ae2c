import Crypto
import Foundation

/// The public half of one generation of a party's keys, self-signed with the hybrid key and valid for a period.
/// Bundles are exchanged and pinned when an agreement is signed; keeping old bundles lets old envelopes verify.
public struct PartyKeyBundle: Sendable {
    static let tag = "accord.key-bundle"
    static let signatureContext = "key-bundle"

    /// The party the keys belong to.
    public let party: String
    /// Identifier of this key generation.
    public let keyID: KeyID
    /// The hybrid signing public key.
    public let signingKey: HybridPublicKey
    /// The raw X-Wing public key (1216 bytes).
    public let kemPublicKeyBytes: [UInt8]
    /// The DER of the node's TLS certificate.
    public let certificateDER: [UInt8]
    /// Start of validity.
    public let notBefore: Date
    /// End of validity.
    public let notAfter: Date
    /// Self-signature over ``toBeSigned``.
    public let signature: HybridSignature

    /// Makes the signed bundle of an identity.
    public init(identity: NodeIdentity) throws {
        let unsigned = PartyKeyBundle(
            party: identity.party, keyID: identity.keyID, signingKey: identity.signingKey.publicKey,
            kemPublicKeyBytes: identity.kemPublicKeyBytes, certificateDER: identity.certificateDER,
            notBefore: identity.notBefore, notAfter: identity.notAfter,
            signature: HybridSignature(ed25519: [], mldsa: []))
        let signed = try identity.signingKey.sign(context: Self.signatureContext, body: unsigned.toBeSigned)
        self = PartyKeyBundle(
            party: unsigned.party, keyID: unsigned.keyID, signingKey: unsigned.signingKey,
            kemPublicKeyBytes: unsigned.kemPublicKeyBytes, certificateDER: unsigned.certificateDER,
            notBefore: unsigned.notBefore, notAfter: unsigned.notAfter, signature: signed)
    }

    private init(
        party: String, keyID: KeyID, signingKey: HybridPublicKey, kemPublicKeyBytes: [UInt8],
        certificateDER: [UInt8], notBefore: Date, notAfter: Date, signature: HybridSignature
    ) {
        self.party = party
        self.keyID = keyID
        self.signingKey = signingKey
        self.kemPublicKeyBytes = kemPublicKeyBytes
        self.certificateDER = certificateDER
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.signature = signature
    }

    /// SHA-256 of the TLS certificate DER: what the transport pins.
    public var certificateFingerprint: [UInt8] { Array(SHA256.hash(data: certificateDER)) }

    /// Whether the bundle is valid at `date` (notBefore ≤ date ≤ notAfter); throws the precise reason otherwise.
    public func checkValid(at date: Date) throws {
        if date.accordMillis < notBefore.accordMillis {
            throw AccordCryptoError(.keyNotYetValid, "key \(keyID) of \(party) is valid only from \(notBefore)")
        }
        if date.accordMillis > notAfter.accordMillis {
            throw AccordCryptoError(.keyExpired, "key \(keyID) of \(party) expired at \(notAfter)")
        }
    }

    var toBeSigned: [UInt8] {
        var writer = ByteWriter(capacity: 4096 + certificateDER.count)
        writer.tag(Self.tag)
        writer.u8(1)
        writer.string(party)
        writer.fixed(keyID.bytes)
        writer.fixed(signingKey.ed25519Bytes)
        writer.fixed(signingKey.mldsaBytes)
        writer.fixed(kemPublicKeyBytes)
        writer.bytes(certificateDER)
        writer.time(notBefore)
        writer.time(notAfter)
        return writer.bytes
    }

    /// The canonical bytes: ``toBeSigned`` followed by the 3373-byte hybrid signature.
    public var encoded: [UInt8] { toBeSigned + signature.bytes }

    /// Parses and verifies a bundle: exact lengths, a key id that matches the keys, a valid self-signature.
    public init<D: DataProtocol>(encoded data: D) throws {
        var reader = ByteReader(data, context: "key bundle")
        try reader.expectTag(Self.tag)
        try reader.expectVersion(1)
        party = try reader.string("party")
        keyID = try reader.identifier("key id")
        let ed = try reader.fixed(HybridPublicKey.ed25519Size, "Ed25519 public key")
        let ml = try reader.fixed(HybridPublicKey.mldsaSize, "ML-DSA-65 public key")
        signingKey = try HybridPublicKey(ed25519: ed, mldsa: ml)
        kemPublicKeyBytes = try reader.fixed(1216, "X-Wing public key")
        certificateDER = try reader.bytes("certificate", max: Limits.maxBlob)
        notBefore = try reader.time("notBefore")
        notAfter = try reader.time("notAfter")
        let body = reader.slice(from: 0)
        signature = try HybridSignature(bytes: try reader.fixed(HybridSignature.size, "signature"))
        try reader.finish()
        do { _ = try XWingMLKEM768X25519.PublicKey(rawRepresentation: kemPublicKeyBytes) } catch {
            throw AccordCryptoError(.malformed, "key bundle: X-Wing public key is invalid")
        }
        guard NodeIdentity.keyID(signing: signingKey, kem: kemPublicKeyBytes) == keyID else {
            throw AccordCryptoError(.malformed, "key bundle: key id does not match the keys")
        }
        try signingKey.verify(signature, context: Self.signatureContext, body: body)
    }
}
