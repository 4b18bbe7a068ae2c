import Foundation

/// The gravity field: point mass plus the J2 oblateness term, expressed in the inertial frame.
///
/// J2 is symmetric about the rotation axis, so in an inertial frame whose z axis is that axis the field does
/// not depend on the Earth's rotation angle. Specific energy and the z component of angular momentum are
/// therefore conserved in free flight, which the integrator tests use.
public struct Gravity: Sendable, Hashable {
    public var mu: Double
    public var j2: Double
    public var radius: Double

    public init(mu: Double = WGS84.mu, j2: Double = WGS84.j2, radius: Double = WGS84.a) {
        self.mu = mu
        self.j2 = j2
        self.radius = radius
    }

    /// WGS-84 with J2.
    public static let wgs84 = Gravity()
    /// Point mass only (Kepler): the reference for the integrator's error.
    public static let pointMass = Gravity(j2: 0)

    /// Acceleration at an inertial position, m/s².
    @inlinable public func acceleration(_ r: Vector3) -> Vector3 {
        let r2 = r.normSquared, rn = r2.squareRoot()
        let mr3 = mu / (r2 * rn)
        if j2 == 0 { return -mr3 * r }
        let k = 1.5 * j2 * mu * radius * radius / (r2 * r2 * rn)
        let zz = 5 * r.z * r.z / r2
        return Vector3(-mr3 * r.x - k * r.x * (1 - zz), -mr3 * r.y - k * r.y * (1 - zz), -mr3 * r.z - k * r.z * (3 - zz))
    }

    /// Potential energy per unit mass, m²/s² (acceleration = −∇U).
    public func potential(_ r: Vector3) -> Double {
        let rn = r.norm
        let p2 = 3 * r.z * r.z / (rn * rn) - 1
        return -mu / rn + mu * j2 * radius * radius / (2 * rn * rn * rn) * p2
    }

    /// The gravity gradient ∂a/∂r (3×3, row-major): analytic for the point mass, central differences for J2.
    public func gradient(_ r: Vector3) -> [Double] {
        let r2 = r.normSquared, rn = r2.squareRoot()
        let c = mu / (r2 * rn)
        var g = [Double](repeating: 0, count: 9)
        for i in 0..<3 {
            for j in 0..<3 {
                g[i * 3 + j] = c * (3 * r[i] * r[j] / r2 - (i == j ? 1 : 0))
            }
        }
        guard j2 != 0 else { return g }
        // The J2 term is a thousandth of the total: a central difference over ±10 m is far more than accurate enough.
        let pointMass = Gravity(mu: mu, j2: 0, radius: radius)
        func j2Part(_ x: Vector3) -> Vector3 { acceleration(x) - pointMass.acceleration(x) }
        let h = 10.0
        for j in 0..<3 {
            var rp = r, rm = r
            rp[j] += h
            rm[j] -= h
            let d = j2Part(rp) - j2Part(rm)
            for i in 0..<3 { g[i * 3 + j] += d[i] / (2 * h) }
        }
        return g
    }

    /// Specific mechanical energy of an inertial state, m²/s².
    public func energy(_ s: StateVector) -> Double { 0.5 * s.velocity.normSquared + potential(s.position) }
}
