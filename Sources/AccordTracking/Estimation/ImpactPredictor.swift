import Foundation

/// A predicted impact: where and when the estimated free flight meets the ellipsoid, with the 2×2 east/north
/// covariance (m²) at that point and the predicted apogee.
public struct ImpactPrediction: Sendable, Hashable {
    public var time: Double
    public var point: GeodeticPoint
    /// East/north covariance at the impact point, m² (row-major 2×2), from G P Gᵀ.
    public var covariance: Matrix
    /// Highest point of the predicted flight after the epoch (the epoch's height if already descending), m.
    public var apogee: Double

    /// Semi-axes (m) and orientation (degrees from north, clockwise) of the error ellipse holding
    /// `probability` of the mass (95 % ⇒ 2.448 σ).
    public func ellipse(probability: Double = 0.95) -> (major: Double, minor: Double, orientation: Double) {
        let k = (-2 * log(1 - probability)).squareRoot()
        let eig = SymmetricEigen2(a: covariance[0, 0], b: covariance[0, 1], c: covariance[1, 1])
        // The angle is measured from east (first axis) counter-clockwise; convert to a bearing.
        let bearing = (90 - eig.angle * 180 / .pi + 360).truncatingRemainder(dividingBy: 180)
        return (k * max(0, eig.larger).squareRoot(), k * max(0, eig.smaller).squareRoot(), bearing)
    }

    /// √trace: the RMS miss distance the covariance implies, m.
    public var rmsError: Double { max(0, covariance.trace).squareRoot() }
}

/// Propagates an estimate to the ground with its transition matrix and maps the covariance to the impact point:
/// δ(impact) = [E N]ᵀ (I − v Uᵀ / (U·v)) R(t) Φ_r δx₀, where v is the Earth-relative velocity at impact and U the
/// local vertical (the impact time moves so that the height stays zero).
public struct ImpactPredictor: Sendable {
    public var propagator: BallisticPropagator
    public var maxFlightTime: Double

    public init(propagator: BallisticPropagator = BallisticPropagator(maxStep: 20), maxFlightTime: Double = 10_000) {
        self.propagator = propagator
        self.maxFlightTime = maxFlightTime
    }

    /// The impact of `estimate`, or nil if the estimated flight does not come down (escape, orbit).
    public func predict(_ estimate: BallisticEstimate) -> ImpactPrediction? {
        let g = predictSensitivity(estimate.state, epoch: estimate.epoch)
        guard let g else { return nil }
        let cov = g.sensitivity.sandwich(estimate.covariance)
        return ImpactPrediction(time: g.time, point: g.point, covariance: cov, apogee: g.apogee)
    }

    /// Impact time, point, apogee and the 2×6 sensitivity ∂(east, north)/∂x at the epoch.
    public func predictSensitivity(_ state: StateVector, epoch: Double)
        -> (time: Double, point: GeodeticPoint, apogee: Double, sensitivity: Matrix)?
    {
        guard propagator.gravity.energy(state) < 0 else { return nil }
        var phi = Matrix.identity(6).elements
        var s = state
        var t = epoch
        var h = EarthFrame.altitude(ofECI: s.position, at: t)
        var apogee = h
        var previous: Double? = nil  // height one node back, for a parabolic apogee
        let step = propagator.maxStep
        guard h > 0 else { return finish(s, t, phi, apogee) }
        while t - epoch < maxFlightTime {
            var phiNext = phi
            let next = propagator.propagate(s, by: step, stm: &phiNext)
            let hNext = EarthFrame.altitude(ofECI: next.position, at: t + step)
            if hNext > apogee { apogee = hNext }
            if let p = previous, h >= p, h >= hNext {
                let curvature = p - 2 * h + hNext
                if curvature < 0 { apogee = max(apogee, h - 0.125 * (hNext - p) * (hNext - p) / curvature) }
            }
            if hNext <= 0 {
                // Secant on the partial step length.
                var (a, fa, b, fb) = (0.0, h, step, hNext)
                var x = step, sx = next, phx = phiNext
                for _ in 0..<30 {
                    x = b - fb * (b - a) / (fb - fa)
                    if !(x > 0 && x < step) { x = 0.5 * (a + b) }
                    phx = phi
                    sx = propagator.propagate(s, by: x, stm: &phx)
                    let fx = EarthFrame.altitude(ofECI: sx.position, at: t + x)
                    if abs(fx) < 1e-3 { break }
                    (a, fa) = (b, fb)
                    (b, fb) = (x, fx)
                }
                return finish(sx, t + x, phx, apogee)
            }
            previous = h
            s = next
            phi = phiNext
            t += step
            h = hNext
        }
        return nil
    }

    private func finish(_ s: StateVector, _ t: Double, _ phi: [Double], _ apogee: Double)
        -> (time: Double, point: GeodeticPoint, apogee: Double, sensitivity: Matrix)
    {
        let rE = EarthFrame.ecef(fromECI: s.position, at: t)
        let point = GeodeticPoint(ecef: rE)
        let (east, north, up) = point.enuBasis
        let v = EarthFrame.ecefVelocity(of: s, at: t)
        let uv = up.dot(v)
        // Rows of Φ_r (first three rows of Φ) rotated to ECEF: M = R(t) Φ_r (3×6).
        var m = [[Double]](repeating: [Double](repeating: 0, count: 6), count: 3)
        for j in 0..<6 {
            let col = EarthFrame.ecef(fromECI: Vector3(phi[j], phi[6 + j], phi[12 + j]), at: t)
            m[0][j] = col.x
            m[1][j] = col.y
            m[2][j] = col.z
        }
        var g = Matrix(rows: 2, cols: 6)
        for j in 0..<6 {
            let c = Vector3(m[0][j], m[1][j], m[2][j])
            let corrected = abs(uv) > 1e-6 ? c - (up.dot(c) / uv) * v : c
            g[0, j] = east.dot(corrected)
            g[1, j] = north.dot(corrected)
        }
        return (t, point, apogee, g)
    }
}
