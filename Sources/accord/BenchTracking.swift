import AccordTracking
import ArgumentParser
import Foundation

/// `accord bench tracking`: time per filter update, per full-flight batch fit and per impact prediction.
struct BenchTracking: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracking",
        abstract: "Time the tracking estimators on a Hwasong-15-like lofted flight (markdown output)."
    )

    @Option(help: "Repetitions of each measurement.")
    var repeats: Int = 5

    func run() throws {
        let launch = GeodeticPoint(latitude: 39.282, longitude: 125.869)
        let traj = try TrajectorySolver().solve(launch: launch, azimuth: 80, apogee: 4_475_000, range: 950_000)
        let radars = SensorCatalogue.all.filter { ["KR-KDX3", "JP-DDG"].contains($0.id) }
        let network = RadarNetwork(radars)
        let epoch = traj.burnoutTime + 5
        let reports = MeasurementSimulator(seed: 1).measurements(of: traj, by: radars).filter { $0.time >= epoch }
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double {
            Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

        // Filter: initiate on the first reports, then time every later update (predict to the report + update).
        var used = 6
        var initial: BallisticEstimate?
        while initial == nil && used < reports.count {
            initial = TrackInitiator().initiate(Array(reports.prefix(used)), network: network)
            used += 1
        }
        guard let start = initial else { throw ValidationError("track initiation failed") }
        let rest = reports.dropFirst(used).filter { $0.time > start.epoch }
        var perUpdate: [Double] = []
        for _ in 0..<repeats {
            var ekf = ExtendedKalmanFilter(initial: start)
            let d = clock.measure { for m in rest { ekf.update(m, network: network) } }
            perUpdate.append(seconds(d) / Double(rest.count))
        }

        // Batch: Gauss–Newton over every free-flight report of both radars, from a perturbed start.
        let truth = traj.state(at: epoch)
        let guess = StateVector(position: truth.position + Vector3(2_000, -1_000, 1_500),
                                velocity: truth.velocity + Vector3(20, 10, -15))
        var batch: [Double] = []
        var iterations = 0
        for _ in 0..<repeats {
            var fit: BatchLeastSquares.Result?
            let d = clock.measure { fit = try? BatchLeastSquares().fit(reports, network: network, initial: guess, epoch: epoch) }
            iterations = fit?.iterations ?? -1
            batch.append(seconds(d))
        }

        // The same fit over every radar of the catalogue (the centralised "all three" picture at impact).
        let everyone = RadarNetwork(SensorCatalogue.all)
        let allReports = MeasurementSimulator(seed: 1).measurements(of: traj, by: SensorCatalogue.all)
            .filter { $0.time >= epoch }
        var batchAll: [Double] = []
        for _ in 0..<repeats {
            let d = clock.measure { _ = try? BatchLeastSquares().fit(allReports, network: everyone, initial: guess, epoch: epoch) }
            batchAll.append(seconds(d))
        }

        // Impact prediction with covariance from the start of free flight.
        let estimate = BallisticEstimate(epoch: epoch, state: truth, covariance: .identity(6))
        var predict: [Double] = []
        for _ in 0..<repeats {
            let d = clock.measure { _ = ImpactPredictor().predict(estimate) }
            predict.append(seconds(d))
        }

        // The whole scenario set (8 scenarios, 12 radars) for this flight.
        let scenarios = Scenario.standardSet(pair: ("KR", "JP"), intermediary: "US", consumer: "JP",
                                             allNations: SensorCatalogue.nations, linkLatency: 1, relayDelay: 30)
        var suite: [Double] = []
        for _ in 0..<max(1, repeats / 2) {
            let d = clock.measure { _ = try? ScenarioRunner(seed: 1).run(traj, scenarios: scenarios) }
            suite.append(seconds(d))
        }

        print("| measurement | median | target |")
        print("|---|---|---|")
        print(String(format: "| EKF update (predict to the report + update, 6 states, 3 measurements), %d updates | %.2f µs | < 20 µs |",
                     rest.count, median(perUpdate) * 1e6))
        print(String(format: "| batch fit, full flight, 2 radars (%@), %d reports, %d Gauss–Newton iterations | %.1f ms | < 50 ms |",
                     radars.map(\.id).joined(separator: " + "), reports.count, iterations, median(batch) * 1e3))
        print(String(format: "| batch fit, full flight, all %d radars, %d reports | %.1f ms | |",
                     SensorCatalogue.all.count, allReports.count, median(batchAll) * 1e3))
        print(String(format: "| impact prediction with covariance, from burnout (%.0f s of flight) | %.2f ms | |",
                     traj.impactTime - epoch, median(predict) * 1e3))
        print(String(format: "| `accord track simulate` scenario set (8 scenarios, %d radars) | %.2f s | |",
                     SensorCatalogue.all.count, median(suite)))
    }
}
