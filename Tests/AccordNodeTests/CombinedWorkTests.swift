import Synchronization
import Testing
@testable import AccordNode

@Suite("Combined work: jobs that queue while batches run go together in the next batch")
struct CombinedWorkTests {
    struct Failure: Error, Equatable {
        let job: Int
    }

    /// Records each batch run, and holds a batch holding a job of `held` until that job is let go.
    final class Runner: Sendable {
        let batches = Mutex<[[Int]]>([])
        let running = Mutex(0)
        let mostAtOnce = Mutex(0)
        let held: Set<Int>
        let failing: Set<Int>
        private let released = Mutex<Set<Int>>([])

        init(held: Set<Int> = [], failing: Set<Int> = []) {
            self.held = held
            self.failing = failing
        }

        func letGo(_ jobs: Set<Int>? = nil) { released.withLock { $0.formUnion(jobs ?? held) } }

        func run(_ jobs: [Int]) async throws {
            batches.withLock { $0.append(jobs) }
            let now = running.withLock { running in
                running += 1
                return running
            }
            mostAtOnce.withLock { $0 = max($0, now) }
            defer { running.withLock { $0 -= 1 } }
            let holding = held.intersection(jobs)
            while !holding.isSubset(of: released.withLock({ $0 })) { try await Task.sleep(for: .milliseconds(1)) }
            try Task.checkCancellation()  // as a store does
            // All or nothing: a batch holding a failing job completes none of its jobs.
            if let bad = jobs.first(where: failing.contains) { throw Failure(job: bad) }
        }
    }

    static func until(_ condition: () -> Bool) async throws {
        for _ in 0..<5_000 where !condition() { try await Task.sleep(for: .milliseconds(1)) }
        #expect(condition())
    }

    @Test("a lone job runs at once, alone")
    func alone() async throws {
        let work = CombinedWork<Int>(limit: 10)
        let runner = Runner()
        try await work.submit(7, weight: 1, run: runner.run)
        try await work.submit(8, weight: 1, run: runner.run)
        #expect(runner.batches.withLock { $0 } == [[7], [8]])
        #expect(work.waitingCount == 0)
    }

    @Test("jobs submitted while a batch runs wait, then run together in one batch, oldest first; batches never overlap")
    func combines() async throws {
        let work = CombinedWork<Int>(limit: 10)
        let runner = Runner(held: [0])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await work.submit(0, weight: 1, run: runner.run) }
            try await Self.until { runner.batches.withLock { $0.count } == 1 }
            for job in 1...5 {
                group.addTask { try await work.submit(job, weight: 1, run: runner.run) }
                try await Self.until { work.waitingCount == job }
            }
            runner.letGo()
            try await group.waitForAll()
        }
        #expect(runner.batches.withLock { $0 } == [[0], [1, 2, 3, 4, 5]])
        #expect(runner.mostAtOnce.withLock { $0 } == 1, "one batch at a time")
        #expect(work.totals == .init(jobs: 6, batches: 2))
        #expect(work.waitingCount == 0)
    }

    @Test("a batch takes waiting jobs up to the weight limit; the rest go in the batch after; one job heavier than the limit runs alone")
    func limit() async throws {
        let work = CombinedWork<Int>(limit: 5)
        let runner = Runner(held: [0])
        let weights = [0: 1, 1: 2, 2: 2, 3: 2, 4: 9, 5: 1]
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await work.submit(0, weight: 1, run: runner.run) }
            try await Self.until { runner.batches.withLock { $0.count } == 1 }
            for job in 1...5 {
                group.addTask { try await work.submit(job, weight: weights[job]!, run: runner.run) }
                try await Self.until { work.waitingCount == job }
            }
            runner.letGo()
            try await group.waitForAll()
        }
        // 1 + 2 fit in 5 (3 would make 6); 3 then leads, and 9 does not fit beside it; 9 leads alone, then 5.
        #expect(runner.batches.withLock { $0 } == [[0], [1, 2], [3], [4], [5]])
    }

    @Test("a combined batch that fails runs again one job at a time: only the failing job's caller gets the error")
    func failureStaysWithItsJob() async throws {
        let work = CombinedWork<Int>(limit: 10)
        let runner = Runner(held: [0], failing: [2])
        final class Outcomes: Sendable { let map = Mutex<[Int: Result<Void, Failure>]>([:]) }
        let outcomes = Outcomes()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await work.submit(0, weight: 1, run: runner.run) }
            try await Self.until { runner.batches.withLock { $0.count } == 1 }
            for job in 1...3 {
                group.addTask {
                    do {
                        try await work.submit(job, weight: 1, run: runner.run)
                        outcomes.map.withLock { $0[job] = .success(()) }
                    } catch let failure as Failure {
                        outcomes.map.withLock { $0[job] = .failure(failure) }
                    }
                }
                try await Self.until { work.waitingCount == job }
            }
            runner.letGo()
            try await group.waitForAll()
        }
        #expect(runner.batches.withLock { $0 } == [[0], [1, 2, 3], [1], [2], [3]])
        let results = outcomes.map.withLock { $0 }
        #expect((try? results[1]?.get()) != nil)
        #expect((try? results[3]?.get()) != nil)
        #expect(throws: Failure(job: 2)) { try results[2]?.get() }
        // A lone job's error comes back as it is, without a second run.
        await #expect(throws: Failure(job: 2)) { try await work.submit(2, weight: 1, run: runner.run) }
        #expect(runner.batches.withLock { $0.suffix(1) } == [[2]])
    }

    @Test("a caller cancelled while it waits still has its job run, and leading the next batch it does not fail the others")
    func cancelledLeader() async throws {
        let work = CombinedWork<Int>(limit: 10)
        let runner = Runner(held: [0])
        let first = Task { try await work.submit(0, weight: 1, run: runner.run) }
        try await Self.until { runner.batches.withLock { $0.count } == 1 }
        let leader = Task { try await work.submit(1, weight: 1, run: runner.run) }
        try await Self.until { work.waitingCount == 1 }
        let other = Task { try await work.submit(2, weight: 1, run: runner.run) }
        try await Self.until { work.waitingCount == 2 }
        leader.cancel()
        runner.letGo()
        try await first.value
        try await leader.value
        try await other.value
        #expect(runner.batches.withLock { $0 } == [[0], [1, 2]])
    }
}
