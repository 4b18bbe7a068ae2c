import AccordAudit
import AccordCrypto
import Foundation

/// Signs this node's tree heads with its hybrid Ed25519 + ML-DSA-65 key (context `tree-head`).
public struct HybridTreeHeadSigner: TreeHeadSigner {
    static let context = "tree-head"
    let identity: NodeIdentity

    public init(identity: NodeIdentity) {
        self.identity = identity
    }

    public var keyID: String { identity.keyID.description }

    public func sign(_ message: Data) throws -> Data {
        Data(try identity.signingKey.sign(context: Self.context, body: Array(message)).bytes)
    }
}

/// Verifies tree heads against the parties' key bundles (the node's own and its pinned peers').
public struct HybridTreeHeadVerifier: TreeHeadVerifier {
    let bundles: [PartyKeyBundle]

    public init(bundles: [PartyKeyBundle]) {
        self.bundles = bundles
    }

    public func knowsKey(_ keyID: String, of party: String) -> Bool {
        bundles.contains { $0.party == party && $0.keyID.description == keyID }
    }

    public func isValidSignature(_ signature: Data, for message: Data, keyID: String, of party: String) -> Bool {
        guard let bundle = bundles.first(where: { $0.party == party && $0.keyID.description == keyID }),
              let hybrid = try? HybridSignature(bytes: signature) else { return false }
        return (try? bundle.signingKey.verify(hybrid, context: HybridTreeHeadSigner.context, body: Array(message))) != nil
    }
}
