import Foundation

/// Walks a state and its transition matrix Φ(t, epoch) through report times (forwards after the epoch,
/// backwards before it) and hands each report its predicted measurement and Jacobian H = ∂h/∂x · Φ (3×6).
/// Shared by the batch fit and the Cramér–Rao bound, which differ only in what they add up.
struct MeasurementLinearisation {
    let propagator: BallisticPropagator
    let network: RadarNetwork

    /// Calls `body(report, predicted (range, az, el), H as 18 row-major values)` for every report whose radar
    /// the network knows.
    func forEach(_ reports: [Measurement], from state: StateVector, epoch: Double,
                 _ body: (Measurement, (range: Double, azimuth: Double, elevation: Double), [Double]) -> Void) {
        let after = reports.filter { $0.time >= epoch }.sorted { $0.time < $1.time }
        let before = reports.filter { $0.time < epoch }.sorted { $0.time > $1.time }
        for group in [after, before] {
            var s = state
            var t = epoch
            var phi = Matrix.identity(6).elements
            var h = [Double](repeating: 0, count: 18)
            for m in group {
                guard let entry = network[m.radarID] else { continue }
                if m.time != t {
                    s = propagator.propagate(s, by: m.time - t, stm: &phi)
                    t = m.time
                }
                let pred = entry.frame.measure(s.position, at: t)
                let j = entry.frame.jacobian(s.position, at: t)
                for i in 0..<3 {
                    let a = j[i, 0], b = j[i, 1], c = j[i, 2]
                    for k in 0..<6 { h[i * 6 + k] = a * phi[k] + b * phi[6 + k] + c * phi[12 + k] }
                }
                body(m, pred, h)
            }
        }
    }
}
