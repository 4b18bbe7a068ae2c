import Hummingbird
import Logging
import ServiceLifecycle

/// Runs listeners for a bench and stops them gracefully when `body` returns or throws: cancelling
/// them instead would have Hummingbird log each cancelled connection as an error at the end of a
/// run that went well.
func withRunningServices(_ services: [any Service], _ body: () async throws -> Void) async throws {
    let group = ServiceGroup(configuration: .init(
        services: services.map { .init(service: $0) }, gracefulShutdownSignals: [], logger: Logger(label: "accord-bench")))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do { try await body() } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}
