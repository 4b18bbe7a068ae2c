import Foundation

/// Closed-form two-body results: the reference note's spherical formulas (non-rotating Earth, burnout at the
/// surface) and a universal-variable propagator used to measure the integrator's error.
public enum KeplerReference {
    /// Vacuum flight time (s) of the Kepler arc from the surface of a sphere of radius R with apogee height H
    /// and ground range D (metres), per the reference note's equations.
    public static func flightTime(apogee h: Double, range d: Double, mu: Double = WGS84.mu,
                                  radius r: Double = WGS84.meanRadius) -> Double {
        let psi = d / r
        let ra = r + h
        let e = (ra - r) / (ra - r * cos(psi / 2))
        let a = ra / (1 + e)
        let theta0 = Double.pi - psi / 2
        let cosE0 = (e + cos(theta0)) / (1 + e * cos(theta0))
        let e0 = acos(max(-1, min(1, cosE0)))
        return 2 * (a * a * a / mu).squareRoot() * (Double.pi - (e0 - e * sin(e0)))
    }

    /// Burnout speed (m/s) and flight-path angle (rad) at the surface for that arc.
    public static func burnout(apogee h: Double, range d: Double, mu: Double = WGS84.mu,
                               radius r: Double = WGS84.meanRadius) -> (speed: Double, flightPathAngle: Double) {
        let psi = d / r
        let ra = r + h
        let e = (ra - r) / (ra - r * cos(psi / 2))
        let a = ra / (1 + e)
        let v = (mu * (2 / r - 1 / a)).squareRoot()
        let hMom = (mu * a * (1 - e * e)).squareRoot()
        return (v, acos(min(1, hMom / (r * v))))
    }

    /// Apogee height (m) of the minimum-energy (maximum-range) arc for ground range D.
    public static func minimumEnergyApogee(range d: Double, mu: Double = WGS84.mu,
                                           radius r: Double = WGS84.meanRadius) -> Double {
        let psi = d / r
        let gamma = Double.pi / 4 - psi / 4
        let nu = 2 * sin(psi / 2) / (1 + sin(psi / 2))
        let v2 = nu * mu / r
        // Apogee radius from energy and angular momentum: r_a = a(1 + e).
        let a = 1 / (2 / r - v2 / mu)
        let hMom = r * v2.squareRoot() * cos(gamma)
        let e = (max(0, 1 - hMom * hMom / (mu * a))).squareRoot()
        return a * (1 + e) - r
    }

    /// The two-body state after `dt` seconds (universal variables with Stumpff functions).
    public static func propagate(_ s: StateVector, by dt: Double, mu: Double = WGS84.mu) -> StateVector {
        let r0 = s.position, v0 = s.velocity
        let r0n = r0.norm
        let vr0 = r0.dot(v0) / r0n
        let alpha = 2 / r0n - v0.normSquared / mu
        let sqmu = mu.squareRoot()
        var chi = sqmu * abs(alpha) * dt
        if alpha <= 0 { chi = sqmu * dt / r0n }
        for _ in 0..<100 {
            let z = alpha * chi * chi
            let (c, sv) = stumpff(z)
            let f = r0n * vr0 / sqmu * chi * chi * c + (1 - alpha * r0n) * chi * chi * chi * sv + r0n * chi - sqmu * dt
            let fp = r0n * vr0 / sqmu * chi * (1 - z * sv) + (1 - alpha * r0n) * chi * chi * c + r0n
            let step = f / fp
            chi -= step
            if abs(step) < 1e-12 * max(1, abs(chi)) { break }
        }
        let z = alpha * chi * chi
        let (c, sv) = stumpff(z)
        let f = 1 - chi * chi / r0n * c
        let g = dt - chi * chi * chi / sqmu * sv
        let r = f * r0 + g * v0
        let rn = r.norm
        let fd = sqmu / (rn * r0n) * (alpha * chi * chi * chi * sv - chi)
        let gd = 1 - chi * chi / rn * c
        return StateVector(position: r, velocity: fd * r0 + gd * v0)
    }

    static func stumpff(_ z: Double) -> (c: Double, s: Double) {
        if z > 1e-6 {
            let sz = z.squareRoot()
            return ((1 - cos(sz)) / z, (sz - sin(sz)) / (sz * sz * sz))
        } else if z < -1e-6 {
            let sz = (-z).squareRoot()
            return ((cosh(sz) - 1) / -z, (sinh(sz) - sz) / (sz * sz * sz))
        }
        return (0.5 - z / 24 + z * z / 720, 1.0 / 6 - z / 120 + z * z / 5040)
    }
}
