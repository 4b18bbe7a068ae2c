import Foundation

/// An extended Kalman filter on the inertial free-flight state with the J2 ballistic dynamics.
///
/// Reports may arrive out of order (a relay adds delay): a report older than the filter's epoch is applied by
/// retrodiction, H = ∂h/∂x(x_k) · Φ(t_k, t), which is exact for the deterministic free flight (no process
/// noise). `processNoise` (white acceleration, m²/s³) is 0 by default because the truth has no drag.
public struct ExtendedKalmanFilter: Sendable {
    public private(set) var estimate: BallisticEstimate
    public var propagator: BallisticPropagator
    public var processNoise: Double

    public init(initial: BallisticEstimate, propagator: BallisticPropagator = BallisticPropagator(maxStep: 10),
                processNoise: Double = 0) {
        estimate = initial
        self.propagator = propagator
        self.processNoise = processNoise
    }

    /// Moves the estimate forward to time t.
    public mutating func predict(to t: Double) {
        guard t > estimate.epoch else { return }
        let dt = t - estimate.epoch
        var next = estimate.propagated(to: t, with: propagator)
        if processNoise > 0 {
            let q = processNoise
            var p = next.covariance
            for i in 0..<3 {
                p[i, i] += q * dt * dt * dt / 3
                p[i + 3, i + 3] += q * dt
                p[i, i + 3] += q * dt * dt / 2
                p[i + 3, i] += q * dt * dt / 2
            }
            next.covariance = p
        }
        estimate = next
    }

    /// Applies one report; returns its normalised innovation squared (NIS), or nil if the radar is unknown or
    /// the innovation covariance is singular.
    @discardableResult
    public mutating func update(_ m: Measurement, network: RadarNetwork) -> Double? {
        guard let entry = network[m.radarID] else { return nil }
        if m.time > estimate.epoch { predict(to: m.time) }
        var h = Matrix(rows: 3, cols: 6)
        let pred: (range: Double, azimuth: Double, elevation: Double)
        if m.time < estimate.epoch {
            let (xk, phi) = propagator.propagateWithSTM(estimate.state, by: m.time - estimate.epoch)
            pred = entry.frame.measure(xk.position, at: m.time)
            h = entry.frame.jacobian(xk.position, at: m.time) * phi
        } else {
            pred = entry.frame.measure(estimate.state.position, at: m.time)
            h = entry.frame.jacobian(estimate.state.position, at: m.time)
        }
        let y = RadarNetwork.residual(m, pred)
        let p = estimate.covariance
        let pht = p * h.transposed  // 6×3
        let s = (h * pht + .diagonal(entry.variances)).symmetrized
        guard let sInvY = s.solveSPD(Matrix(column: y)), let kT = s.solveSPD(pht.transposed) else { return nil }
        let k = kT.transposed  // 6×3
        let dx = k * y
        let x = StateVector(components: (0..<6).map { estimate.state.components[$0] + dx[$0] })
        // Joseph form: (I − KH) P (I − KH)ᵀ + K R Kᵀ.
        let ikh = Matrix.identity(6) - k * h
        let cov = ikh.sandwich(p) + k.sandwich(.diagonal(entry.variances))
        estimate = BallisticEstimate(epoch: estimate.epoch, state: x, covariance: cov.symmetrized)
        return zip(y, sInvY.elements).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
