import Foundation
import Testing
@testable import AccordTracking

@Suite struct SensorTests {
    static let hs15 = try! TrajectorySolver().solve(launch: FlightModelTests.pyongsong, azimuth: 80, apogee: 4_475_000,
                                                     range: 950_000)

    @Test func jacobianMatchesFiniteDifferences() {
        let radar = SensorCatalogue.all.first { $0.id == "US-TPY2-SHARIKI" }!
        let frame = radar.frame
        let t = 1_234.5
        let r = Self.hs15.state(at: t).position
        let jac = frame.jacobian(r, at: t)
        let m0 = frame.measure(r, at: t)
        for j in 0..<3 {
            var rp = r, rm = r
            rp[j] += 1
            rm[j] -= 1
            let p = frame.measure(rp, at: t), m = frame.measure(rm, at: t)
            let fd = [(p.range - m.range) / 2, (p.azimuth - m.azimuth) / 2, (p.elevation - m.elevation) / 2]
            for i in 0..<3 { #expect(abs(jac[i, j] - fd[i]) < 1e-9 + 1e-6 * abs(fd[i])) }
        }
        #expect(m0.range > 0)
    }

    @Test func horizonAndRangeLimitVisibility() {
        let kr = SensorCatalogue.all.first { $0.id == "KR-GP-C" }!
        let frame = kr.frame
        // On the launch pad, 330 km away and below the horizon: invisible; high in boost: visible.
        #expect(!kr.canSee(Self.hs15.state(at: 0).position, at: 0, frame: frame))
        #expect(kr.canSee(Self.hs15.state(at: 150).position, at: 150, frame: frame))
        // Near apogee (4 475 km up) it is beyond 800 km.
        #expect(!kr.canSee(Self.hs15.state(at: Self.hs15.apogeeTime).position, at: Self.hs15.apogeeTime, frame: frame))
    }

    @Test func measurementsAreSeededAndHaveTheStatedNoise() {
        let radar = SensorCatalogue.all.first { $0.id == "US-TPY2-SHARIKI" }!
        let a = MeasurementSimulator(seed: 7).measurements(of: Self.hs15, by: radar)
        let b = MeasurementSimulator(seed: 7).measurements(of: Self.hs15, by: radar)
        let c = MeasurementSimulator(seed: 8).measurements(of: Self.hs15, by: radar)
        #expect(a == b)
        #expect(a != c)
        #expect(a.count > 100)
        let frame = radar.frame
        var sr = 0.0, se = 0.0
        for m in a {
            let truth = frame.measure(Self.hs15.state(at: m.time).position, at: m.time)
            sr += (m.range - truth.range) * (m.range - truth.range)
            se += (m.elevation - truth.elevation) * (m.elevation - truth.elevation)
        }
        let n = Double(a.count)
        #expect(abs((sr / n).squareRoot() / radar.rangeSigma - 1) < 0.15)
        #expect(abs((se / n).squareRoot() / radar.angleSigma - 1) < 0.15)
    }
}
