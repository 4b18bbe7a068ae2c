import AccordTracking
import ArgumentParser
import Foundation

/// `accord track`: ballistic flights, the radars that see them, and what sharing adds.
struct Track: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a missile flight and score each nation's track with and without sharing.",
        subcommands: [TrackSimulate.self, TrackLaunches.self, TrackSensors.self]
    )
}

struct TrackSimulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Fly a missile from a launch point with a given apogee and range; score every sharing scenario."
    )

    @Option(help: "Launch point as <lat,lon> in degrees.")
    var launch: String
    @Option(help: "Bearing of the impact point from the launch point, degrees from north.")
    var azimuth: Double
    @Option(help: "Apogee, km.")
    var apogee: Double
    @Option(help: "Ground range, km.")
    var range: Double
    @Option(help: "Nations whose picture is compared: one nation, or a sharing pair A,B (a third name is the intermediary).")
    var sensors: String = "KR,JP"
    @Option(help: "The intermediary that relays between the pair when they do not share directly.")
    var via: String = "US"
    @Option(help: "Nation whose picture is scored in the shared scenarios (default: the pair's second).")
    var consumer: String?
    @Option(name: .customLong("relay-delay"), help: "Seconds the relay hop adds.")
    var relayDelay: Double = 30
    @Option(name: .customLong("link-latency"), help: "Seconds a direct link adds.")
    var linkLatency: Double = 1
    @Option(help: "Seed for the radar noise.")
    var seed: UInt64 = 1
    @Option(help: "Monte-Carlo runs (seeds seed, seed+1, ...); more than one adds medians and RMS errors.")
    var runs: Int = 1
    @Option(help: "Report times, seconds after launch, comma-separated (default: a fixed list up to 30 s before impact).")
    var times: String?
    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        _ = try parsedLaunch()
        guard apogee > 0, range > 0, apogee.isFinite, range.isFinite else {
            throw ValidationError("--apogee and --range must be positive numbers of kilometres")
        }
        _ = try reportTimes()
        guard (1...1_000).contains(runs) else { throw ValidationError("--runs must be between 1 and 1000") }
        guard relayDelay >= 0, linkLatency >= 0, relayDelay < 3_600, linkLatency < 3_600 else {
            throw ValidationError("--relay-delay and --link-latency must be between 0 and 3600 s")
        }
        let names = nationList()
        guard (1...3).contains(names.count) else { throw ValidationError("--sensors takes one to three nations") }
        for n in names + [via] where !SensorCatalogue.nations.contains(n) {
            throw ValidationError("no radars for '\(n)': the catalogue has \(SensorCatalogue.nations.joined(separator: ", "))")
        }
        if let consumer, names.count >= 2, !names.prefix(2).contains(consumer) {
            throw ValidationError("--consumer must be one of the sharing pair")
        }
    }

    func parsedLaunch() throws -> GeodeticPoint {
        let parts = launch.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let lat = parts[0], let lon = parts[1], abs(lat) <= 90, abs(lon) <= 180 else {
            throw ValidationError("--launch must be <lat,lon> in degrees, e.g. 39.282,125.869")
        }
        return GeodeticPoint(latitude: lat, longitude: lon)
    }

    func reportTimes() throws -> [Double]? {
        guard let times else { return nil }
        let values = times.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.count <= 100, values.allSatisfy({ $0 != nil && $0! > 0 && $0!.isFinite }) else {
            throw ValidationError("--times must be up to 100 positive numbers of seconds, e.g. 240,300,3000")
        }
        return values.map { $0! }.sorted()
    }

    func nationList() -> [String] {
        sensors.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
    }

    func scenarios() -> [Scenario] {
        let names = nationList()
        if names.count == 1 { return [Scenario(name: "\(names[0]) alone", consumer: names[0], nations: names)] }
        let pair = (names[0], names[1])
        let intermediary = names.count == 3 ? names[2] : via
        return Scenario.standardSet(pair: pair, intermediary: intermediary, consumer: consumer ?? names[1],
                                    allNations: SensorCatalogue.nations, linkLatency: linkLatency,
                                    relayDelay: relayDelay)
    }

    func run() throws {
        let traj = try TrajectorySolver().solve(launch: try parsedLaunch(), azimuth: azimuth, apogee: apogee * 1000,
                                                range: range * 1000)
        let set = scenarios()
        var reports: [SimulationReport] = []
        for k in 0..<UInt64(runs) {
            reports.append(try ScenarioRunner(seed: seed &+ k).run(traj, scenarios: set, reportTimes: try reportTimes()))
        }
        let report = reports[0]
        let summary = runs > 1 ? MonteCarloSummary.summarise(reports) : nil
        if json {
            var out = SimulationJSON(report, azimuth: azimuth, seed: seed, relayDelay: relayDelay, linkLatency: linkLatency)
            out.monte_carlo = summary.map { $0.map { MonteCarloJSON($0) } }
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try enc.encode(out), as: UTF8.self))
        } else {
            print(TrackReportText.render(report, relayDelay: relayDelay))
            if let summary { print(TrackReportText.renderMonteCarlo(summary, report: report)) }
        }
    }
}

struct TrackLaunches: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launches",
        abstract: "Fly every recorded launch again from its apogee and range; compare flight times (markdown table)."
    )

    @Option(help: "Path of launches.csv.")
    var csv: String = "../shared/reference/launches.csv"

    func run() throws {
        guard let data = FileManager.default.contents(atPath: csv), data.count < 10_000_000 else {
            throw ValidationError("cannot read \(csv) (or it is over 10 MB)")
        }
        let records = try LaunchRecord.parse(csv: String(decoding: data, as: UTF8.self))
        print(TrackReportText.launchTable(try LaunchReproduction.reproduce(records)))
    }
}

struct TrackSensors: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sensors", abstract: "List the radar catalogue.")

    func run() {
        print(TrackReportText.sensorTable(SensorCatalogue.all))
    }
}
