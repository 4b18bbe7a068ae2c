import Foundation

/// Integrates a flight from lift-off to impact: the boost (rocket equation and pitch program) and then free
/// flight under J2 gravity, in the inertial frame, with fixed-step RK4 (0.5 s in boost, 2 s in free flight).
/// Impact is where the height above the ellipsoid reaches zero, found by the secant method on a partial step.
public struct FlightSimulator: Sendable {
    public var gravity: Gravity
    public var boostStep: Double
    public var coastStep: Double
    public var maxFlightTime: Double

    public init(gravity: Gravity = .wgs84, boostStep: Double = 0.5, coastStep: Double = 2, maxFlightTime: Double = 20_000) {
        self.gravity = gravity
        self.boostStep = boostStep
        self.coastStep = coastStep
        self.maxFlightTime = maxFlightTime
    }

    /// Flies the missile.
    /// - Parameters:
    ///   - thrustAzimuth: degrees from north of the thrust plane, at the launch site.
    ///   - finalPitch: degrees above the launch horizontal of the thrust at burnout.
    ///   - deltaV: ideal velocity of the burn, m/s.
    public func fly(from launch: GeodeticPoint, thrustAzimuth: Double, finalPitch: Double, deltaV: Double,
                    boost: BoostModel) throws(TrackingError) -> Trajectory {
        guard deltaV > 0, deltaV < 12_000, finalPitch > 0, finalPitch <= 90 else {
            throw .invalidInput("boost out of range: Δv \(deltaV) m/s, pitch \(finalPitch)°")
        }
        let site = GeodeticPoint(latitude: launch.latitude, longitude: launch.longitude, altitude: 0)
        let r0 = site.ecef
        let (east, north, up) = site.enuBasis
        let az = thrustAzimuth * .pi / 180
        let horizontal = sin(az) * east + cos(az) * north
        let tb = boost.burnTime(deltaV: deltaV)
        let pitchF = finalPitch * .pi / 180

        // `powered` holds for a whole boost step, including its end point at burnout.
        func accel(_ t: Double, _ r: Vector3, _ powered: Bool) -> Vector3 {
            let a = gravity.acceleration(r)
            guard powered else { return a }
            let thrust = boost.thrustAcceleration(at: min(t, tb * (1 - 1e-15)), burnTime: tb)
            let p = boost.pitch(at: t, burnTime: tb, finalPitch: pitchF)
            return a + thrust * (cos(p) * horizontal + sin(p) * up)
        }
        func step(_ t: Double, _ s: StateVector, _ h: Double, _ powered: Bool = false) -> StateVector {
            let a1 = accel(t, s.position, powered)
            let r2 = s.position + (0.5 * h) * s.velocity, v2 = s.velocity + (0.5 * h) * a1
            let a2 = accel(t + 0.5 * h, r2, powered)
            let r3 = s.position + (0.5 * h) * v2, v3 = s.velocity + (0.5 * h) * a2
            let a3 = accel(t + 0.5 * h, r3, powered)
            let r4 = s.position + h * v3, v4 = s.velocity + h * a3
            let a4 = accel(t + h, r4, powered)
            return StateVector(position: s.position + (h / 6) * (s.velocity + 2 * v2 + 2 * v3 + v4),
                               velocity: s.velocity + (h / 6) * (a1 + 2 * a2 + 2 * a3 + a4))
        }

        var times = [0.0]
        var states = [StateVector(position: r0, velocity: EarthFrame.inertialVelocity(ofFixed: r0, at: 0))]
        var accs = [accel(0, r0, true)]
        // Boost: whole steps up to burnout, then a node exactly at burnout (stored twice, before/after cut-off).
        var t = 0.0
        while t < tb {
            let h = min(boostStep, tb - t)
            let s = step(t, states[states.count - 1], h, true)
            t = (tb - t - h) < 1e-9 ? tb : t + h
            times.append(t)
            states.append(s)
            accs.append(accel(t, s.position, true))
            if EarthFrame.altitude(ofECI: s.position, at: t) < -1 {
                throw .noImpact("the boost does not climb: pitch \(finalPitch)° with Δv \(deltaV) m/s")
            }
        }
        times.append(tb)
        states.append(states[states.count - 1])
        accs.append(gravity.acceleration(states[states.count - 1].position))
        // Free flight until the height above the ellipsoid crosses zero.
        var s = states[states.count - 1]
        var hPrev = EarthFrame.altitude(ofECI: s.position, at: t)
        while true {
            let next = step(t, s, coastStep)
            let hNext = EarthFrame.altitude(ofECI: next.position, at: t + coastStep)
            if hNext <= 0 {
                let (tc, sc) = crossing(t, s, hPrev, coastStep, hNext) { step($0, $1, $2, $3) }
                times.append(tc)
                states.append(sc)
                accs.append(gravity.acceleration(sc.position))
                break
            }
            t += coastStep
            s = next
            hPrev = hNext
            times.append(t)
            states.append(s)
            accs.append(gravity.acceleration(s.position))
            if t > maxFlightTime || gravity.energy(s) >= 0 {
                throw .noImpact("no impact within \(Int(maxFlightTime)) s (Δv \(Int(deltaV)) m/s)")
            }
        }
        return Trajectory(launch: site, times: times, states: states, accelerations: accs, burnoutTime: tb,
                          boost: boost, deltaV: deltaV, finalPitch: finalPitch, thrustAzimuth: thrustAzimuth)
    }

    /// Time and state where the height crosses zero inside one step (secant on the partial step length).
    private func crossing(_ t: Double, _ s: StateVector, _ h0: Double, _ dt: Double, _ h1: Double,
                          _ step: (Double, StateVector, Double, Bool) -> StateVector) -> (Double, StateVector) {
        var (a, fa) = (0.0, h0)
        var (b, fb) = (dt, h1)
        var x = b
        var sx = s
        for _ in 0..<30 {
            x = b - fb * (b - a) / (fb - fa)
            if !(x > 0 && x < dt) { x = 0.5 * (a + b) }
            sx = step(t, s, x, false)
            let fx = EarthFrame.altitude(ofECI: sx.position, at: t + x)
            if abs(fx) < 1e-4 { break }
            (a, fa) = (b, fb)
            (b, fb) = (x, fx)
        }
        return (t + x, sx)
    }
}
