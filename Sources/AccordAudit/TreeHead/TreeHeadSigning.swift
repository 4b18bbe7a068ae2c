import Foundation

/// Signs tree heads for this node's log. The node plugs in its hybrid Ed25519 + ML-DSA-65
/// identity; ``Ed25519TreeHeadSigner`` is a complete implementation for tests and tools.
public protocol TreeHeadSigner: Sendable {
    /// Names the key; recorded in each signed head so verifiers can pick the right key.
    var keyID: String { get }
    /// Signs `message` (the bytes of ``TreeHead/signingInput(keyID:)``).
    func sign(_ message: Data) throws -> Data
}

/// Checks tree-head signatures for one or more parties' logs.
public protocol TreeHeadVerifier: Sendable {
    /// Whether a key named `keyID` is known for `party`'s log.
    func knowsKey(_ keyID: String, of party: String) -> Bool
    /// Whether `signature` over `message` verifies under `party`'s key `keyID`.
    func isValidSignature(_ signature: Data, for message: Data, keyID: String, of party: String) -> Bool
}
