import ArgumentParser
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// Runs listeners for a bench and stops them gracefully when `body` returns or throws: cancelling
/// them instead would have Hummingbird log each cancelled connection as an error at the end of a
/// run that went well. Listeners that stop before `body` is done (one could not bind) end the bench
/// with an error rather than leaving `body` waiting for a port that never comes.
func withRunningServices(_ services: [any Service], _ body: @escaping @Sendable () async throws -> Void) async throws {
    var configuration = ServiceGroupConfiguration(
        services: services.map { .init(service: $0) }, gracefulShutdownSignals: [], logger: Logger(label: "accord-bench"))
    configuration.maximumGracefulShutdownDuration = .seconds(10)
    let group = ServiceGroup(configuration: configuration)
    let done = BenchFlag()
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            try await group.run()
            guard done.value.withLock({ $0 }) else { throw ValidationError("the bench's listeners stopped before the bench was done") }
        }
        tasks.addTask {
            do { try await body() } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            done.value.withLock { $0 = true }
            await group.triggerGracefulShutdown()
        }
        // The first error (the body's, or listeners that stopped early) cancels the other task.
        for try await _ in tasks {}
    }
}

/// A flag shared between a bench's tasks.
final class BenchFlag: Sendable {
    let value = Mutex(false)
}
