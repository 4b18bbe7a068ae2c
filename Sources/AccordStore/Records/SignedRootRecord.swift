import Foundation

/// A signed Merkle root (of an envelope batch or a receipt batch) kept once, by the digest that detached
/// envelopes and receipts name it by (SHA-256 of `bytes`; computed by the crypto layer, not checked here).
public struct SignedRootRecord: Sendable, Equatable, Hashable {
    /// SHA-256 of ``bytes``: 32 bytes.
    public let digest: Data
    /// The root's canonical bytes, signature included.
    public let bytes: Data

    public init(digest: Data, bytes: Data) {
        self.digest = digest
        self.bytes = bytes
    }
}
