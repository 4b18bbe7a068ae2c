import Foundation
import Synchronization

/// An ``AuditStore`` in memory, for tests, tools and benchmarks. Thread-safe; never suspends.
public final class InMemoryAuditStore: AuditStore {
    struct State {
        var entries: [Data] = []
        /// `levels[l][i]` is the hash of perfect subtree `l/i`.
        var levels: [[MerkleHash]] = []
        var frontier = MerkleFrontier()
        var treeHeads: [SignedTreeHead] = []
        var peerTreeHeads: [HeldPeerTreeHead] = []
    }

    private let state = Mutex(State())

    /// An empty store.
    public init() {}

    public func size() async throws -> UInt64 {
        state.withLock { UInt64($0.entries.count) }
    }

    public func append<Result: Sendable>(
        _ prepare: @Sendable (MerkleFrontier) throws -> (AuditAppendBatch, Result)
    ) async throws -> Result {
        try state.withLock { state in
            let (batch, result) = try prepare(state.frontier)
            try Self.check(batch, against: state)
            state.entries.append(contentsOf: batch.entries)
            for node in batch.nodes {
                let level = Int(node.id.level)
                if state.levels.count <= level { state.levels.append([]) }
                state.levels[level].append(node.hash)
            }
            state.frontier = batch.frontier
            return result
        }
    }

    /// Validates a batch completely before anything is written, so a bad batch changes nothing.
    private static func check(_ batch: AuditAppendBatch, against state: State) throws {
        let size = UInt64(state.entries.count)
        guard batch.startIndex == size, batch.frontier.size == size + UInt64(batch.entries.count) else {
            throw AuditError(
                .storeInconsistent,
                "append of \(batch.entries.count) entries at \(batch.startIndex) does not follow a log of \(size)"
            )
        }
        var expected = state.levels.map { UInt64($0.count) }
        for node in batch.nodes {
            let level = Int(node.id.level)
            while expected.count <= level { expected.append(0) }
            guard expected[level] == node.id.index else {
                throw AuditError(.storeInconsistent, "subtree \(node.id) does not follow the stored subtrees")
            }
            expected[level] += 1
        }
    }

    public func entries(in range: Range<UInt64>) async throws -> [Data] {
        state.withLock { state in
            let count = UInt64(state.entries.count)
            let lower = Int(min(range.lowerBound, count))
            let upper = Int(min(range.upperBound, count))
            return Array(state.entries[lower..<upper])
        }
    }

    public func nodeHashes(_ ids: [MerkleNodeID]) async throws -> [MerkleHash?] {
        state.withLock { state in
            ids.map { id in
                let level = Int(id.level)
                guard level < state.levels.count, id.index < UInt64(state.levels[level].count) else { return nil }
                return state.levels[level][Int(id.index)]
            }
        }
    }

    public func appendTreeHead(_ head: SignedTreeHead) async throws {
        state.withLock { $0.treeHeads.append(head) }
    }

    public func treeHeads() async throws -> [SignedTreeHead] {
        state.withLock { $0.treeHeads }
    }

    public func latestTreeHead() async throws -> SignedTreeHead? {
        state.withLock { $0.treeHeads.last }
    }

    public func appendPeerTreeHead(_ head: HeldPeerTreeHead) async throws {
        state.withLock { $0.peerTreeHeads.append(head) }
    }

    public func peerTreeHeads(of party: String?) async throws -> [HeldPeerTreeHead] {
        state.withLock { state in
            guard let party else { return state.peerTreeHeads }
            return state.peerTreeHeads.filter { $0.head.head.log == party }
        }
    }

    public func latestPeerTreeHead(of party: String) async throws -> HeldPeerTreeHead? {
        state.withLock { $0.peerTreeHeads.last { $0.head.head.log == party } }
    }

    /// Changes the stored state directly, as an insider with database access could; for tests
    /// of tamper detection only.
    func tamper(_ body: (inout State) -> Void) {
        state.withLock { body(&$0) }
    }
}
