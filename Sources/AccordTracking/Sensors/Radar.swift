import Foundation

/// A sector of azimuths a fixed-face radar covers: centre and half-width, degrees from north.
public struct AzimuthSector: Sendable, Hashable, Codable {
    public var centre: Double
    public var halfWidth: Double

    public init(centre: Double, halfWidth: Double) {
        self.centre = centre
        self.halfWidth = halfWidth
    }

    public func contains(_ azimuthDegrees: Double) -> Bool {
        let d = ((azimuthDegrees - centre) + 540).truncatingRemainder(dividingBy: 360) - 180
        return abs(d) <= halfWidth
    }
}

/// A radar as data: where it is, whose it is, how well it measures, how often, and what it can see.
/// Measurements are range, azimuth (from north, clockwise) and elevation in the radar's local ENU frame.
public struct Radar: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    /// Party code of the nation that operates it ("KR", "JP", "US").
    public var nation: String
    public var name: String
    public var site: GeodeticPoint
    /// 1σ range noise, m.
    public var rangeSigma: Double
    /// 1σ azimuth and elevation noise, rad.
    public var angleSigma: Double
    /// Seconds between measurements while in track.
    public var interval: Double
    /// Lowest elevation it reports, degrees (the geometric horizon is 0).
    public var minElevation: Double
    /// Farthest slant range it reports, m.
    public var maxRange: Double
    /// Azimuths it covers (nil: all round).
    public var sector: AzimuthSector?

    public init(id: String, nation: String, name: String, site: GeodeticPoint, rangeSigma: Double, angleSigma: Double,
                interval: Double, minElevation: Double, maxRange: Double, sector: AzimuthSector? = nil) {
        self.id = id
        self.nation = nation
        self.name = name
        self.site = site
        self.rangeSigma = rangeSigma
        self.angleSigma = angleSigma
        self.interval = interval
        self.minElevation = minElevation
        self.maxRange = maxRange
        self.sector = sector
    }

    /// Measurement noise covariance diag(σ_r², σ_a², σ_a²).
    public var noiseVariances: [Double] { [rangeSigma * rangeSigma, angleSigma * angleSigma, angleSigma * angleSigma] }

    /// The frame the radar measures in (computed once per use site).
    public var frame: RadarFrame { RadarFrame(site: site) }
}

/// A radar's position and ENU axes in ECEF, with the measurement function and its Jacobian.
public struct RadarFrame: Sendable {
    public let position: Vector3
    public let east: Vector3
    public let north: Vector3
    public let up: Vector3

    public init(site: GeodeticPoint) {
        position = site.ecef
        (east, north, up) = site.enuBasis
    }

    /// Range (m), azimuth and elevation (rad) of an inertial position at time t.
    public func measure(_ rECI: Vector3, at t: Double) -> (range: Double, azimuth: Double, elevation: Double) {
        let d = EarthFrame.ecef(fromECI: rECI, at: t) - position
        let e = d.dot(east), n = d.dot(north), u = d.dot(up)
        let rho = d.norm
        var az = atan2(e, n)
        if az < 0 { az += 2 * .pi }
        return (rho, az, asin(u / rho))
    }

    /// ∂(range, azimuth, elevation)/∂(inertial state) at time t: 3×6 (velocity columns are zero).
    public func jacobian(_ rECI: Vector3, at t: Double) -> Matrix {
        let d = EarthFrame.ecef(fromECI: rECI, at: t) - position
        let e = d.dot(east), n = d.dot(north), u = d.dot(up)
        let rho2 = d.normSquared, rho = rho2.squareRoot()
        let h2 = e * e + n * n, h = h2.squareRoot()
        let dRange = d / rho
        let dAz = (n * east - e * north) / h2
        let dEl = (h / rho2) * up - (u / (rho2 * h)) * (e * east + n * north)
        // Chain rule through r_ECEF = R(t) r_ECI: a row g (in ECEF) becomes g R(t), i.e. R(t)ᵀ g.
        let rows = [dRange, dAz, dEl].map { EarthFrame.eci(fromECEF: $0, at: t) }
        var jac = Matrix(rows: 3, cols: 6)
        for i in 0..<3 {
            jac[i, 0] = rows[i].x
            jac[i, 1] = rows[i].y
            jac[i, 2] = rows[i].z
        }
        return jac
    }
}

extension Radar {
    /// Whether the radar can measure an inertial position at time t: above its minimum elevation, within its
    /// maximum range and inside its sector.
    public func canSee(_ rECI: Vector3, at t: Double, frame: RadarFrame) -> Bool {
        let m = frame.measure(rECI, at: t)
        guard m.range <= maxRange, m.elevation >= minElevation * .pi / 180 else { return false }
        if let sector { return sector.contains(m.azimuth * 180 / .pi) }
        return true
    }
}
