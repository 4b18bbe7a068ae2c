import AccordTracking

/// The JSON shape of `accord track simulate --json` (keys are part of the interface).
struct SimulationJSON: Encodable {
    struct Point: Encodable {
        var lat: Double
        var lon: Double
    }

    struct ScenarioJSON: Encodable {
        var name: String
        var consumer: String
        var nations: [String]
        var fusion: String
        var radars: [String]
        var delays_s: [String: Double]
        var first_detection_s: Double?
        var track_start_s: Double?
        /// First time after which the predicted impact stays within 50 km / 10 km of the truth.
        var first_within_50km_s: Double?
        var first_within_10km_s: Double?
        /// Warning time: impact time minus the above.
        var warning_50km_s: Double?
        var warning_10km_s: Double?
        /// Arrays aligned with report_times_s (null before a track exists).
        var impact_error_km: [Double?]
        var crlb_km: [Double?]
        var ellipse95_km: [[Double]?]
        var apogee_estimate_km: [Double?]
        var range_estimate_km: [Double?]

        enum CodingKeys: String, CodingKey {
            case name, consumer, nations, fusion, radars, delays_s, first_detection_s, track_start_s
            case first_within_50km_s, first_within_10km_s, warning_50km_s, warning_10km_s
            case impact_error_km, crlb_km, ellipse95_km, apogee_estimate_km, range_estimate_km
        }

        /// Absent values are written as null, so every key is always there.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(consumer, forKey: .consumer)
            try c.encode(nations, forKey: .nations)
            try c.encode(fusion, forKey: .fusion)
            try c.encode(radars, forKey: .radars)
            try c.encode(delays_s, forKey: .delays_s)
            try c.encode(first_detection_s, forKey: .first_detection_s)
            try c.encode(track_start_s, forKey: .track_start_s)
            try c.encode(first_within_50km_s, forKey: .first_within_50km_s)
            try c.encode(first_within_10km_s, forKey: .first_within_10km_s)
            try c.encode(warning_50km_s, forKey: .warning_50km_s)
            try c.encode(warning_10km_s, forKey: .warning_10km_s)
            try c.encode(impact_error_km, forKey: .impact_error_km)
            try c.encode(crlb_km, forKey: .crlb_km)
            try c.encode(ellipse95_km, forKey: .ellipse95_km)
            try c.encode(apogee_estimate_km, forKey: .apogee_estimate_km)
            try c.encode(range_estimate_km, forKey: .range_estimate_km)
        }
    }

    var launch: Point
    var azimuth_deg: Double
    var apogee_km: Double
    var range_km: Double
    var flight_time_s: Double
    var burnout_s: Double
    var impact: Point
    var seed: UInt64
    var link_latency_s: Double
    var relay_delay_s: Double
    var report_times_s: [Double]
    var scenarios: [ScenarioJSON]
    /// Present with --runs above 1.
    var monte_carlo: [MonteCarloJSON]?

    init(_ report: SimulationReport, azimuth: Double, seed: UInt64, relayDelay: Double, linkLatency: Double) {
        let t = report.trajectory
        launch = Point(lat: t.launch.latitude, lon: t.launch.longitude)
        azimuth_deg = azimuth
        apogee_km = t.apogee / 1000
        range_km = t.groundRange / 1000
        flight_time_s = t.flightTime
        burnout_s = t.burnoutTime
        impact = Point(lat: t.impact.latitude, lon: t.impact.longitude)
        self.seed = seed
        link_latency_s = linkLatency
        relay_delay_s = relayDelay
        report_times_s = report.reportTimes
        scenarios = report.scenarios.map { r in
            let points = report.reportTimes.map { r.point(at: $0) }
            let w50 = r.firstWithin(50_000), w10 = r.firstWithin(10_000)
            var delays: [String: Double] = [:]
            for n in r.scenario.nations { delays[n] = r.scenario.delay(of: n) }
            return ScenarioJSON(
                name: r.scenario.name, consumer: r.scenario.consumer, nations: r.scenario.nations,
                fusion: r.scenario.fusion.rawValue, radars: r.radarIDs, delays_s: delays,
                first_detection_s: r.firstDetection, track_start_s: r.trackStart,
                first_within_50km_s: w50, first_within_10km_s: w10,
                warning_50km_s: w50.map { t.flightTime - $0 }, warning_10km_s: w10.map { t.flightTime - $0 },
                impact_error_km: points.map { $0?.impactError.map { $0 / 1000 } },
                crlb_km: points.map { $0?.crlb.map { $0 / 1000 } },
                ellipse95_km: points.map { p in
                    guard let a = p?.ellipseMajor, let b = p?.ellipseMinor else { return nil }
                    return [a / 1000, b / 1000]
                },
                apogee_estimate_km: points.map { $0?.predictedApogee.map { $0 / 1000 } },
                range_estimate_km: points.map { $0?.predictedRange.map { $0 / 1000 } })
        }
    }
}

/// One scenario's Monte-Carlo summary in `accord track simulate --runs N --json`.
struct MonteCarloJSON: Encodable {
    var name: String
    var runs: Int
    var median_first_detection_s: Double?
    var median_track_start_s: Double?
    var median_first_within_50km_s: Double?
    var median_first_within_10km_s: Double?
    var runs_within_10km: Int
    var rms_impact_error_km: [Double?]
    var mean_crlb_km: [Double?]

    init(_ s: MonteCarloSummary) {
        name = s.scenario.name
        runs = s.runs
        median_first_detection_s = s.medianFirstDetection
        median_track_start_s = s.medianTrackStart
        median_first_within_50km_s = s.medianWithin50km
        median_first_within_10km_s = s.medianWithin10km
        runs_within_10km = s.runsWithin10km
        rms_impact_error_km = s.rmsImpactError.map { $0.map { $0 / 1000 } }
        mean_crlb_km = s.meanCRLB.map { $0.map { $0 / 1000 } }
    }
}
