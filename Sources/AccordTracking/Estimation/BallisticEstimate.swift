import Foundation

/// An estimate of the free-flight state at an epoch: inertial position and velocity with its 6×6 covariance.
public struct BallisticEstimate: Sendable, Hashable {
    public var epoch: Double
    public var state: StateVector
    public var covariance: Matrix

    public init(epoch: Double, state: StateVector, covariance: Matrix) {
        self.epoch = epoch
        self.state = state
        self.covariance = covariance
    }

    /// The same estimate moved to another epoch along the deterministic free flight (P ← Φ P Φᵀ).
    public func propagated(to t: Double, with propagator: BallisticPropagator) -> BallisticEstimate {
        guard t != epoch else { return self }
        let (x, phi) = propagator.propagateWithSTM(state, by: t - epoch)
        return BallisticEstimate(epoch: t, state: x, covariance: phi.sandwich(covariance))
    }

    /// Normalised estimation error squared against the true state: (x̂ − x)ᵀ P⁻¹ (x̂ − x).
    public func nees(truth: StateVector) -> Double? {
        covariance.inverseQuadraticForm((state - truth).components)
    }
}

/// The radars an estimator knows: their frames and noise, looked up by id.
public struct RadarNetwork: Sendable {
    public struct Entry: Sendable {
        public let radar: Radar
        public let frame: RadarFrame
        public let variances: [Double]
    }

    public let entries: [String: Entry]

    public init(_ radars: [Radar]) {
        var e: [String: Entry] = [:]
        for r in radars { e[r.id] = Entry(radar: r, frame: r.frame, variances: r.noiseVariances) }
        entries = e
    }

    public subscript(id: String) -> Entry? { entries[id] }

    /// Innovation z − h(x), with the azimuth wrapped to (−π, π].
    static func residual(_ m: Measurement, _ h: (range: Double, azimuth: Double, elevation: Double)) -> [Double] {
        var da = m.azimuth - h.azimuth
        if da > .pi { da -= 2 * .pi }
        if da < -.pi { da += 2 * .pi }
        return [m.range - h.range, da, m.elevation - h.elevation]
    }

    /// ENU → inertial position of a report (noise-free inversion), for starting a track.
    func position(of m: Measurement) -> Vector3? {
        guard let e = self[m.radarID] else { return nil }
        let ce = cos(m.elevation)
        let d = (m.range * ce * sin(m.azimuth)) * e.frame.east + (m.range * ce * cos(m.azimuth)) * e.frame.north
            + (m.range * sin(m.elevation)) * e.frame.up
        return EarthFrame.eci(fromECEF: e.frame.position + d, at: m.time)
    }
}
