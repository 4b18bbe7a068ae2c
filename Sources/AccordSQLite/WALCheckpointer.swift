import Foundation
import GRDB
import Synchronization

/// Copies committed pages from the write-ahead log into the database file on a connection and thread of its own,
/// so that no commit waits for a checkpoint.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold (1,000 pages by default): under
/// load a step now and then pays for copying the pages of the steps before it, and pages that many steps touch (the
/// B-trees' upper levels, the audit tree's nodes, outbox rows marked delivered) are copied again at each checkpoint.
/// This runs a passive checkpoint (it never blocks the writer or readers) every `interval`, and the store raises the
/// automatic threshold to ``safetyPages``, which then acts only if this falls behind. A log that has grown past that
/// (readers overlapping for long keep a passive checkpoint from finishing) gets a restarting checkpoint instead, which
/// waits for the readers; the writer's `journal_size_limit` then cuts the file back.
final class WALCheckpointer: Sendable {
    /// The automatic checkpoint's threshold while a checkpointer runs: 16,384 pages (64 MiB of 4 KiB pages).
    static let safetyPages = 16_384

    /// How often: measured with `accord bench node --load-rate 2000`, a quarter of a second took the latency under load
    /// from p50 75 to 48 ms (`docs/benchmarks.md`).
    static let interval = Duration.milliseconds(250)

    private let task: Task<Void, Never>
    private let connection: DatabaseQueue
    /// The latest checkpoint's outcome: the log's frames, and how many of them are in the database file.
    var latest: (walFrames: Int, checkpointed: Int)? { outcome.value.withLock { $0 } }
    private let outcome = Outcome()

    private final class Outcome: Sendable {
        let value = Mutex<(walFrames: Int, checkpointed: Int)?>(nil)
    }

    /// Starts checkpointing the database at `path` (already in WAL mode) every `interval`.
    init(path: String, interval: Duration) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // A checkpoint syncs the database file with the setting of the connection that runs it (and this connection may
        // be the last to close, running the final one): never below the writer's.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        self.connection = connection
        let outcome = self.outcome
        task = Task.detached(priority: .utility) {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                // Failures are left to the next turn (and to the automatic checkpoint): a checkpoint only moves pages
                // already durable in the log.
                // A passive checkpoint stops at the oldest reader's snapshot; if readers overlap for long the log only grows.
                // Past the safety threshold, a restarting checkpoint waits (up to the busy timeout) for the readers, so the
                // writer starts the log over.
                let large = (outcome.value.withLock { $0?.walFrames } ?? 0) >= Self.safetyPages
                if let done = try? await connection.writeWithoutTransaction({ db in try db.checkpoint(large ? .restart : .passive) }) {
                    outcome.value.withLock { $0 = (done.walFrameCount, done.checkpointedFrameCount) }
                }
            }
        }
    }

    /// Stops, and closes the connection at once (after a checkpoint under way), so that it never outlives the store.
    deinit {
        task.cancel()
        try? connection.close()
    }
}
