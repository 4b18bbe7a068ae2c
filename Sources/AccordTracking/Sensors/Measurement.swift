import Foundation

/// One radar report: the time it was taken, the radar, and the measured range (m), azimuth and elevation (rad).
public struct Measurement: Sendable, Hashable, Codable {
    public var time: Double
    public var radarID: String
    public var range: Double
    public var azimuth: Double
    public var elevation: Double

    public init(time: Double, radarID: String, range: Double, azimuth: Double, elevation: Double) {
        self.time = time
        self.radarID = radarID
        self.range = range
        self.azimuth = azimuth
        self.elevation = elevation
    }

    public var vector: [Double] { [range, azimuth, elevation] }
}

/// Simulates radar reports of a flight with Gaussian noise from a seeded generator. Each radar has its own
/// stream (seed, radar id), so adding or removing a radar never changes the others' reports.
public struct MeasurementSimulator: Sendable {
    public var seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// Reports of `radar` over the whole flight (boost included), in time order. The first report falls at a
    /// random phase within the radar's interval.
    public func measurements(of trajectory: Trajectory, by radar: Radar) -> [Measurement] {
        var rng = SeededGenerator(seed: seed, stream: radar.id)
        let frame = radar.frame
        var out: [Measurement] = []
        var t = rng.nextUniform() * radar.interval
        while t < trajectory.impactTime {
            let r = trajectory.state(at: t).position
            if radar.canSee(r, at: t, frame: frame) {
                let m = frame.measure(r, at: t)
                var az = m.azimuth + radar.angleSigma * rng.nextGaussian()
                az = az.truncatingRemainder(dividingBy: 2 * .pi)
                if az < 0 { az += 2 * .pi }
                out.append(Measurement(time: t, radarID: radar.id, range: m.range + radar.rangeSigma * rng.nextGaussian(),
                                       azimuth: az, elevation: m.elevation + radar.angleSigma * rng.nextGaussian()))
            } else {
                // Keep the streams aligned whether or not the target is visible.
                _ = (rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian())
            }
            t += radar.interval
        }
        return out
    }

    /// Reports of several radars merged in time order.
    public func measurements(of trajectory: Trajectory, by radars: [Radar]) -> [Measurement] {
        radars.flatMap { measurements(of: trajectory, by: $0) }.sorted { ($0.time, $0.radarID) < ($1.time, $1.radarID) }
    }
}
