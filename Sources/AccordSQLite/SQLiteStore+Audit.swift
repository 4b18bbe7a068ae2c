import AccordStore
import Foundation
import GRDB

extension SQLiteStore {
    public func auditSize() async throws -> Int64 {
        try await read("reading the audit log") { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM audit_leaves") ?? 0
        }
    }

    public func auditLeaves(in range: Range<Int64>) async throws -> [AuditLeaf] {
        try await read("reading the audit log") { db in
            let rows = try Row.fetchAll(db, SQLRequest<Row>(literal: """
                SELECT idx, entry, leaf_hash FROM audit_leaves WHERE idx >= \(range.lowerBound) AND idx < \(range.upperBound)
                ORDER BY idx
                """))
            var leaves = [AuditLeaf]()
            leaves.reserveCapacity(rows.count)
            for row in rows {
                let index: Int64 = try row.decode(atIndex: 0)
                guard index == range.lowerBound + Int64(leaves.count) else {
                    throw StoreError(.corrupt, "audit log has a gap before leaf \(index)")
                }
                leaves.append(AuditLeaf(index: index, entry: try row.decode(atIndex: 1), leafHash: try row.decode(atIndex: 2)))
            }
            return leaves
        }
    }

    public func auditNodeHashes(_ ids: [AuditNodeID]) async throws -> [Data?] {
        try await read("reading the audit log") { db in try SQLiteAuditReader(db: db).nodeHashes(ids) }
    }

    public func treeHeads() async throws -> [TreeHeadRecord] {
        try await read("reading tree heads") { db in
            try Row.fetchAll(db, sql: "SELECT size, timestamp_ms, bytes FROM tree_heads ORDER BY seq").map(Self.treeHead)
        }
    }

    public func latestTreeHead() async throws -> TreeHeadRecord? {
        try await read("reading tree heads") { db in
            try Row.fetchOne(db, sql: "SELECT size, timestamp_ms, bytes FROM tree_heads ORDER BY seq DESC LIMIT 1").map(Self.treeHead)
        }
    }

    public func peerTreeHeads(of peer: String?) async throws -> [PeerTreeHeadRecord] {
        try await read("reading peer tree heads") { db in
            try Row.fetchAll(db, SQLRequest<Row>(literal: """
                SELECT peer, size, received_ms, envelope_id, bytes, proof FROM peer_tree_heads
                WHERE \(peer) IS NULL OR peer = \(peer) ORDER BY seq
                """)).map(Self.peerTreeHead)
        }
    }

    public func latestPeerTreeHead(of peer: String) async throws -> PeerTreeHeadRecord? {
        try await read("reading peer tree heads") { db in
            try Row.fetchOne(db, SQLRequest<Row>(literal: """
                SELECT peer, size, received_ms, envelope_id, bytes, proof FROM peer_tree_heads
                WHERE peer = \(peer) ORDER BY seq DESC LIMIT 1
                """)).map(Self.peerTreeHead)
        }
    }

    static func treeHead(_ row: Row) throws -> TreeHeadRecord {
        TreeHeadRecord(size: try row.decode(atIndex: 0), timestampMilliseconds: try row.decode(atIndex: 1), bytes: try row.decode(atIndex: 2))
    }

    static func peerTreeHead(_ row: Row) throws -> PeerTreeHeadRecord {
        PeerTreeHeadRecord(
            peer: try row.decode(atIndex: 0), size: try row.decode(atIndex: 1), receivedMilliseconds: try row.decode(atIndex: 2),
            envelopeID: try row.decode(atIndex: 3), bytes: try row.decode(atIndex: 4), proofFromPrevious: try row.decode(atIndex: 5))
    }
}
