/// How a consumer combines its own and its partners' data.
public enum FusionMethod: String, Sendable, Hashable, Codable {
    /// Every radar report goes to one estimator (centralised measurement fusion): the optimum.
    case measurement
    /// Each nation tracks with its own reports; the consumer fuses the tracks by covariance intersection.
    case trackCovarianceIntersection = "track-ci"
}

/// One sharing arrangement, evaluated from the consumer's side: whose radars contribute, how the data are
/// combined, and how late each nation's data reach the consumer.
public struct Scenario: Sendable, Hashable, Codable {
    public var name: String
    /// The nation whose picture is evaluated (its own data arrive without added delay).
    public var consumer: String
    /// Nations whose radars contribute.
    public var nations: [String]
    public var fusion: FusionMethod
    /// Added delay (s) of each nation's data on the way to the consumer; missing means 0.
    public var delays: [String: Double]

    public init(name: String, consumer: String, nations: [String], fusion: FusionMethod = .measurement,
                delays: [String: Double] = [:]) {
        self.name = name
        self.consumer = consumer
        self.nations = nations
        self.fusion = fusion
        self.delays = delays
    }

    public func delay(of nation: String) -> Double { nation == consumer ? 0 : (delays[nation] ?? 0) }

    /// The standard set for two nations that may share directly or through an intermediary: each nation of the
    /// catalogue alone, the pair direct (measurement fusion and track CI), the pair through the intermediary
    /// with `relayDelay` added (both fusions), and all of them. `consumer` is the nation whose picture is scored.
    public static func standardSet(pair: (String, String), intermediary: String, consumer: String,
                                   allNations: [String], linkLatency: Double, relayDelay: Double) -> [Scenario] {
        let (a, b) = pair
        let partner = consumer == a ? b : a
        var out = allNations.map { Scenario(name: "\($0) alone", consumer: $0, nations: [$0]) }
        let direct = [partner: linkLatency]
        let relayed = [partner: linkLatency + relayDelay]
        let d = Int(relayDelay.rounded())
        out += [
            Scenario(name: "\(a)+\(b) direct", consumer: consumer, nations: [a, b], delays: direct),
            Scenario(name: "\(a)+\(b) direct, track CI", consumer: consumer, nations: [a, b],
                     fusion: .trackCovarianceIntersection, delays: direct),
            Scenario(name: "\(a)+\(b) via \(intermediary) (+\(d) s)", consumer: consumer, nations: [a, b],
                     delays: relayed),
            Scenario(name: "\(a)+\(b) via \(intermediary) (+\(d) s), track CI", consumer: consumer, nations: [a, b],
                     fusion: .trackCovarianceIntersection, delays: relayed),
        ]
        var everyone: [String: Double] = [:]
        for n in allNations where n != consumer { everyone[n] = linkLatency }
        out.append(Scenario(name: allNations.joined(separator: "+"), consumer: consumer, nations: allNations,
                            delays: everyone))
        return out
    }
}
