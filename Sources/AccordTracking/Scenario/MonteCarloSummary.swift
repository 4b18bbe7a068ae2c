import Foundation

/// One scenario over many seeded runs of the same flight: medians of the event times and the RMS impact
/// error at each report time, next to the mean Cramér–Rao bound.
public struct MonteCarloSummary: Sendable {
    public var scenario: Scenario
    public var runs: Int
    public var medianFirstDetection: Double?
    public var medianTrackStart: Double?
    /// Median over the runs of the first time the predicted impact stays within 50 km / 10 km (a run that never
    /// gets there counts as never), and how many runs got there.
    public var medianWithin50km: Double?
    public var medianWithin10km: Double?
    public var runsWithin10km: Int
    /// Aligned with the report times; nil where fewer than all runs had a track.
    public var rmsImpactError: [Double?]
    public var meanCRLB: [Double?]

    /// Summarises runs of the same scenarios (the reports must list them in the same order).
    public static func summarise(_ reports: [SimulationReport]) -> [MonteCarloSummary] {
        guard let first = reports.first else { return [] }
        return first.scenarios.indices.map { i in
            let results = reports.map { $0.scenarios[i] }
            func median(_ xs: [Double?]) -> Double? {
                let sorted = xs.map { $0 ?? .infinity }.sorted()
                let m = sorted[sorted.count / 2]
                return m.isFinite ? m : nil
            }
            let w10 = results.map { $0.firstWithin(10_000) }
            var rms: [Double?] = []
            var crlb: [Double?] = []
            for t in first.reportTimes {
                let points = results.map { $0.point(at: t) }
                let errors = points.compactMap { $0?.impactError }
                rms.append(errors.count == results.count
                    ? (errors.reduce(0) { $0 + $1 * $1 } / Double(errors.count)).squareRoot() : nil)
                let bounds = points.compactMap { $0?.crlb }
                crlb.append(bounds.count == results.count ? bounds.reduce(0, +) / Double(bounds.count) : nil)
            }
            return MonteCarloSummary(
                scenario: first.scenarios[i].scenario, runs: results.count,
                medianFirstDetection: median(results.map(\.firstDetection)),
                medianTrackStart: median(results.map(\.trackStart)),
                medianWithin50km: median(results.map { $0.firstWithin(50_000) }), medianWithin10km: median(w10),
                runsWithin10km: w10.compactMap { $0 }.count, rmsImpactError: rms, meanCRLB: crlb)
        }
    }
}
