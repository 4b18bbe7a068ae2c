import AccordStore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func auditSize() async throws -> Int64 {
        try await rows("reading the audit log", "SELECT size FROM audit_head WHERE id = 1") { try $0[0].decode(Int64.self) }.first ?? 0
    }

    public func auditLeaves(in range: Range<Int64>) async throws -> [AuditLeaf] {
        let rows = try await rows("reading the audit log", """
            SELECT idx, entry, leaf_hash FROM audit_leaves WHERE idx >= \(range.lowerBound) AND idx < \(range.upperBound)
            ORDER BY idx
            """) { row in
            AuditLeaf(index: try row[0].decode(Int64.self), entry: try row[1].decode(Data.self), leafHash: try row[2].decode(Data.self))
        }
        for (offset, leaf) in rows.enumerated() where leaf.index != range.lowerBound + Int64(offset) {
            throw StoreError(.corrupt, "audit log has a gap before leaf \(leaf.index)")
        }
        return rows
    }

    public func auditNodeHashes(_ ids: [AuditNodeID]) async throws -> [Data?] {
        try await read("reading the audit log") { connection in
            try await PostgresAuditReader(connection: connection, logger: logger).nodeHashes(ids)
        }
    }

    public func treeHeads() async throws -> [TreeHeadRecord] {
        try await rows("reading tree heads", "SELECT size, timestamp_ms, bytes FROM tree_heads ORDER BY seq", Self.treeHead)
    }

    public func latestTreeHead() async throws -> TreeHeadRecord? {
        try await rows("reading tree heads", "SELECT size, timestamp_ms, bytes FROM tree_heads ORDER BY seq DESC LIMIT 1", Self.treeHead)
            .first
    }

    public func peerTreeHeads(of peer: String?) async throws -> [PeerTreeHeadRecord] {
        try await rows("reading peer tree heads", """
            SELECT peer, size, received_ms, envelope_id, bytes, proof FROM peer_tree_heads
            WHERE \(peer)::text IS NULL OR peer = \(peer) ORDER BY seq
            """, Self.peerTreeHead)
    }

    public func latestPeerTreeHead(of peer: String) async throws -> PeerTreeHeadRecord? {
        try await rows("reading peer tree heads", """
            SELECT peer, size, received_ms, envelope_id, bytes, proof FROM peer_tree_heads
            WHERE peer = \(peer) ORDER BY seq DESC LIMIT 1
            """, Self.peerTreeHead).first
    }

    static func treeHead(_ row: PostgresRandomAccessRow) throws -> TreeHeadRecord {
        TreeHeadRecord(
            size: try row[0].decode(Int64.self), timestampMilliseconds: try row[1].decode(Int64.self), bytes: try row[2].decode(Data.self))
    }

    static func peerTreeHead(_ row: PostgresRandomAccessRow) throws -> PeerTreeHeadRecord {
        PeerTreeHeadRecord(
            peer: try row[0].decode(String.self), size: try row[1].decode(Int64.self), receivedMilliseconds: try row[2].decode(Int64.self),
            envelopeID: try row[3].decode(String?.self), bytes: try row[4].decode(Data.self), proofFromPrevious: try row[5].decode(Data?.self))
    }
}
