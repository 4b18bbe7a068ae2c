import AccordCore
import AccordNode
import ArgumentParser
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a node: federation listener (mutual TLS), analyst API, outbox delivery.",
        discussion: "Stops cleanly on SIGINT or SIGTERM. Logs go to standard error."
    )

    @Option(help: "The node's configuration file (node.json from `accord init`).") var config: String
    @Option(help: "Run on a simulated clock starting at this instant (POST /api/v1/clock moves it); for replays and tests.")
    var simulatedClock: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"

    func run() async throws {
        let configuration: NodeConfiguration
        do { configuration = try NodeConfiguration.load(from: URL(fileURLWithPath: config)) } catch { throw InputError("\(error)") }
        let start = try simulatedClock.map { try parseInstant($0, option: "--simulated-clock") }
        guard let level = Logger.Level(rawValue: logLevel) else { throw InputError("--log-level '\(logLevel)' is not a log level") }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "accord.\(configuration.party.rawValue.lowercased())")
        logger.logLevel = level
        try await NodeRuntime.run(configuration: configuration, simulatedStart: start, logger: logger)
    }
}
