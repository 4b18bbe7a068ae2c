import Foundation

/// The WGS-84 ellipsoid, its gravity constants and its rotation.
public enum WGS84 {
    /// Semi-major axis, m.
    public static let a = 6_378_137.0
    /// Flattening.
    public static let f = 1 / 298.257_223_563
    /// Semi-minor axis, m.
    public static let b = a * (1 - f)
    /// First eccentricity squared.
    public static let e2 = f * (2 - f)
    /// Gravitational parameter GM, m³/s².
    public static let mu = 3.986_004_418e14
    /// Second zonal harmonic (−√5·C̄₂₀ of EGM96).
    public static let j2 = 1.082_626_68e-3
    /// Rotation rate, rad/s.
    public static let omega = 7.292_115e-5
    /// Mean radius used by the spherical reference formulas, m.
    public static let meanRadius = 6_371_000.0
}

/// A point given by geodetic latitude and longitude (degrees) and height above the ellipsoid (metres).
public struct GeodeticPoint: Sendable, Hashable, Codable {
    public var latitude: Double
    public var longitude: Double
    public var altitude: Double

    public init(latitude: Double, longitude: Double, altitude: Double = 0) {
        self.latitude = latitude
        self.longitude = longitude
        self.altitude = altitude
    }

    /// Earth-centred, Earth-fixed position, m.
    public var ecef: Vector3 {
        let phi = latitude * .pi / 180, lam = longitude * .pi / 180
        let sp = sin(phi), cp = cos(phi)
        let n = WGS84.a / (1 - WGS84.e2 * sp * sp).squareRoot()
        return Vector3((n + altitude) * cp * cos(lam), (n + altitude) * cp * sin(lam),
                       (n * (1 - WGS84.e2) + altitude) * sp)
    }

    /// The geodetic point of an ECEF position (iterative; converges to well under a millimetre).
    public init(ecef r: Vector3) {
        let p = (r.x * r.x + r.y * r.y).squareRoot()
        let lam = atan2(r.y, r.x)
        var phi = atan2(r.z, p * (1 - WGS84.e2))
        var h = 0.0
        for _ in 0..<6 {
            let sp = sin(phi)
            let n = WGS84.a / (1 - WGS84.e2 * sp * sp).squareRoot()
            let cp = cos(phi)
            if abs(cp) > 1e-9 {
                h = p / cp - n
            } else {
                h = abs(r.z) - WGS84.b
            }
            phi = atan2(r.z, p * (1 - WGS84.e2 * n / (n + h)))
        }
        self.init(latitude: phi * 180 / .pi, longitude: lam * 180 / .pi, altitude: h)
    }

    /// East, north and up unit vectors (ECEF) of the local tangent plane.
    public var enuBasis: (east: Vector3, north: Vector3, up: Vector3) {
        let phi = latitude * .pi / 180, lam = longitude * .pi / 180
        let sp = sin(phi), cp = cos(phi), sl = sin(lam), cl = cos(lam)
        return (Vector3(-sl, cl, 0), Vector3(-sp * cl, -sp * sl, cp), Vector3(cp * cl, cp * sl, sp))
    }
}

/// The rotating Earth: an inertial frame (ECI) that coincides with ECEF at t = 0, the launch instant.
public enum EarthFrame {
    /// ECEF position of an ECI position at time t (s after launch).
    @inlinable public static func ecef(fromECI r: Vector3, at t: Double) -> Vector3 {
        let th = WGS84.omega * t, c = cos(th), s = sin(th)
        return Vector3(c * r.x + s * r.y, -s * r.x + c * r.y, r.z)
    }

    /// ECI position of an ECEF position at time t.
    @inlinable public static func eci(fromECEF r: Vector3, at t: Double) -> Vector3 {
        let th = WGS84.omega * t, c = cos(th), s = sin(th)
        return Vector3(c * r.x - s * r.y, s * r.x + c * r.y, r.z)
    }

    /// ECEF (Earth-relative) velocity of an ECI state at time t.
    public static func ecefVelocity(of state: StateVector, at t: Double) -> Vector3 {
        let rE = ecef(fromECI: state.position, at: t)
        let vR = ecef(fromECI: state.velocity, at: t)
        return vR - Vector3(0, 0, WGS84.omega).cross(rE)
    }

    /// ECI velocity of a point at rest on the Earth (ECEF position rE) at time t.
    public static func inertialVelocity(ofFixed rE: Vector3, at t: Double) -> Vector3 {
        eci(fromECEF: Vector3(0, 0, WGS84.omega).cross(rE), at: t)
    }

    /// Height above the ellipsoid of an ECI position at time t.
    public static func altitude(ofECI r: Vector3, at t: Double) -> Double {
        GeodeticPoint(ecef: ecef(fromECI: r, at: t)).altitude
    }
}
