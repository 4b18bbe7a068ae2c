import AccordAudit
import AccordStore
import Foundation

/// The audit log's storage over a node's store: entries, subtree hashes and tree heads live in the
/// node's database, and appends go through the store's one-transaction step (`docs/store.md`).
public struct NodeStoreAuditStore: AuditStore {
    let store: any NodeStore

    public init(store: any NodeStore) {
        self.store = store
    }

    public func size() async throws -> UInt64 { UInt64(try await store.auditSize()) }

    public func append<Result: Sendable>(
        _ prepare: @Sendable (MerkleFrontier) throws -> (AuditAppendBatch, Result)
    ) async throws -> Result {
        try await store.commit(StepWrite()) { context in
            let frontier = try MerkleFrontier(size: UInt64(context.size), roots: context.frontier.map { try MerkleHash(bytes: $0) })
            let (batch, result) = try prepare(frontier)
            return (AuditBridge.convert(batch), result)
        }.result
    }

    public func entries(in range: Range<UInt64>) async throws -> [Data] {
        try await store.auditLeaves(in: Int64(range.lowerBound)..<Int64(range.upperBound)).map(\.entry)
    }

    public func nodeHashes(_ ids: [MerkleNodeID]) async throws -> [MerkleHash?] {
        try await store.auditNodeHashes(ids.map { AuditNodeID(level: Int($0.level), index: Int64($0.index)) })
            .map { try $0.map { try MerkleHash(bytes: $0) } }
    }

    public func appendTreeHead(_ head: SignedTreeHead) async throws {
        try await store.commit(StepWrite(treeHeads: [
            TreeHeadRecord(size: Int64(head.head.treeSize), timestampMilliseconds: Int64(head.head.timestamp.millisecondsSince1970),
                           bytes: try head.encoded()),
        ]))
    }

    public func treeHeads() async throws -> [SignedTreeHead] {
        try await store.treeHeads().map { try SignedTreeHead(decoding: $0.bytes) }
    }

    public func latestTreeHead() async throws -> SignedTreeHead? {
        try await store.latestTreeHead().map { try SignedTreeHead(decoding: $0.bytes) }
    }

    public func appendPeerTreeHead(_ held: HeldPeerTreeHead) async throws {
        try await store.commit(StepWrite(peerTreeHeads: [
            PeerTreeHeadRecord(peer: held.party, size: Int64(held.head.head.treeSize),
                               receivedMilliseconds: Int64(held.receivedAt.millisecondsSince1970), envelopeID: held.envelopeID,
                               bytes: try held.head.encoded(), proofFromPrevious: try held.proofFromPrevious?.encoded()),
        ]))
    }

    public func peerTreeHeads(of party: String?) async throws -> [HeldPeerTreeHead] {
        try await store.peerTreeHeads(of: party).map(Self.held)
    }

    public func latestPeerTreeHead(of party: String) async throws -> HeldPeerTreeHead? {
        try await store.latestPeerTreeHead(of: party).map(Self.held)
    }

    static func held(_ record: PeerTreeHeadRecord) throws -> HeldPeerTreeHead {
        HeldPeerTreeHead(
            head: try SignedTreeHead(decoding: record.bytes), receivedAt: AuditTimestamp(millisecondsSince1970: UInt64(max(0, record.receivedMilliseconds))),
            envelopeID: record.envelopeID, proofFromPrevious: try record.proofFromPrevious.map { try ConsistencyProof(decoding: $0) })
    }
}
