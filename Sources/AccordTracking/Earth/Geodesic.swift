import Foundation

/// Distances and bearings on the WGS-84 ellipsoid (Vincenty's inverse method).
public enum Geodesic {
    /// Ellipsoidal distance (m) and initial bearing (degrees from north) from `p` to `q`.
    /// Falls back to a spherical answer in the rare near-antipodal case where Vincenty does not converge.
    public static func inverse(_ p: GeodeticPoint, _ q: GeodeticPoint) -> (distance: Double, bearing: Double) {
        let a = WGS84.a, b = WGS84.b, f = WGS84.f
        let L = (q.longitude - p.longitude) * .pi / 180
        let u1 = atan((1 - f) * tan(p.latitude * .pi / 180))
        let u2 = atan((1 - f) * tan(q.latitude * .pi / 180))
        let sinU1 = sin(u1), cosU1 = cos(u1), sinU2 = sin(u2), cosU2 = cos(u2)
        var lambda = L
        for _ in 0..<200 {
            let sinL = sin(lambda), cosL = cos(lambda)
            let sinSigma = ((cosU2 * sinL) * (cosU2 * sinL)
                + (cosU1 * sinU2 - sinU1 * cosU2 * cosL) * (cosU1 * sinU2 - sinU1 * cosU2 * cosL)).squareRoot()
            if sinSigma == 0 { return (0, 0) }
            let cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL
            let sigma = atan2(sinSigma, cosSigma)
            let sinAlpha = cosU1 * cosU2 * sinL / sinSigma
            let cos2Alpha = 1 - sinAlpha * sinAlpha
            let cos2SigmaM = cos2Alpha != 0 ? cosSigma - 2 * sinU1 * sinU2 / cos2Alpha : 0
            let c = f / 16 * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha))
            let previous = lambda
            lambda = L + (1 - c) * f * sinAlpha
                * (sigma + c * sinSigma * (cos2SigmaM + c * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)))
            if abs(lambda - previous) < 1e-12 {
                let uSq = cos2Alpha * (a * a - b * b) / (b * b)
                let aa = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)))
                let bb = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)))
                let deltaSigma = bb * sinSigma * (cos2SigmaM + bb / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
                    - bb / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)))
                let s = b * aa * (sigma - deltaSigma)
                let alpha1 = atan2(cosU2 * sin(lambda), cosU1 * sinU2 - sinU1 * cosU2 * cos(lambda))
                return (s, normalisedDegrees(alpha1 * 180 / .pi))
            }
        }
        return spherical(p, q)
    }

    /// Great-circle distance on the mean sphere and initial bearing.
    public static func spherical(_ p: GeodeticPoint, _ q: GeodeticPoint) -> (distance: Double, bearing: Double) {
        let p1 = p.latitude * .pi / 180, p2 = q.latitude * .pi / 180
        let dl = (q.longitude - p.longitude) * .pi / 180
        let h = sin((p2 - p1) / 2) * sin((p2 - p1) / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
        let d = 2 * WGS84.meanRadius * asin(min(1, h.squareRoot()))
        let brg = atan2(sin(dl) * cos(p2), cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl))
        return (d, normalisedDegrees(brg * 180 / .pi))
    }

    static func normalisedDegrees(_ d: Double) -> Double {
        let r = d.truncatingRemainder(dividingBy: 360)
        return r < 0 ? r + 360 : r
    }
}
