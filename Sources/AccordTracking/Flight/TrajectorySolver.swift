import Foundation

/// Finds the boost that produces a flight with a given apogee, ground range and bearing: Newton's method on
/// (Δv, final pitch, thrust azimuth) with a finite-difference Jacobian and a backtracking line search,
/// started from the spherical Kepler arc.
public struct TrajectorySolver: Sendable {
    public var simulator: FlightSimulator
    public var maxIterations: Int

    public init(simulator: FlightSimulator = FlightSimulator(), maxIterations: Int = 40) {
        self.simulator = simulator
        self.maxIterations = maxIterations
    }

    /// The flight from `launch` towards `azimuth` (degrees) with apogee `apogee` and ground range `range`
    /// (metres). `boost` defaults to the class that suits the required burnout speed.
    public func solve(launch: GeodeticPoint, azimuth: Double, apogee: Double, range: Double,
                      boost: BoostModel? = nil) throws(TrackingError) -> Trajectory {
        guard apogee >= 1_000, apogee < 40_000_000, range >= 10_000, range < 15_000_000 else {
            throw .invalidInput("apogee \(apogee / 1000) km and range \(range / 1000) km are outside the model's span")
        }
        guard abs(launch.latitude) <= 90, abs(launch.longitude) <= 360, azimuth.isFinite else {
            throw .invalidInput("launch point or azimuth out of range")
        }
        let guess = KeplerReference.burnout(apogee: apogee, range: range)
        let model = boost ?? .typical(forBurnoutSpeed: guess.speed)
        // Ideal Δv ≈ burnout speed plus gravity loss over the burn (two fixed-point passes).
        var dv = guess.speed
        for _ in 0..<2 {
            dv = guess.speed + 0.75 * BoostModel.standardGravity * model.burnTime(deltaV: dv) * sin(guess.flightPathAngle)
        }
        let start = [dv, guess.flightPathAngle * 180 / .pi, azimuth]

        func residual(_ t: Trajectory) -> [Double] {
            var db = t.bearing - azimuth
            db = (db + 540).truncatingRemainder(dividingBy: 360) - 180
            return [(t.apogee - apogee) / apogee, (t.groundRange - range) / range, db * .pi / 180]
        }
        func fly(_ q: [Double]) throws(TrackingError) -> Trajectory {
            try simulator.fly(from: launch, thrustAzimuth: q[2], finalPitch: q[1], deltaV: q[0], boost: model)
        }
        func norm(_ r: [Double]) -> Double { (r[0] * r[0] + r[1] * r[1] + r[2] * r[2]).squareRoot() }

        var (p, traj) = try flyOrShrink(start, fly)
        var r = residual(traj)
        for _ in 0..<maxIterations {
            if abs(r[0]) < 1e-7 && abs(r[1]) < 1e-7 && abs(r[2]) < 1e-8 { return traj }
            let steps = [0.5, 1e-3, 1e-3]
            var jac = Matrix(rows: 3, cols: 3)
            for j in 0..<3 {
                var q = p
                q[j] += steps[j]
                let rj = residual(try fly(q))
                for i in 0..<3 { jac[i, j] = (rj[i] - r[i]) / steps[j] }
            }
            guard let delta = Self.solve3(jac, r.map { -$0 }) else {
                throw .noConvergence("singular Jacobian in the trajectory solve")
            }
            var lambda = 1.0
            var improved = false
            for _ in 0..<12 {
                var q = p
                for i in 0..<3 { q[i] += lambda * delta[i] }
                q[1] = min(89.99, max(1, q[1]))
                q[0] = max(100, q[0])
                if let t = try? fly(q) {
                    let rq = residual(t)
                    if norm(rq) < norm(r) {
                        p = q
                        traj = t
                        r = rq
                        improved = true
                        break
                    }
                }
                lambda *= 0.5
            }
            if !improved { break }
        }
        if abs(r[0]) < 1e-5 && abs(r[1]) < 1e-5 && abs(r[2]) < 1e-5 { return traj }
        throw .noConvergence(String(
            format: "no boost reproduces apogee %.1f km with range %.1f km: the closest flight misses the apogee by %.1f %%, the range by %.1f %% and the bearing by %.2f°",
            apogee / 1000, range / 1000, abs(r[0]) * 100, abs(r[1]) * 100, abs(r[2]) * 180 / .pi))
    }

    /// Flies `p`, shrinking Δv towards a flight that does impact if the guess escapes or does not climb.
    private func flyOrShrink(_ p0: [Double], _ fly: ([Double]) throws(TrackingError) -> Trajectory)
        throws(TrackingError) -> ([Double], Trajectory)
    {
        var p = p0
        var lastError = TrackingError.noImpact("no flight")
        for _ in 0..<20 {
            do {
                return (p, try fly(p))
            } catch {
                lastError = error
                p[0] *= 0.97
                p[1] = min(89, p[1] + 1)
            }
        }
        throw lastError
    }

    static func solve3(_ a: Matrix, _ b: [Double]) -> [Double]? {
        let m = a.elements
        func det(_ m: [Double]) -> Double {
            m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
        }
        let d = det(m)
        guard abs(d) > 1e-300, d.isFinite else { return nil }
        var out = [Double](repeating: 0, count: 3)
        for c in 0..<3 {
            var mc = m
            for r in 0..<3 { mc[r * 3 + c] = b[r] }
            out[c] = det(mc) / d
        }
        return out
    }
}
