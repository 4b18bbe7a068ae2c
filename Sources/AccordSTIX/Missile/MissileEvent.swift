import AccordCore

/// A ballistic missile launch as one party detected and estimated it, carried as the
/// `x-accord-missile-event` SDO of ``MissileEventExtension``. Every value is checked in `init`.
public struct MissileEvent: Hashable, Sendable {
    /// A point on the WGS 84 ellipsoid, in degrees.
    public struct GeoPoint: Hashable, Sendable {
        /// Degrees north, -90 to 90.
        public let latitude: Double
        /// Degrees east, -180 to 180.
        public let longitude: Double

        /// A point; out-of-range or non-finite coordinates are refused.
        public init(latitude: Double, longitude: Double) throws(STIXError) {
            guard latitude.isFinite, (-90...90).contains(latitude) else {
                throw STIXError(.invalidEvent, field: "latitude", "must be a number from -90 to 90, not \(latitude)")
            }
            guard longitude.isFinite, (-180...180).contains(longitude) else {
                throw STIXError(.invalidEvent, field: "longitude", "must be a number from -180 to 180, not \(longitude)")
            }
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    /// One estimated point of the flight.
    public struct Sample: Hashable, Sendable {
        /// When.
        public let time: STIXTimestamp
        /// Where over the ground.
        public let point: GeoPoint
        /// Height above the ellipsoid, km (0 to 10,000).
        public let altitudeKm: Double

        /// A sample; the altitude must be finite and from 0 to 10,000 km.
        public init(time: STIXTimestamp, point: GeoPoint, altitudeKm: Double) throws(STIXError) {
            guard altitudeKm.isFinite, (0...10_000).contains(altitudeKm) else {
                throw STIXError(.invalidEvent, field: "altitude_km", "must be a number from 0 to 10000, not \(altitudeKm)")
            }
            self.time = time
            self.point = point
            self.altitudeKm = altitudeKm
        }
    }

    /// Where the missile is predicted to come down, with the uncertainty ellipse.
    public struct ImpactPrediction: Hashable, Sendable {
        /// The predicted impact point.
        public let point: GeoPoint
        /// The predicted impact time, if estimated.
        public let time: STIXTimestamp?
        /// The ellipse's semi-major axis, km.
        public let semiMajorAxisKm: Double
        /// The ellipse's semi-minor axis, km (at most the semi-major axis).
        public let semiMinorAxisKm: Double
        /// The major axis's direction, degrees clockwise from true north, 0 ≤ x < 180.
        public let orientationDeg: Double
        /// The probability that the impact lies inside the ellipse, 0 < x < 1.
        public let confidence: Double

        /// A prediction; the ellipse and confidence are checked.
        public init(point: GeoPoint, time: STIXTimestamp? = nil, semiMajorAxisKm: Double, semiMinorAxisKm: Double,
                    orientationDeg: Double, confidence: Double) throws(STIXError) {
            guard semiMinorAxisKm.isFinite, semiMajorAxisKm.isFinite, semiMinorAxisKm >= 0, semiMajorAxisKm <= 20_000 else {
                throw STIXError(.invalidEvent, field: "semi_minor_axis_km", "axes must be finite, from 0 to 20000 km")
            }
            guard semiMajorAxisKm >= semiMinorAxisKm else {
                throw STIXError(.invalidEvent, field: "semi_major_axis_km", "\(semiMajorAxisKm) is shorter than the semi-minor axis \(semiMinorAxisKm)")
            }
            guard orientationDeg.isFinite, orientationDeg >= 0, orientationDeg < 180 else {
                throw STIXError(.invalidEvent, field: "orientation_deg", "must be from 0 (inclusive) to 180 (exclusive), not \(orientationDeg)")
            }
            guard confidence.isFinite, confidence > 0, confidence < 1 else {
                throw STIXError(.invalidEvent, field: "confidence", "must be a probability strictly between 0 and 1, not \(confidence)")
            }
            self.point = point
            self.time = time
            self.semiMajorAxisKm = semiMajorAxisKm
            self.semiMinorAxisKm = semiMinorAxisKm
            self.orientationDeg = orientationDeg
            self.confidence = confidence
        }
    }

    /// Most trajectory samples accepted in one event.
    public static let maximumSamples = 10_000

    /// The SDO's identifier (type `x-accord-missile-event`).
    public let id: STIXIdentifier
    /// When this estimate was first made.
    public let created: STIXTimestamp
    /// When this version of the estimate was made.
    public let modified: STIXTimestamp
    /// A short name (`KN-23 launch, Sea of Japan`), if any.
    public let name: String?
    /// The party whose sensors detected it; the object's `created_by_ref` is that party's identity.
    public let detectingParty: PartyCode
    /// Launch time.
    public let launchTime: STIXTimestamp
    /// Launch point.
    public let launchPoint: GeoPoint
    /// Estimated trajectory, oldest first.
    public let trajectory: [Sample]
    /// Apogee, km above the ellipsoid.
    public let apogeeKm: Double
    /// Ground range from launch point to impact, km.
    public let rangeKm: Double
    /// Predicted impact, if estimated.
    public let impact: ImpactPrediction?
    /// The markings (label marking definitions) applied to the event.
    public let objectMarkingRefs: [STIXIdentifier]

    /// An event; times must be ordered (`modified ≥ created`, samples strictly increasing and not
    /// before launch, impact after launch) and distances finite and non-negative.
    public init(
        id: STIXIdentifier, created: STIXTimestamp, modified: STIXTimestamp? = nil, name: String? = nil,
        detectingParty: PartyCode, launchTime: STIXTimestamp, launchPoint: GeoPoint, trajectory: [Sample] = [],
        apogeeKm: Double, rangeKm: Double, impact: ImpactPrediction? = nil, objectMarkingRefs: [STIXIdentifier] = []
    ) throws(STIXError) {
        guard id.type == MissileEventExtension.type else {
            throw STIXError(.invalidIdentifier, field: "id", "must be an \(MissileEventExtension.type) identifier, not a \(id.type)")
        }
        let modified = modified ?? created
        guard modified >= created else { throw STIXError(.invalidTimestamp, field: "modified", "\(modified) is before created \(created)") }
        guard trajectory.count <= Self.maximumSamples else {
            throw STIXError(.tooLarge, field: "trajectory", "has \(trajectory.count) samples; at most \(Self.maximumSamples)")
        }
        var previous: STIXTimestamp?
        for (index, sample) in trajectory.enumerated() {
            guard sample.time >= launchTime else {
                throw STIXError(.invalidEvent, field: "trajectory[\(index)].time", "\(sample.time) is before the launch at \(launchTime)")
            }
            if let previous, sample.time <= previous {
                throw STIXError(.invalidEvent, field: "trajectory[\(index)].time", "\(sample.time) does not come after the previous sample \(previous)")
            }
            previous = sample.time
        }
        guard apogeeKm.isFinite, (0...10_000).contains(apogeeKm) else {
            throw STIXError(.invalidEvent, field: "apogee_km", "must be a number from 0 to 10000, not \(apogeeKm)")
        }
        guard rangeKm.isFinite, (0...25_000).contains(rangeKm) else {
            throw STIXError(.invalidEvent, field: "range_km", "must be a number from 0 to 25000, not \(rangeKm)")
        }
        if let time = impact?.time, time < launchTime {
            throw STIXError(.invalidEvent, field: "predicted_impact.time", "\(time) is before the launch at \(launchTime)")
        }
        if let name, name.isEmpty || name.utf8.count > 1024 {
            throw STIXError(.invalidEvent, field: "name", "must be 1 to 1024 bytes")
        }
        self.id = id
        self.created = created
        self.modified = modified
        self.name = name
        self.detectingParty = detectingParty
        self.launchTime = launchTime
        self.launchPoint = launchPoint
        self.trajectory = trajectory
        self.apogeeKm = apogeeKm
        self.rangeKm = rangeKm
        self.impact = impact
        self.objectMarkingRefs = objectMarkingRefs
    }

    /// A deterministic identifier for the launch a party saw at `launchTime`: every node names the same event alike.
    public static func makeID(detectingParty: PartyCode, launchTime: STIXTimestamp) -> STIXIdentifier {
        .named(type: MissileEventExtension.type, namespace: AccordSTIXIdentity.namespace,
               name: "missile-event:\(detectingParty.rawValue):\(launchTime.seconds).\(launchTime.nanoseconds)")
    }
}
