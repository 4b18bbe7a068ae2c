import Foundation

/// Runs sharing scenarios over one simulated flight. Every scenario sees the same radar reports (one seeded
/// stream per radar), so differences between scenarios come from the sharing alone.
///
/// The free-flight estimators use reports from `ballisticMargin` seconds after burnout on (the end of the
/// boost shows in the track as the acceleration stops); boost reports count only for detection.
public struct ScenarioRunner: Sendable {
    public var radars: [Radar]
    public var seed: UInt64
    /// Seconds between evaluations of the consumer's picture (nil: about 400 over the flight).
    public var evaluationStep: Double?
    public var ballisticMargin: Double
    public var initiator: TrackInitiator
    public var predictor: ImpactPredictor

    public init(radars: [Radar] = SensorCatalogue.all, seed: UInt64 = 1, evaluationStep: Double? = nil,
                ballisticMargin: Double = 5, initiator: TrackInitiator = TrackInitiator(),
                predictor: ImpactPredictor = ImpactPredictor()) {
        self.radars = radars
        self.seed = seed
        self.evaluationStep = evaluationStep
        self.ballisticMargin = ballisticMargin
        self.initiator = initiator
        self.predictor = predictor
    }

    /// Instants the summary tables use: a fixed list cut at impact, plus 30 s before impact.
    public static func reportTimes(flightTime: Double) -> [Double] {
        let terminal = (flightTime - 30).rounded(.down)
        return [30, 60, 90, 120, 150, 180, 240, 300, 450, 600, 900, 1200, 1800, 2400, 3000, 3600, 4200]
            .filter { $0 < terminal } + [terminal]
    }

    /// Runs `scenarios` over `trajectory`; `reportTimes` (s after launch) default to `reportTimes(flightTime:)`.
    public func run(_ trajectory: Trajectory, scenarios: [Scenario], reportTimes: [Double]? = nil)
        throws(TrackingError) -> SimulationReport
    {
        let nationOf = Dictionary(radars.map { ($0.id, $0.nation) }) { a, _ in a }
        let reports = MeasurementSimulator(seed: seed).measurements(of: trajectory, by: radars)
        let tBallistic = trajectory.burnoutTime + ballisticMargin
        let network = RadarNetwork(radars)
        let ballistic = reports.filter { $0.time >= tBallistic }
        let crlb = try CramerRaoBound(trajectory: trajectory, epoch: tBallistic, network: network,
                                      predictor: predictor)
        let info = Dictionary(zip(ballistic.map(CramerRaoBound.key), crlb.contributions(ballistic))) { a, _ in a }
        let step = evaluationStep ?? max(1, (trajectory.flightTime / 400).rounded())
        let grid = Array(stride(from: step, to: trajectory.impactTime, by: step))
        let context = Context(trajectory: trajectory, network: network, nationOf: nationOf, info: info, crlb: crlb,
                              grid: grid, tBallistic: tBallistic)
        var results: [ScenarioResult] = []
        for s in scenarios {
            let mine = reports.filter { s.nations.contains(nationOf[$0.radarID] ?? "") }
            let arrivals = mine.map { $0.time + s.delay(of: nationOf[$0.radarID]!) }
            var r = ScenarioResult(scenario: s, radarIDs: radars.filter { s.nations.contains($0.nation) }.map(\.id),
                                   firstDetection: arrivals.min(), trackStart: nil, timeline: [])
            switch s.fusion {
            case .measurement: centralised(s, mine.filter { $0.time >= tBallistic }, context, into: &r)
            case .trackCovarianceIntersection: trackFusion(s, mine.filter { $0.time >= tBallistic }, context, into: &r)
            }
            results.append(r)
        }
        return SimulationReport(trajectory: trajectory, scenarios: results,
                                reportTimes: (reportTimes ?? Self.reportTimes(flightTime: trajectory.flightTime))
                                    .filter { $0 > 0 && $0 < trajectory.flightTime })
    }

    struct Context {
        let trajectory: Trajectory
        let network: RadarNetwork
        let nationOf: [String: String]
        let info: [String: [Double]]
        let crlb: CramerRaoBound
        let grid: [Double]
        let tBallistic: Double
    }

    /// A local tracker: initiation on the first reports, then the EKF.
    struct Tracker {
        var pending: [Measurement] = []
        var filter: ExtendedKalmanFilter?
        var lastAttempt = 0

        mutating func ingest(_ m: Measurement, _ initiator: TrackInitiator, _ network: RadarNetwork) {
            if filter != nil {
                filter!.update(m, network: network)
                return
            }
            pending.append(m)
            // Retry initiation every few reports until the batch converges.
            guard initiator.isReady(pending), pending.count - lastAttempt >= 3 || lastAttempt == 0 else { return }
            lastAttempt = pending.count
            if let e = initiator.initiate(pending, network: network) {
                filter = ExtendedKalmanFilter(initial: e, propagator: initiator.batch.propagator)
            }
        }
    }

    private func centralised(_ s: Scenario, _ reports: [Measurement], _ c: Context, into r: inout ScenarioResult) {
        let queue = reports.map { ($0.time + s.delay(of: c.nationOf[$0.radarID]!), $0) }
            .sorted { ($0.0, $0.1.time) < ($1.0, $1.1.time) }
        var tracker = Tracker()
        var j = [Double](repeating: 0, count: 36)
        var next = 0
        var last: TimelinePoint?
        for t in c.grid {
            var changed = false
            while next < queue.count, queue[next].0 <= t {
                let m = queue[next].1
                tracker.ingest(m, initiator, c.network)
                if let add = c.info[CramerRaoBound.key(m)] { for k in 0..<36 { j[k] += add[k] } }
                next += 1
                changed = true
            }
            var p = TimelinePoint(time: t)
            if !changed, let last {
                p = last
                p.time = t
            } else {
                if let f = tracker.filter {
                    if r.trackStart == nil { r.trackStart = t }
                    describe(f.estimate, c, into: &p)
                }
                p.crlb = c.crlb.impactCovariance(information: j).map { max(0, $0.trace).squareRoot() }
            }
            r.timeline.append(p)
            last = p
        }
    }

    private func trackFusion(_ s: Scenario, _ reports: [Measurement], _ c: Context, into r: inout ScenarioResult) {
        // Each nation tracks its own reports as they are taken; its track reaches the consumer after its delay.
        var snapshots: [String: [(available: Double, estimate: BallisticEstimate)]] = [:]
        for nation in s.nations {
            var tracker = Tracker()
            let delay = s.delay(of: nation)
            var list: [(available: Double, estimate: BallisticEstimate)] = []
            for m in reports where c.nationOf[m.radarID] == nation {
                tracker.ingest(m, initiator, c.network)
                if let f = tracker.filter { list.append((m.time + delay, f.estimate)) }
            }
            snapshots[nation] = list
        }
        let arrivals = reports.map { ($0.time + s.delay(of: c.nationOf[$0.radarID]!), $0) }.sorted { $0.0 < $1.0 }
        var j = [Double](repeating: 0, count: 36)
        var next = 0
        var cursor = [String: Int]()
        var last: TimelinePoint?
        for t in c.grid {
            var changed = false
            while next < arrivals.count, arrivals[next].0 <= t {
                if let add = c.info[CramerRaoBound.key(arrivals[next].1)] { for k in 0..<36 { j[k] += add[k] } }
                next += 1
                changed = true
            }
            var tracks: [BallisticEstimate] = []
            for nation in s.nations {
                guard let list = snapshots[nation] else { continue }
                var i = cursor[nation] ?? -1
                while i + 1 < list.count, list[i + 1].available <= t { i += 1 }
                if i != (cursor[nation] ?? -1) { changed = true }
                cursor[nation] = i
                if i >= 0 { tracks.append(list[i].estimate) }
            }
            var p = TimelinePoint(time: t)
            if !changed, let last {
                p = last
                p.time = t
            } else {
                if !tracks.isEmpty {
                    let epoch = tracks.map(\.epoch).max()!
                    let aligned = tracks.map { $0.propagated(to: epoch, with: initiator.batch.propagator) }
                    if let fused = CovarianceIntersection.fuse(aligned) {
                        if r.trackStart == nil { r.trackStart = t }
                        describe(fused, c, into: &p)
                    }
                }
                p.crlb = c.crlb.impactCovariance(information: j).map { max(0, $0.trace).squareRoot() }
            }
            r.timeline.append(p)
            last = p
        }
    }

    /// Impact error, ellipse, apogee and range of an estimate. The estimate is first carried back to the start of
    /// free flight so that the predicted apogee is the whole arc's, wherever the epoch is.
    private func describe(_ e: BallisticEstimate, _ c: Context, into p: inout TimelinePoint) {
        let start = e.propagated(to: c.tBallistic, with: initiator.batch.propagator)
        guard let pred = predictor.predict(start) else { return }
        p.impactError = Geodesic.inverse(pred.point, c.trajectory.impact).distance
        let el = pred.ellipse(probability: 0.95)
        p.ellipseMajor = el.major
        p.ellipseMinor = el.minor
        p.predictedApogee = pred.apogee
        p.predictedRange = Geodesic.inverse(c.trajectory.launch, pred.point).distance
    }
}
