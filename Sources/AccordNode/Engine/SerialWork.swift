import Synchronization

/// Runs async work one piece at a time, in the order it was queued (an actor would interleave its methods
/// at every `await`). Each piece runs in an unstructured task: a caller's cancellation does not stop it.
final class SerialWork: Sendable {
    private let last = Mutex<Task<Void, Never>?>(nil)

    /// Queues `body` after everything queued before it; returns its task at once.
    func enqueue<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> Task<T, any Error> {
        last.withLock { last in
            let previous = last
            let task = Task {
                await previous?.value
                return try await body()
            }
            last = Task { _ = await task.result }
            return task
        }
    }

    /// Queues `body` and waits for it.
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await enqueue(body).value
    }
}
