import Foundation

/// The Cramér–Rao lower bound for the deterministic free flight: J = Σ Hₖᵀ R⁻¹ Hₖ with Hₖ = ∂h/∂x(xₖ) Φ(tₖ, t₀)
/// along the true trajectory, so information from different radars simply adds; impact covariance ≥ G J⁻¹ Gᵀ.
public struct CramerRaoBound: Sendable {
    public let epoch: Double
    public let trueState: StateVector
    public let network: RadarNetwork
    public let propagator: BallisticPropagator
    /// ∂(east, north of impact)/∂x at the epoch (2×6).
    public let impactSensitivity: Matrix

    /// The bound for a flight's free-flight part, linearised at its true state at `epoch` (after burnout).
    public init(trajectory: Trajectory, epoch: Double, network: RadarNetwork,
                propagator: BallisticPropagator = BallisticPropagator(maxStep: 10),
                predictor: ImpactPredictor = ImpactPredictor()) throws(TrackingError) {
        self.epoch = epoch
        trueState = trajectory.state(at: epoch)
        self.network = network
        self.propagator = propagator
        guard let g = predictor.predictSensitivity(trueState, epoch: epoch) else {
            throw .noImpact("the true free flight does not come down")
        }
        impactSensitivity = g.sensitivity
    }

    /// The Fisher information (36 row-major values) each report contributes, in the order given.
    public func contributions(_ reports: [Measurement]) -> [[Double]] {
        var byIndex = [[Double]](repeating: [], count: reports.count)
        let index = Dictionary(reports.enumerated().map { (Self.key($0.element), $0.offset) }) { a, _ in a }
        MeasurementLinearisation(propagator: propagator, network: network).forEach(reports, from: trueState,
                                                                                    epoch: epoch) { m, _, h in
            let w = network[m.radarID]!.variances.map { 1 / $0 }
            var j = [Double](repeating: 0, count: 36)
            for i in 0..<3 {
                for r in 0..<6 {
                    let hw = h[i * 6 + r] * w[i]
                    for c in 0..<6 { j[r * 6 + c] += hw * h[i * 6 + c] }
                }
            }
            if let k = index[Self.key(m)] { byIndex[k] = j }
        }
        return byIndex
    }

    /// The bound on the impact-point covariance (east/north, m²) for a total information J; nil while J is
    /// singular (too few reports to determine the state).
    public func impactCovariance(information j: [Double]) -> Matrix? {
        let info = Matrix(rows: 6, cols: 6, elements: j)
        guard let inv = info.inverseSPD() else { return nil }
        return impactSensitivity.sandwich(inv)
    }

    /// The bound on the state covariance at the epoch.
    public func stateCovariance(information j: [Double]) -> Matrix? {
        Matrix(rows: 6, cols: 6, elements: j).inverseSPD()
    }

    static func key(_ m: Measurement) -> String { "\(m.radarID)@\(m.time)" }
}
