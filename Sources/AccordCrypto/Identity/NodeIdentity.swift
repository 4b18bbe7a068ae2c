import Crypto
import Foundation
import SwiftASN1
import X509

/// A node's secret identity: hybrid signing key, X-Wing key-encapsulation key, and the P-256 key and
/// self-signed certificate it uses for node-to-node TLS. One generation of keys, valid for a period.
public struct NodeIdentity: Sendable {
    /// The party this node speaks for ("KR", "JP", "US").
    public let party: String
    /// The hybrid Ed25519 + ML-DSA-65 signing key.
    public let signingKey: HybridSigningKey
    /// The X-Wing (ML-KEM-768 + X25519) key that epoch announcements are encapsulated to.
    let kemKey: XWingMLKEM768X25519.PrivateKey
    /// The P-256 key of the TLS certificate.
    let tlsKey: P256.Signing.PrivateKey
    /// The DER encoding of the self-signed TLS certificate.
    public let certificateDER: [UInt8]
    /// Start of this key generation's validity.
    public let notBefore: Date
    /// End of this key generation's validity.
    public let notAfter: Date
    /// Identifier of this key generation.
    public let keyID: KeyID

    /// Generates fresh keys and a self-signed TLS certificate whose subject names the party.
    public static func generate(party: String, notBefore: Date, notAfter: Date) throws -> NodeIdentity {
        try NodeIdentity(
            party: party,
            seeds: .init(
                ed25519: Array(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }),
                mldsa: Array(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }),
                xwing: Array(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }),
                p256: Array(P256.Signing.PrivateKey().rawRepresentation)),
            notBefore: notBefore, notAfter: notAfter, certificateDER: nil)
    }

    /// The 32-byte secret seeds an identity is derived from (this is what the key file stores).
    public struct Seeds: Sendable {
        /// Ed25519 private key.
        public var ed25519: [UInt8]
        /// ML-DSA-65 seed ξ.
        public var mldsa: [UInt8]
        /// X-Wing seed.
        public var xwing: [UInt8]
        /// P-256 private scalar.
        public var p256: [UInt8]

        /// Groups the four 32-byte seeds.
        public init(ed25519: [UInt8], mldsa: [UInt8], xwing: [UInt8], p256: [UInt8]) {
            self.ed25519 = ed25519
            self.mldsa = mldsa
            self.xwing = xwing
            self.p256 = p256
        }
    }

    /// Derives an identity from fixed seeds (test vectors, key files). Without `certificateDER`, a new
    /// self-signed certificate is made; with it, the certificate is parsed and must carry the TLS key.
    public init(party: String, seeds: Seeds, notBefore: Date, notAfter: Date, certificateDER: [UInt8]?) throws {
        try Limits.check(party, "party")
        guard !party.isEmpty else { throw AccordCryptoError(.invalidArgument, "party must not be empty") }
        guard notBefore < notAfter else { throw AccordCryptoError(.invalidArgument, "notBefore must precede notAfter") }
        guard [seeds.ed25519, seeds.mldsa, seeds.xwing, seeds.p256].allSatisfy({ $0.count == 32 }) else {
            throw AccordCryptoError(.malformed, "identity seeds must be 32 bytes each")
        }
        self.party = party
        self.notBefore = notBefore.accordNormalized
        self.notAfter = notAfter.accordNormalized
        signingKey = try HybridSigningKey(ed25519Seed: seeds.ed25519, mldsaSeed: seeds.mldsa)
        do {
            kemKey = try XWingMLKEM768X25519.PrivateKey(seedRepresentation: seeds.xwing, publicKey: nil)
            tlsKey = try P256.Signing.PrivateKey(rawRepresentation: seeds.p256)
        } catch {
            throw AccordCryptoError(.malformed, "identity seeds are not valid keys")
        }
        keyID = Self.keyID(signing: signingKey.publicKey, kem: Array(kemKey.publicKey.rawRepresentation))
        if let certificateDER {
            let certificate: Certificate
            do { certificate = try Certificate(derEncoded: certificateDER) } catch {
                throw AccordCryptoError(.malformed, "TLS certificate is not valid DER")
            }
            guard certificate.publicKey == Certificate.PublicKey(tlsKey.publicKey) else {
                throw AccordCryptoError(.malformed, "TLS certificate does not carry this identity's P-256 key")
            }
            self.certificateDER = certificateDER
        } else {
            self.certificateDER = try Self.selfSignedCertificate(
                party: party, key: tlsKey, notBefore: self.notBefore, notAfter: self.notAfter)
        }
    }

    /// The secret seeds (write them only to a 0600 file; see ``write(to:)``).
    public var seeds: Seeds {
        Seeds(
            ed25519: signingKey.ed25519Seed, mldsa: signingKey.mldsaSeed,
            xwing: Array(kemKey.seedRepresentation), p256: Array(tlsKey.rawRepresentation))
    }

    /// The X-Wing public key, raw (1216 bytes).
    public var kemPublicKeyBytes: [UInt8] { Array(kemKey.publicKey.rawRepresentation) }

    /// The P-256 TLS private key, for the transport layer.
    public var tlsPrivateKey: P256.Signing.PrivateKey { tlsKey }

    /// SHA-256 of the certificate DER: what peers pin.
    public var certificateFingerprint: [UInt8] { Array(SHA256.hash(data: certificateDER)) }

    static func keyID(signing: HybridPublicKey, kem: [UInt8]) -> KeyID {
        var hasher = SHA256()
        hasher.update(data: Array("accord.v1 key-id".utf8))
        hasher.update(data: signing.ed25519Bytes)
        hasher.update(data: signing.mldsaBytes)
        hasher.update(data: kem)
        return KeyID(unchecked: Array(hasher.finalize().prefix(16)))
    }

    private static func selfSignedCertificate(
        party: String, key: P256.Signing.PrivateKey, notBefore: Date, notAfter: Date
    ) throws -> [UInt8] {
        do {
            let name = try DistinguishedName {
                OrganizationName("Accord")
                OrganizationalUnitName(party)
                CommonName("accord-node-\(party)")
            }
            let serial = Certificate.SerialNumber(bytes: Array(SHA256.hash(data: Array(key.publicKey.rawRepresentation)).prefix(16)))
            let certificate = try Certificate(
                version: .v3, serialNumber: serial, publicKey: .init(key.publicKey),
                notValidBefore: notBefore, notValidAfter: notAfter, issuer: name, subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    SubjectAlternativeNames([.dnsName("accord-node-\(party.lowercased())")])
                },
                issuerPrivateKey: .init(key))
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            return serializer.serializedBytes
        } catch {
            throw AccordCryptoError(.invalidArgument, "could not make the TLS certificate: \(error)")
        }
    }
}
