import Foundation

/// A simulated flight: inertial states from lift-off to impact, sampled at the integrator's nodes, with the
/// quantities the public record reports. Time is seconds after launch; ECI coincides with ECEF at t = 0.
public struct Trajectory: Sendable {
    public let launch: GeodeticPoint
    public let times: [Double]
    public let states: [StateVector]
    /// Total acceleration (gravity plus thrust) at each node, for interpolating velocity.
    public let accelerations: [Vector3]
    public let burnoutTime: Double
    public let impactTime: Double
    public let impact: GeodeticPoint
    /// Largest height above the ellipsoid, m, and when it was reached.
    public let apogee: Double
    public let apogeeTime: Double
    /// Ellipsoidal distance from launch to impact, m.
    public let groundRange: Double
    /// Initial bearing of the impact point from the launch point, degrees.
    public let bearing: Double
    /// The boost parameters that produced the flight.
    public let boost: BoostModel
    public let deltaV: Double
    public let finalPitch: Double
    public let thrustAzimuth: Double

    public var flightTime: Double { impactTime }
    public var burnoutState: StateVector { state(at: burnoutTime) }

    init(launch: GeodeticPoint, times: [Double], states: [StateVector], accelerations: [Vector3], burnoutTime: Double,
         boost: BoostModel, deltaV: Double, finalPitch: Double, thrustAzimuth: Double) {
        self.launch = launch
        self.times = times
        self.states = states
        self.accelerations = accelerations
        self.burnoutTime = burnoutTime
        self.boost = boost
        self.deltaV = deltaV
        self.finalPitch = finalPitch
        self.thrustAzimuth = thrustAzimuth
        impactTime = times[times.count - 1]
        impact = GeodeticPoint(ecef: EarthFrame.ecef(fromECI: states[states.count - 1].position, at: impactTime))
        let g = Geodesic.inverse(launch, impact)
        groundRange = g.distance
        bearing = g.bearing
        var best = 0
        var bestAlt = -Double.infinity
        for (i, s) in states.enumerated() {
            let h = EarthFrame.altitude(ofECI: s.position, at: times[i])
            if h > bestAlt {
                bestAlt = h
                best = i
            }
        }
        let lo = times[max(0, best - 1)], hi = times[min(times.count - 1, best + 1)]
        let (apoT, apoH) = GoldenSection.maximum(lo, hi, tolerance: 1e-4) { [states, times, accelerations] t in
            let s = Self.interpolate(times: times, states: states, accelerations: accelerations, at: t)
            return EarthFrame.altitude(ofECI: s.position, at: t)
        }
        apogee = max(apoH, bestAlt)
        apogeeTime = apoH >= bestAlt ? apoT : times[best]
    }

    /// The inertial state at time t (cubic Hermite in position, and in velocity using the accelerations).
    public func state(at t: Double) -> StateVector {
        Self.interpolate(times: times, states: states, accelerations: accelerations, at: t)
    }

    /// Height above the ellipsoid at time t, m.
    public func altitude(at t: Double) -> Double { EarthFrame.altitude(ofECI: state(at: t).position, at: t) }

    static func interpolate(times: [Double], states: [StateVector], accelerations: [Vector3], at t: Double) -> StateVector {
        if t <= times[0] { return states[0] }
        if t >= times[times.count - 1] { return states[states.count - 1] }
        var lo = 0, hi = times.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid } else { hi = mid }
        }
        let h = times[hi] - times[lo]
        guard h > 0 else { return states[lo] }
        let s = (t - times[lo]) / h
        let s2 = s * s, s3 = s2 * s
        let h00 = 2 * s3 - 3 * s2 + 1, h10 = s3 - 2 * s2 + s, h01 = -2 * s3 + 3 * s2, h11 = s3 - s2
        let a = states[lo], b = states[hi]
        let r = h00 * a.position + (h10 * h) * a.velocity + h01 * b.position + (h11 * h) * b.velocity
        let v = h00 * a.velocity + (h10 * h) * accelerations[lo] + h01 * b.velocity + (h11 * h) * accelerations[hi]
        return StateVector(position: r, velocity: v)
    }
}
