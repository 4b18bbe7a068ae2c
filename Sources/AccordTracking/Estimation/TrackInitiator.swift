import Foundation

/// Starts a free-flight track from the first reports: converts them to positions, fits position, velocity and
/// the local gravity (a parabola) for a first guess, then refines it with the batch fit. The resulting
/// estimate is at the time of the last report used.
public struct TrackInitiator: Sendable {
    public var minimumReports: Int
    /// Shortest time span the reports must cover, s.
    public var minimumSpan: Double
    public var batch: BatchLeastSquares

    public init(minimumReports: Int = 6, minimumSpan: Double = 4, batch: BatchLeastSquares = BatchLeastSquares()) {
        self.minimumReports = minimumReports
        self.minimumSpan = minimumSpan
        self.batch = batch
    }

    /// Whether `reports` are enough to start a track.
    public func isReady(_ reports: [Measurement]) -> Bool {
        guard reports.count >= minimumReports, let lo = reports.map(\.time).min(), let hi = reports.map(\.time).max()
        else { return false }
        return hi - lo >= minimumSpan
    }

    public func initiate(_ reports: [Measurement], network: RadarNetwork) -> BallisticEstimate? {
        guard isReady(reports) else { return nil }
        let sorted = reports.sorted { $0.time < $1.time }
        let t0 = sorted[0].time
        let points = sorted.compactMap { m in network.position(of: m).map { (m.time - t0, $0) } }
        guard points.count >= 3 else { return nil }
        let g = batch.propagator.gravity.acceleration(points[0].1)
        // Per axis: p_i − ½ g τ² = p + v τ (weighted equally).
        var s0 = 0.0, s1 = 0.0, s2 = 0.0
        var b0 = Vector3.zero, b1 = Vector3.zero
        for (tau, p) in points {
            let y = p - (0.5 * tau * tau) * g
            s0 += 1; s1 += tau; s2 += tau * tau
            b0 += y
            b1 += tau * y
        }
        let det = s0 * s2 - s1 * s1
        guard abs(det) > 1e-9 else { return nil }
        let p0 = (s2 * b0 - s1 * b1) / det
        let v0 = (s0 * b1 - s1 * b0) / det
        guard let fit = try? batch.fit(sorted, network: network, initial: StateVector(position: p0, velocity: v0),
                                       epoch: t0), fit.converged
        else { return nil }
        return fit.estimate.propagated(to: sorted[sorted.count - 1].time, with: batch.propagator)
    }
}
