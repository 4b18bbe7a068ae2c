import Crypto
import Foundation

/// An Ed25519 signature followed by an ML-DSA-65 signature over the same domain-separated message.
/// It is valid only if both halves verify.
public struct HybridSignature: Sendable, Equatable {
    /// Size of the Ed25519 half.
    public static let ed25519Size = 64
    /// Size of the ML-DSA-65 half.
    public static let mldsaSize = 3309
    /// Size of the whole signature.
    public static let size = ed25519Size + mldsaSize

    /// The Ed25519 half.
    public let ed25519: [UInt8]
    /// The ML-DSA-65 half.
    public let mldsa: [UInt8]

    /// Splits `size` bytes into the two halves, or throws.
    public init<D: DataProtocol>(bytes: D) throws {
        guard bytes.count == Self.size else {
            throw AccordCryptoError(
                bytes.count < Self.size ? .truncated : .oversized,
                "a hybrid signature is \(Self.size) bytes, got \(bytes.count)")
        }
        let all = Array(bytes)
        ed25519 = Array(all[0..<Self.ed25519Size])
        mldsa = Array(all[Self.ed25519Size...])
    }

    init(ed25519: [UInt8], mldsa: [UInt8]) {
        self.ed25519 = ed25519
        self.mldsa = mldsa
    }

    /// Ed25519 ‖ ML-DSA-65.
    public var bytes: [UInt8] { ed25519 + mldsa }

    /// The message both halves sign: the tag `accord.v1 signature`, a `u8`-length-prefixed
    /// context naming the structure, then the structure's to-be-signed bytes.
    static func message(context: String, body: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: body.count + 48)
        writer.tag("accord.v1 signature")
        writer.tag(context)
        writer.fixed(body)
        return writer.bytes
    }
}

/// The public half of a hybrid signing key.
public struct HybridPublicKey: Sendable {
    /// Ed25519 public key size.
    public static let ed25519Size = 32
    /// ML-DSA-65 public key size.
    public static let mldsaSize = 1952

    let ed25519: Curve25519.Signing.PublicKey
    let mldsa: MLDSA65.PublicKey

    /// Parses the raw Ed25519 (32 bytes) and ML-DSA-65 (1952 bytes) public keys.
    public init<D: DataProtocol>(ed25519 edBytes: D, mldsa mlBytes: D) throws {
        guard edBytes.count == Self.ed25519Size, mlBytes.count == Self.mldsaSize else {
            throw AccordCryptoError(.malformed, "hybrid public key halves must be 32 and 1952 bytes")
        }
        do {
            ed25519 = try Curve25519.Signing.PublicKey(rawRepresentation: Array(edBytes))
            mldsa = try MLDSA65.PublicKey(rawRepresentation: Array(mlBytes))
        } catch {
            throw AccordCryptoError(.malformed, "hybrid public key bytes are not a valid key")
        }
    }

    init(ed25519: Curve25519.Signing.PublicKey, mldsa: MLDSA65.PublicKey) {
        self.ed25519 = ed25519
        self.mldsa = mldsa
    }

    /// Raw Ed25519 public key.
    public var ed25519Bytes: [UInt8] { Array(ed25519.rawRepresentation) }
    /// Raw ML-DSA-65 public key (FIPS 204 encoding).
    public var mldsaBytes: [UInt8] { Array(mldsa.rawRepresentation) }

    /// Verifies both halves; throws a distinct error when only one half, or neither, verifies.
    public func verify(_ signature: HybridSignature, context: String, body: [UInt8]) throws {
        let message = HybridSignature.message(context: context, body: body)
        let edValid = ed25519.isValidSignature(signature.ed25519, for: message)
        let mlValid = mldsa.isValidSignature(signature.mldsa, for: message)
        switch (edValid, mlValid) {
        case (true, true): return
        case (false, true):
            throw AccordCryptoError(.ed25519SignatureInvalid, "\(context): the Ed25519 half does not verify (ML-DSA-65 does)")
        case (true, false):
            throw AccordCryptoError(.mldsaSignatureInvalid, "\(context): the ML-DSA-65 half does not verify (Ed25519 does)")
        case (false, false):
            throw AccordCryptoError(.signatureInvalid, "\(context): neither half of the hybrid signature verifies")
        }
    }
}

/// A hybrid Ed25519 + ML-DSA-65 private key.
public struct HybridSigningKey: Sendable {
    let ed25519: Curve25519.Signing.PrivateKey
    let mldsa: MLDSA65.PrivateKey

    /// A fresh random key.
    public init() throws {
        ed25519 = Curve25519.Signing.PrivateKey()
        mldsa = try MLDSA65.PrivateKey()
    }

    /// A key from its seeds: the 32-byte Ed25519 private key and the 32-byte ML-DSA-65 seed (FIPS 204 ξ).
    public init<D: DataProtocol>(ed25519Seed: D, mldsaSeed: D) throws {
        guard ed25519Seed.count == 32, mldsaSeed.count == 32 else {
            throw AccordCryptoError(.malformed, "hybrid key seeds must be 32 bytes each")
        }
        do {
            ed25519 = try Curve25519.Signing.PrivateKey(rawRepresentation: Array(ed25519Seed))
            mldsa = try MLDSA65.PrivateKey(seedRepresentation: Array(mldsaSeed), publicKey: nil)
        } catch {
            throw AccordCryptoError(.malformed, "hybrid key seeds are not valid")
        }
    }

    /// The public half.
    public var publicKey: HybridPublicKey { HybridPublicKey(ed25519: ed25519.publicKey, mldsa: mldsa.publicKey) }

    var ed25519Seed: [UInt8] { Array(ed25519.rawRepresentation) }
    var mldsaSeed: [UInt8] { Array(mldsa.seedRepresentation) }

    /// Signs `body` under `context` with both algorithms.
    public func sign(context: String, body: [UInt8]) throws -> HybridSignature {
        let message = HybridSignature.message(context: context, body: body)
        do {
            return HybridSignature(
                ed25519: Array(try ed25519.signature(for: message)),
                mldsa: Array(try mldsa.signature(for: message)))
        } catch {
            throw AccordCryptoError(.invalidArgument, "signing failed: \(error)")
        }
    }
}
