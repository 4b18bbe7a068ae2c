import Foundation

/// Where an audit log keeps its entries, subtree hashes and tree heads.
///
/// The protocol is `async` because the PostgreSQL backend is; the in-memory and SQLite
/// backends simply never suspend. Appends are atomic: the store hands its current
/// ``MerkleFrontier`` to a pure `prepare` function inside its write lock or transaction and
/// writes back exactly the batch it returns, so concurrent writers (even several replicas
/// sharing one database) can neither interleave nor fork the tree. Proofs read at most about
/// `2·log₂ n` stored subtree hashes in one ``nodeHashes(_:)`` call.
public protocol AuditStore: Sendable {
    /// The number of entries stored.
    func size() async throws -> UInt64

    /// Atomically calls `prepare` once with the current frontier and writes the batch it
    /// returns (entries and completed subtree hashes), returning `prepare`'s result. If
    /// `prepare` throws, nothing is written.
    /// - Throws: ``AuditError/Code/storeInconsistent`` if the batch does not start at the
    ///   current size or its nodes do not follow on from what is stored.
    func append<Result: Sendable>(
        _ prepare: @Sendable (MerkleFrontier) throws -> (AuditAppendBatch, Result)
    ) async throws -> Result

    /// The encoded entries at positions `range`, in order; fewer if the store holds fewer.
    func entries(in range: Range<UInt64>) async throws -> [Data]

    /// The stored hashes of the named perfect subtrees, in the same order; `nil` for any that
    /// is not stored.
    func nodeHashes(_ ids: [MerkleNodeID]) async throws -> [MerkleHash?]

    /// Keeps a tree head this node signed.
    func appendTreeHead(_ head: SignedTreeHead) async throws
    /// Every tree head this node signed, in the order they were stored.
    func treeHeads() async throws -> [SignedTreeHead]
    /// The most recently stored own tree head.
    func latestTreeHead() async throws -> SignedTreeHead?

    /// Keeps a peer's tree head as received.
    func appendPeerTreeHead(_ head: HeldPeerTreeHead) async throws
    /// Peer tree heads held, in the order they were stored; all parties when `party` is nil.
    func peerTreeHeads(of party: String?) async throws -> [HeldPeerTreeHead]
    /// The most recently stored head of `party`.
    func latestPeerTreeHead(of party: String) async throws -> HeldPeerTreeHead?
}
