import Crypto
import Foundation

/// A ``TreeHeadSigner`` over an Ed25519 key (RFC 8032), for tests, tools and benchmarks; the
/// node uses its hybrid identity instead.
public struct Ed25519TreeHeadSigner: TreeHeadSigner {
    private let key: Curve25519.Signing.PrivateKey
    /// The key id: ``Ed25519TreeHeadVerifier/keyID(for:)`` of the public key.
    public let keyID: String

    /// Wraps a private key.
    public init(key: Curve25519.Signing.PrivateKey) {
        self.key = key
        keyID = Ed25519TreeHeadVerifier.keyID(for: key.publicKey)
    }

    /// The public key that verifies this signer's heads.
    public var publicKey: Curve25519.Signing.PublicKey { key.publicKey }

    /// Signs with Ed25519.
    public func sign(_ message: Data) throws -> Data {
        try key.signature(for: message)
    }
}

/// A ``TreeHeadVerifier`` holding Ed25519 public keys per party.
public struct Ed25519TreeHeadVerifier: TreeHeadVerifier {
    private let keys: [String: [String: Curve25519.Signing.PublicKey]]

    /// Trusts `keys`, each for the party it is listed under.
    public init(keys: [String: [Curve25519.Signing.PublicKey]]) {
        var table = [String: [String: Curve25519.Signing.PublicKey]]()
        for (party, partyKeys) in keys {
            for key in partyKeys { table[party, default: [:]][Self.keyID(for: key)] = key }
        }
        self.keys = table
    }

    /// `ed25519:` followed by the first 16 hex digits of SHA-256 of the raw public key.
    public static func keyID(for key: Curve25519.Signing.PublicKey) -> String {
        let digest = MerkleHash(digest: SHA256.hash(data: key.rawRepresentation))
        return "ed25519:" + digest.hex.prefix(16)
    }

    /// Whether `party` has a key named `keyID`.
    public func knowsKey(_ keyID: String, of party: String) -> Bool {
        keys[party]?[keyID] != nil
    }

    /// Ed25519 verification under the named key.
    public func isValidSignature(_ signature: Data, for message: Data, keyID: String, of party: String) -> Bool {
        guard let key = keys[party]?[keyID] else { return false }
        return key.isValidSignature(signature, for: message)
    }
}
