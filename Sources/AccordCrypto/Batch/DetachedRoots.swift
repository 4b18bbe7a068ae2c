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

/// The signed roots that came beside detached envelopes, indexed by digest: the batch roots (a transmission's
/// `roots`: the sender's, and in version-3 envelopes the originators'), and the consent roots that version-3
/// envelopes' relay attachments name (its `consent roots`).
public struct DetachedRoots: Sendable {
    public var batch: [[UInt8]: SignedBatchRoot]
    public var consent: [[UInt8]: ConsentRoot]

    public init(batch: [[UInt8]: SignedBatchRoot] = [:], consent: [[UInt8]: ConsentRoot] = [:]) {
        self.batch = batch
        self.consent = consent
    }

    /// Parses both lists whole (``SignedMerkleRoot/index(encoded:)``).
    public init(encodedBatch batch: [[UInt8]], encodedConsent consent: [[UInt8]]) throws {
        self.init(batch: try SignedBatchRoot.index(encoded: batch), consent: try ConsentRoot.index(encoded: consent))
    }
}
