/// The consumer's picture at one instant of a scenario.
public struct TimelinePoint: Sendable, Hashable, Codable {
    /// Seconds after launch.
    public var time: Double
    /// Distance from the predicted to the true impact point, m (nil before a track exists).
    public var impactError: Double?
    /// 95 % error ellipse semi-axes, m.
    public var ellipseMajor: Double?
    public var ellipseMinor: Double?
    /// RMS impact-point miss distance allowed by the Cramér–Rao bound for the data arrived so far, m.
    public var crlb: Double?
    /// Predicted apogee (m) and range from the launch point to the predicted impact (m).
    public var predictedApogee: Double?
    public var predictedRange: Double?
}

/// What one scenario gives its consumer over the flight.
public struct ScenarioResult: Sendable, Hashable, Codable {
    public var scenario: Scenario
    public var radarIDs: [String]
    /// First report of any phase (boost included) to reach the consumer, s after launch.
    public var firstDetection: Double?
    /// First instant a free-flight track exists, s.
    public var trackStart: Double?
    public var timeline: [TimelinePoint]

    /// The first instant after which the predicted impact stays within `distance` (m) of the truth until
    /// impact; nil if it never does.
    public func firstWithin(_ distance: Double) -> Double? {
        var candidate: Double?
        for p in timeline {
            if let e = p.impactError, e <= distance {
                if candidate == nil { candidate = p.time }
            } else {
                candidate = nil
            }
        }
        return candidate
    }

    /// The timeline point at or just before `time` (the picture the consumer has then).
    public func point(at time: Double) -> TimelinePoint? {
        timeline.last { $0.time <= time + 1e-9 }
    }
}

/// A simulated flight and every scenario's result.
public struct SimulationReport: Sendable {
    public var trajectory: Trajectory
    public var scenarios: [ScenarioResult]
    /// The instants (s after launch) the summary tables use.
    public var reportTimes: [Double]
}
