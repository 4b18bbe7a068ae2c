import Foundation

/// Nonlinear batch least squares (Gauss–Newton with step halving) for the free-flight state at an epoch,
/// over every report given: the early-warning-radar practice the reference note describes.
public struct BatchLeastSquares: Sendable {
    public var propagator: BallisticPropagator
    public var maxIterations: Int

    public struct Result: Sendable {
        public var estimate: BallisticEstimate
        public var iterations: Int
        /// Weighted sum of squared residuals at the solution.
        public var chiSquare: Double
        public var reportCount: Int
        public var converged: Bool
    }

    public init(propagator: BallisticPropagator = BallisticPropagator(maxStep: 10), maxIterations: Int = 20) {
        self.propagator = propagator
        self.maxIterations = maxIterations
    }

    /// Fits the state at `epoch`, starting from `initial`. The covariance is the inverse of the Fisher
    /// information at the solution (plus the prior's, if one is given).
    public func fit(_ reports: [Measurement], network: RadarNetwork, initial: StateVector, epoch: Double,
                    prior: BallisticEstimate? = nil) throws(TrackingError) -> Result {
        guard reports.count * 3 + (prior == nil ? 0 : 6) >= 6 else {
            throw .invalidInput("a batch fit needs at least two reports")
        }
        let priorInfo = prior.flatMap { $0.covariance.inverseSPD() }
        var x = initial
        var (n, b, cost) = normalEquations(reports, network, x, epoch, prior, priorInfo)
        var iterations = 0
        var converged = false
        while iterations < maxIterations {
            iterations += 1
            guard let delta = Matrix(rows: 6, cols: 6, elements: n).solveSPD(Matrix(column: b))?.elements else {
                throw .singular("the reports do not determine the state (information matrix not positive definite)")
            }
            var lambda = 1.0
            var accepted = false
            for _ in 0..<8 {
                let trial = StateVector(components: (0..<6).map { x.components[$0] + lambda * delta[$0] })
                let (n2, b2, c2) = normalEquations(reports, network, trial, epoch, prior, priorInfo)
                if c2.isFinite && c2 <= cost * (1 + 1e-12) {
                    x = trial
                    (n, b) = (n2, b2)
                    let small = abs(c2 - cost) <= 1e-9 * max(1, cost)
                    cost = c2
                    accepted = true
                    let dp = (0..<3).map { abs(lambda * delta[$0]) }.max()!
                    let dv = (3..<6).map { abs(lambda * delta[$0]) }.max()!
                    converged = (dp < 1e-3 && dv < 1e-6) || small
                    break
                }
                lambda *= 0.5
            }
            // No step that lowers the cost: the fit sits at the minimum to round-off.
            if !accepted || converged {
                converged = true
                break
            }
        }
        guard let cov = Matrix(rows: 6, cols: 6, elements: n).inverseSPD() else {
            throw .singular("the information matrix is not invertible")
        }
        return Result(estimate: BallisticEstimate(epoch: epoch, state: x, covariance: cov), iterations: iterations,
                      chiSquare: cost, reportCount: reports.count, converged: converged)
    }

    /// Σ Hᵀ R⁻¹ H, Σ Hᵀ R⁻¹ (z − h) and the cost, at x (with the prior's terms when given).
    func normalEquations(_ reports: [Measurement], _ network: RadarNetwork, _ x: StateVector, _ epoch: Double,
                         _ prior: BallisticEstimate?, _ priorInfo: Matrix?) -> ([Double], [Double], Double) {
        var n = [Double](repeating: 0, count: 36)
        var b = [Double](repeating: 0, count: 6)
        var cost = 0.0
        let lin = MeasurementLinearisation(propagator: propagator, network: network)
        lin.forEach(reports, from: x, epoch: epoch) { m, pred, h in
            let y = RadarNetwork.residual(m, pred)
            let w = network[m.radarID]!.variances.map { 1 / $0 }
            for i in 0..<3 {
                cost += y[i] * y[i] * w[i]
                for r in 0..<6 {
                    let hw = h[i * 6 + r] * w[i]
                    if hw == 0 { continue }
                    b[r] += hw * y[i]
                    for c in 0..<6 { n[r * 6 + c] += hw * h[i * 6 + c] }
                }
            }
        }
        if let prior, let info = priorInfo {
            let d = (prior.state - x).components
            for r in 0..<6 {
                for c in 0..<6 {
                    n[r * 6 + c] += info[r, c]
                    b[r] += info[r, c] * d[c]
                    cost += d[r] * info[r, c] * d[c]
                }
            }
        }
        return (n, b, cost)
    }
}
