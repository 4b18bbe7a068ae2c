import Synchronization

/// Runs jobs one batch at a time, combining the jobs that arrive while a batch runs into the next one
/// (a group commit). A caller that finds nothing running runs its own job at once, so a lone caller
/// waits for nothing; under load, each batch takes every job that queued meanwhile, and the cost per
/// batch is paid once for all of them.
///
/// The release pipeline uses it so that concurrent release calls share one hybrid signature, one
/// consent signature and one store transaction (``NodeEngine/release(_:by:)``).
///
/// A batch of several jobs that fails is run again one job at a time, so each caller gets its own
/// outcome: one call's bad input never fails another's. A batch runs in a task of its own, so a caller
/// that is cancelled while leading one does not fail the others.
final class CombinedWork<Job: Sendable>: Sendable {
    private enum Turn: Sendable {
        /// Run a batch: the caller's own job first, then those waiting.
        case lead
        /// Another caller ran this job in its batch.
        case done(Result<Void, any Error>)
    }

    private struct Waiter: Sendable {
        let job: Job
        let weight: Int
        let turn: CheckedContinuation<Turn, Never>
    }

    private struct State: Sendable {
        var running = false
        var waiting: [Waiter] = []
        var totals = Totals()
    }

    /// Jobs submitted and batches run since this was made (a failed batch run again job by job counts once).
    struct Totals: Sendable, Equatable {
        var jobs = 0
        var batches = 0
    }

    private let state = Mutex(State())
    /// At most this much weight in one batch, unless one job alone weighs more (it then runs alone).
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Jobs waiting for a batch now.
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Jobs and batches so far: how much combining saved.
    var totals: Totals { state.withLock { $0.totals } }

    /// Runs `job` (of `weight`, counted against the limit) in a batch, alone or with others queued at the same
    /// time, through `run`; returns when its batch has run, rethrowing its own error.
    ///
    /// `run` must be all or nothing for a batch: it either completes every job given or none.
    func submit(_ job: Job, weight: Int, run: @escaping @Sendable ([Job]) async throws -> Void) async throws {
        let turn: Turn = await withCheckedContinuation { continuation in
            let leads = state.withLock { state in
                if state.running {
                    state.waiting.append(Waiter(job: job, weight: weight, turn: continuation))
                    return false
                }
                state.running = true
                return true
            }
            if leads { continuation.resume(returning: .lead) }
        }
        if case .done(let result) = turn { return try result.get() }
        let joining = state.withLock { state in
            var total = weight
            var taken = 0
            for waiter in state.waiting {
                guard total + waiter.weight <= limit else { break }
                total += waiter.weight
                taken += 1
            }
            defer {
                state.waiting.removeFirst(taken)
                state.totals.jobs += 1 + taken
                state.totals.batches += 1
            }
            return Array(state.waiting.prefix(taken))
        }
        // In a task of its own: cancelling the caller that happens to lead must not fail the others' jobs.
        let jobs = [job] + joining.map(\.job)
        let results = await Task { await Self.runBatch(jobs, run: run) }.value
        for (waiter, result) in zip(joining, results.dropFirst()) { waiter.turn.resume(returning: .done(result)) }
        // The next caller in line leads the next batch (in its own task); or nothing runs any more.
        let next = state.withLock { state -> Waiter? in
            guard !state.waiting.isEmpty else {
                state.running = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.turn.resume(returning: .lead)
        try results[0].get()
    }

    /// Runs the jobs as one batch; if that fails and there are several, each alone.
    private static func runBatch(_ jobs: [Job], run: @Sendable ([Job]) async throws -> Void) async -> [Result<Void, any Error>] {
        do {
            try await run(jobs)
            return Array(repeating: .success(()), count: jobs.count)
        } catch {
            guard jobs.count > 1 else { return [.failure(error)] }
        }
        var results: [Result<Void, any Error>] = []
        for job in jobs {
            do {
                try await run([job])
                results.append(.success(()))
            } catch {
                results.append(.failure(error))
            }
        }
        return results
    }
}
