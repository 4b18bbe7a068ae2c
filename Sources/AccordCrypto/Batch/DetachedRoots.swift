import Crypto
import Foundation

extension SignedMerkleRoot {
    /// How a detached leaf (an envelope of version 2, a receipt of version 3) names its root:
    /// SHA-256 of the root's canonical bytes, signature included (`docs/envelope.md`).
    public var digest: [UInt8] { Self.digest(ofEncoded: encoded) }

    /// SHA-256 of a root's canonical bytes.
    public static func digest(ofEncoded bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    /// Parses the signed roots that travel beside detached leaves (a transmission's, an answer's), each
    /// once, keyed by digest. Every item must be a root of this kind: one that is not makes the whole
    /// list malformed.
    public static func index(encoded roots: [[UInt8]]) throws -> [[UInt8]: Self] {
        var index: [[UInt8]: Self] = [:]
        index.reserveCapacity(roots.count)
        for bytes in roots {
            index[digest(ofEncoded: bytes)] = try Self(encoded: bytes)
        }
        return index
    }

    /// The root a detached leaf names, from `roots`.
    static func resolve(_ digest: [UInt8], in roots: [[UInt8]: Self], for what: @autoclosure () -> String) throws -> Self {
        guard let root = roots[digest] else {
            throw AccordCryptoError(.unknownRoot, "\(what()) names \(Kind.name) \(Data(digest.prefix(8)).accordHex)…, which did not come with it")
        }
        return root
    }
}
