import Foundation
import Testing
@testable import AccordTracking

/// Monte-Carlo checks of the estimators on a short-range flight (kept small for debug builds).
@Suite struct EstimationTests {
    static let srbm = try! TrajectorySolver().solve(launch: FlightModelTests.pyongsong, azimuth: 90, apogee: 50_000,
                                                     range: 400_000)
    static func radars(_ ids: [String]) -> [Radar] { SensorCatalogue.all.filter { ids.contains($0.id) } }

    /// Chi-square quantile (Wilson–Hilferty), accurate to well under 1 % for the degrees of freedom used here.
    static func chiSquareQuantile(_ p: Double, dof k: Double) -> Double {
        // Standard normal quantile by bisection on erfc.
        var lo = -10.0, hi = 10.0
        for _ in 0..<100 {
            let mid = 0.5 * (lo + hi)
            if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { lo = mid } else { hi = mid }
        }
        let z = 0.5 * (lo + hi)
        let a = 2 / (9 * k)
        return k * pow(1 - a + z * a.squareRoot(), 3)
    }

    /// Runs the track initiator and the EKF over one seeded set of reports and returns the NEES at each time in
    /// `checkTimes` and the final estimate.
    static func filterRun(seed: UInt64, radars: [Radar], checkTimes: [Double]) -> (nees: [Double], final: BallisticEstimate)? {
        let network = RadarNetwork(radars)
        let reports = MeasurementSimulator(seed: seed).measurements(of: srbm, by: radars)
            .filter { $0.time >= srbm.burnoutTime + 5 }
        var tracker = ScenarioRunner.Tracker()
        var nees: [Double] = []
        var pending = checkTimes[...]
        for m in reports {
            if let t = pending.first, m.time > t, let f = tracker.filter {
                var e = f
                e.predict(to: t)
                nees.append(e.estimate.nees(truth: srbm.state(at: t))!)
                pending = pending.dropFirst()
            }
            tracker.ingest(m, TrackInitiator(), network)
        }
        guard let f = tracker.filter, nees.count == checkTimes.count else { return nil }
        return (nees, f.estimate)
    }

    /// The EKF's NEES averaged over Monte-Carlo runs lies inside the two-sided 99 % chi-square interval.
    @Test func filterIsConsistent() {
        let runs = 40
        let checkTimes = [100.0, 150, 200, 235]
        let radars = Self.radars(["KR-GP-C", "KR-KDX3"])
        var sums = [Double](repeating: 0, count: checkTimes.count)
        for seed in 1...runs {
            guard let r = Self.filterRun(seed: UInt64(seed), radars: radars, checkTimes: checkTimes) else {
                Issue.record("run \(seed) did not start a track")
                return
            }
            for i in 0..<checkTimes.count { sums[i] += r.nees[i] }
        }
        let dof = 6.0 * Double(runs)
        let lo = Self.chiSquareQuantile(0.005, dof: dof) / Double(runs)
        let hi = Self.chiSquareQuantile(0.995, dof: dof) / Double(runs)
        for (i, t) in checkTimes.enumerated() {
            let mean = sums[i] / Double(runs)
            #expect(mean > lo && mean < hi, "t = \(t) s: mean NEES \(mean) outside [\(lo), \(hi)]")
        }
    }

    /// On a long, well-observed track the batch estimate's impact error matches the Cramér–Rao bound, and the
    /// EKF's is close to it.
    @Test func estimatorsApproachTheBound() throws {
        let radars = Self.radars(["KR-KDX3"])
        let network = RadarNetwork(radars)
        let epoch = Self.srbm.burnoutTime + 5
        let predictor = ImpactPredictor()
        var batchSq = 0.0, ekfSq = 0.0, neesSum = 0.0
        var crlb: Matrix?
        let runs = 40
        for seed in 1...runs {
            let reports = MeasurementSimulator(seed: UInt64(seed)).measurements(of: Self.srbm, by: radars)
                .filter { $0.time >= epoch }
            if crlb == nil {
                let bound = try CramerRaoBound(trajectory: Self.srbm, epoch: epoch, network: network)
                var j = [Double](repeating: 0, count: 36)
                for c in bound.contributions(reports) { for k in 0..<36 { j[k] += c[k] } }
                crlb = bound.impactCovariance(information: j)
                #expect(reports.count > 150)
            }
            let truth = Self.srbm.state(at: epoch)
            let guess = StateVector(position: truth.position + Vector3(800, -600, 400),
                                    velocity: truth.velocity + Vector3(20, -10, 15))
            let fit = try BatchLeastSquares().fit(reports, network: network, initial: guess, epoch: epoch)
            #expect(fit.converged)
            neesSum += fit.estimate.nees(truth: truth)!
            let pb = try #require(predictor.predict(fit.estimate))
            batchSq += pow(Geodesic.inverse(pb.point, Self.srbm.impact).distance, 2)
            let ekf = try #require(Self.filterRun(seed: UInt64(seed), radars: radars, checkTimes: [100]))
            let pe = try #require(predictor.predict(ekf.final))
            ekfSq += pow(Geodesic.inverse(pe.point, Self.srbm.impact).distance, 2)
        }
        let bound = try #require(crlb).trace.squareRoot()
        let batchRatio = (batchSq / Double(runs)).squareRoot() / bound
        let ekfRatio = (ekfSq / Double(runs)).squareRoot() / bound
        print("CRLB \(bound) m; batch RMS / CRLB \(batchRatio); EKF RMS / CRLB \(ekfRatio); batch mean NEES \(neesSum / Double(runs))")
        #expect(batchRatio > 0.75 && batchRatio < 1.3)
        #expect(ekfRatio > 0.75 && ekfRatio < 1.4)
        #expect(abs(neesSum / Double(runs) - 6) < 1.6)
    }

    /// Measurement fusion never does worse than the best single radar in the Monte-Carlo mean, at any report
    /// time; covariance intersection stays within 10 % of the best single radar.
    @Test func fusionIsNeverWorseThanTheBestSingleRadar() throws {
        let radars = Self.radars(["KR-GP-C", "JP-DDG"])
        let scenarios = [
            Scenario(name: "KR", consumer: "KR", nations: ["KR"]),
            Scenario(name: "JP", consumer: "JP", nations: ["JP"]),
            Scenario(name: "fused", consumer: "JP", nations: ["KR", "JP"]),
            Scenario(name: "CI", consumer: "JP", nations: ["KR", "JP"], fusion: .trackCovarianceIntersection),
        ]
        let times = [120.0, 150, 180, 210, 235]
        let runs = 25
        var sums = [[Double]](repeating: [Double](repeating: 0, count: times.count), count: scenarios.count)
        for seed in 1...runs {
            let report = try ScenarioRunner(radars: radars, seed: UInt64(seed), evaluationStep: 5)
                .run(Self.srbm, scenarios: scenarios)
            for (s, r) in report.scenarios.enumerated() {
                for (i, t) in times.enumerated() {
                    sums[s][i] += try #require(r.point(at: t)?.impactError, "\(r.scenario.name) at \(t)")
                }
            }
        }
        for (i, t) in times.enumerated() {
            let best = min(sums[0][i], sums[1][i]) / Double(runs)
            let fused = sums[2][i] / Double(runs), ci = sums[3][i] / Double(runs)
            print(String(format: "t=%.0f KR %.0f m, JP %.0f m, fused %.0f m, CI %.0f m", t, sums[0][i] / Double(runs),
                         sums[1][i] / Double(runs), fused, ci))
            #expect(fused <= best, "t = \(t): fused \(fused) m vs best single \(best) m")
            #expect(ci <= 1.1 * best, "t = \(t): CI \(ci) m vs best single \(best) m")
        }
    }

    @Test func covarianceIntersectionIsConsistentAndNoWorseThanEither() {
        let a = BallisticEstimate(epoch: 0, state: StateVector(components: [1, 0, 0, 0, 0, 0]),
                                  covariance: .diagonal([4, 1, 1, 1, 1, 1]))
        let b = BallisticEstimate(epoch: 0, state: StateVector(components: [0, 1, 0, 0, 0, 0]),
                                  covariance: .diagonal([1, 4, 1, 1, 1, 1]))
        let f = CovarianceIntersection.fuse(a, b)!
        let ld = f.covariance.logDeterminantSPD()!
        #expect(ld <= a.covariance.logDeterminantSPD()! + 1e-9)
        #expect(ld <= b.covariance.logDeterminantSPD()! + 1e-9)
        // Symmetric inputs: ω = ½, so x = P (½A⁻¹a + ½B⁻¹b) = (0.2, 0.2): each axis leans on the sharper track.
        #expect(abs(f.state.position.x - 0.2) < 1e-6 && abs(f.state.position.y - 0.2) < 1e-6)
        // Fusing a track with itself changes nothing (CI never double-counts).
        let same = CovarianceIntersection.fuse(a, a)!
        #expect(abs(same.covariance[0, 0] - 4) < 1e-9)
    }

    @Test func impactSensitivityMatchesFiniteDifferences() throws {
        let predictor = ImpactPredictor()
        let t0 = Self.srbm.burnoutTime + 10
        let x0 = Self.srbm.state(at: t0)
        let g = try #require(predictor.predictSensitivity(x0, epoch: t0))
        let (east, north, _) = g.point.enuBasis
        let steps = [10.0, 10, 10, 0.1, 0.1, 0.1]
        for j in 0..<6 {
            var c = x0.components
            c[j] += steps[j]
            let p = try #require(predictor.predictSensitivity(StateVector(components: c), epoch: t0))
            let d = p.point.ecef - g.point.ecef
            let fd = [d.dot(east) / steps[j], d.dot(north) / steps[j]]
            for i in 0..<2 {
                #expect(abs(g.sensitivity[i, j] - fd[i]) < 1e-3 * max(1, abs(fd[i])), "∂impact[\(i)]/∂x[\(j)]")
            }
        }
    }
}
