import Foundation

/// One row of the public launch record (`reference/launches.csv`): what was reported, with empty cells as nil.
public struct LaunchRecord: Sendable, Hashable, Codable {
    public var date: String
    public var missile: String
    public var site: String
    public var latitude: Double?
    public var longitude: Double?
    /// Reported apogee, km.
    public var apogeeKm: Double?
    /// Reported ground range, km.
    public var rangeKm: Double?
    /// Reported flight time, s.
    public var flightTime: Double?
    public var source: String

    public init(date: String, missile: String, site: String, latitude: Double?, longitude: Double?,
                apogeeKm: Double?, rangeKm: Double?, flightTime: Double?, source: String) {
        self.date = date
        self.missile = missile
        self.site = site
        self.latitude = latitude
        self.longitude = longitude
        self.apogeeKm = apogeeKm
        self.rangeKm = rangeKm
        self.flightTime = flightTime
        self.source = source
    }

    static let header = ["date", "missile", "launch_site", "launch_lat", "launch_lon", "apogee_km", "range_km",
                         "flight_time_s", "source"]

    /// Parses the CSV text (header line first). Rows are bounded: at most 10 000, each with exactly nine cells.
    public static func parse(csv text: String) throws(TrackingError) -> [LaunchRecord] {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        guard let first = lines.first, cells(first) == header else {
            throw .invalidInput("launches CSV: the header must be \(header.joined(separator: ","))")
        }
        guard lines.count <= 10_001 else { throw .invalidInput("launches CSV: more than 10 000 rows") }
        var out: [LaunchRecord] = []
        for (n, line) in lines.dropFirst().enumerated() {
            let c = cells(line)
            guard c.count == header.count else {
                throw .invalidInput("launches CSV row \(n + 2): \(c.count) cells, expected \(header.count)")
            }
            func number(_ i: Int) throws(TrackingError) -> Double? {
                if c[i].isEmpty { return nil }
                guard let v = Double(c[i]), v.isFinite else {
                    throw .invalidInput("launches CSV row \(n + 2): \(header[i]) is not a number")
                }
                return v
            }
            out.append(LaunchRecord(date: c[0], missile: c[1], site: c[2], latitude: try number(3),
                                    longitude: try number(4), apogeeKm: try number(5), rangeKm: try number(6),
                                    flightTime: try number(7), source: c[8]))
        }
        return out
    }

    /// Splits one CSV line, honouring double-quoted cells.
    static func cells(_ line: String) -> [String] {
        var out: [String] = []
        var cell = ""
        var quoted = false
        var chars = line.makeIterator()
        while let ch = chars.next() {
            if ch == "\"" {
                quoted.toggle()
            } else if ch == "," && !quoted {
                out.append(cell)
                cell = ""
            } else {
                cell.append(ch)
            }
        }
        out.append(cell)
        return out.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

/// A reported launch flown again by the model from its apogee and range.
public struct LaunchReproduction: Sendable, Hashable {
    public var record: LaunchRecord
    /// The launch point used (the record's, or `defaultSite` where the record names only an area).
    public var launch: GeodeticPoint
    public var usedDefaultSite: Bool
    /// Vacuum Kepler time from the surface of a non-rotating sphere (the reference note's formula), s.
    public var keplerTime: Double
    /// This model's flight time (boost, rotating ellipsoidal Earth, J2), s.
    public var modelTime: Double
    public var burnoutTime: Double
    /// Apogee of the minimum-energy arc for the reported range, km.
    public var minimumEnergyApogeeKm: Double
    /// Reported time / model time, when a time was reported.
    public var ratio: Double? { record.flightTime.map { $0 / modelTime } }

    /// The assessment the reference note suggests: a reported time far from the ballistic one, or an apogee far
    /// below the minimum-energy apogee, marks a depressed or manoeuvring flight (or bad data).
    public var assessment: String {
        let depressed = (record.apogeeKm ?? 0) < 0.5 * minimumEnergyApogeeKm
        if let r = ratio {
            if r < 0.95 || r > 1.15 { return depressed ? "not ballistic (depressed, time too long)" : "time disagrees" }
            return depressed ? "depressed; time consistent" : "consistent"
        }
        return depressed ? "depressed arc (no reported time)" : "no reported time"
    }

    /// Launches whose record names only an area: Pyongyang International Airport (Sunan), as in the CNS rows.
    public static let defaultSite = GeodeticPoint(latitude: 39.200159, longitude: 125.673256)
    /// Bearing used for every launch (the record has none): east-north-east, into the Sea of Japan.
    public static let defaultAzimuth = 80.0

    /// Reproduces each record that has both apogee and range; the others are skipped.
    public static func reproduce(_ records: [LaunchRecord], solver: TrajectorySolver = TrajectorySolver())
        throws(TrackingError) -> [LaunchReproduction]
    {
        var out: [LaunchReproduction] = []
        for rec in records {
            guard let h = rec.apogeeKm, let d = rec.rangeKm else { continue }
            let known = rec.latitude != nil && rec.longitude != nil
            let site = known ? GeodeticPoint(latitude: rec.latitude!, longitude: rec.longitude!) : defaultSite
            let traj = try solver.solve(launch: site, azimuth: defaultAzimuth, apogee: h * 1000, range: d * 1000)
            out.append(LaunchReproduction(
                record: rec, launch: site, usedDefaultSite: !known,
                keplerTime: KeplerReference.flightTime(apogee: h * 1000, range: d * 1000),
                modelTime: traj.flightTime, burnoutTime: traj.burnoutTime,
                minimumEnergyApogeeKm: KeplerReference.minimumEnergyApogee(range: d * 1000) / 1000))
        }
        return out
    }
}
