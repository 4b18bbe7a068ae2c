import Foundation
import Testing
@testable import AccordTracking

@Suite struct FlightModelTests {
    static let pyongsong = GeodeticPoint(latitude: 39.282, longitude: 125.869)

    @Test func geodeticRoundTrip() {
        let p = GeodeticPoint(latitude: 39.3, longitude: 125.9, altitude: 123_456)
        let q = GeodeticPoint(ecef: p.ecef)
        #expect(abs(q.latitude - p.latitude) < 1e-9)
        #expect(abs(q.longitude - p.longitude) < 1e-9)
        #expect(abs(q.altitude - p.altitude) < 1e-4)
    }

    @Test func vincentyMatchesKnownDistance() {
        // Flinders Peak to Buninyong (Vincenty 1975): 54 972.271 m, initial bearing 306° 52′ 05.37″.
        let p = GeodeticPoint(latitude: -(37 + 57 / 60.0 + 3.72030 / 3600), longitude: 144 + 25 / 60.0 + 29.52440 / 3600)
        let q = GeodeticPoint(latitude: -(37 + 39 / 60.0 + 10.15610 / 3600), longitude: 143 + 55 / 60.0 + 35.38390 / 3600)
        let g = Geodesic.inverse(p, q)
        #expect(abs(g.distance - 54_972.271) < 0.01)
        #expect(abs(g.bearing - (306 + 52 / 60.0 + 5.37 / 3600)) < 1e-4)
    }

    /// RK4 against the closed-form two-body solution over a Hwasong-15-like arc: the measured error.
    @Test func integratorErrorAgainstKepler() {
        let r0 = Self.pyongsong.ecef
        let up = r0.unit
        let east = Vector3(0, 0, 1).cross(up).unit
        let s0 = StateVector(position: r0 + 300_000 * up, velocity: 6_500 * up + 700 * east)
        let exact = KeplerReference.propagate(s0, by: 2_800)
        for (step, bound) in [(2.0, 1e-3), (10.0, 0.05), (20.0, 0.5)] {
            let p = BallisticPropagator(gravity: .pointMass, maxStep: step).propagate(s0, by: 2_800)
            let err = (p.position - exact.position).norm
            #expect(err < bound, "RK4 step \(step) s: position error \(err) m")
            print("RK4 step \(step) s: position error after 2800 s \(err) m")
        }
    }

    /// Energy and angular momentum drift in the inertial frame: with J2 the energy and h_z are conserved;
    /// with a point mass all of h is.
    @Test func energyAndAngularMomentumDrift() throws {
        let traj = try TrajectorySolver().solve(launch: Self.pyongsong, azimuth: 80, apogee: 4_475_000, range: 950_000)
        let g = Gravity.wgs84
        let i0 = traj.times.firstIndex { $0 > traj.burnoutTime + 1 }!
        let e0 = g.energy(traj.states[i0])
        let hz0 = traj.states[i0].position.cross(traj.states[i0].velocity).z
        var maxE = 0.0, maxH = 0.0
        for s in traj.states[i0...] {
            maxE = max(maxE, abs(g.energy(s) - e0) / abs(e0))
            maxH = max(maxH, abs(s.position.cross(s.velocity).z - hz0) / abs(hz0))
        }
        #expect(maxE < 1e-10, "relative energy drift \(maxE)")
        #expect(maxH < 1e-10, "relative h_z drift \(maxH)")
        let pm = BallisticPropagator(gravity: .pointMass, maxStep: 10)
        var s = traj.states[i0]
        let h0 = s.position.cross(s.velocity)
        let pe0 = Gravity.pointMass.energy(s)
        var maxHv = 0.0, maxPE = 0.0
        for _ in 0..<300 {
            s = pm.propagate(s, by: 10)
            maxHv = max(maxHv, (s.position.cross(s.velocity) - h0).norm / h0.norm)
            maxPE = max(maxPE, abs(Gravity.pointMass.energy(s) - pe0) / abs(pe0))
        }
        #expect(maxHv < 1e-10, "point mass: relative |Δh| \(maxHv)")
        #expect(maxPE < 2e-9, "point mass: relative energy drift \(maxPE)")
        print("drift: truth (2 s steps) energy \(maxE) h_z \(maxH); propagator (10 s steps) energy \(maxPE) |h| \(maxHv)")
    }

    @Test func solvesHwasong15() throws {
        let traj = try TrajectorySolver().solve(launch: Self.pyongsong, azimuth: 80, apogee: 4_475_000, range: 950_000)
        #expect(abs(traj.apogee - 4_475_000) < 10)
        #expect(abs(traj.groundRange - 950_000) < 10)
        #expect(abs(traj.bearing - 80) < 1e-4)
        let srbm = try TrajectorySolver().solve(launch: Self.pyongsong, azimuth: 90, apogee: 50_000, range: 400_000)
        #expect(abs(srbm.apogee - 50_000) < 10)
        #expect(abs(srbm.groundRange - 400_000) < 10)
    }
}
