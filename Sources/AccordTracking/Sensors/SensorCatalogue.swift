/// Plausible radars of the three nations. Sites are coarse public locations (to about 0.1°); ship stations
/// are notional. Performance figures are assumptions in the ranges the reference note suggests
/// (`reference/tracking.md` §4), not published specifications.
public enum SensorCatalogue {
    /// ROK Air Force Green Pine (EL/M-2080) L-band early-warning radars, "around 800 km"; Block-C (Busan) 900 km.
    static func greenPine(_ id: String, _ name: String, _ lat: Double, _ lon: Double, maxRange: Double) -> Radar {
        Radar(id: id, nation: "KR", name: name, site: GeodeticPoint(latitude: lat, longitude: lon, altitude: 200),
              rangeSigma: 50, angleSigma: 1e-3, interval: 2, minElevation: 1, maxRange: maxRange)
    }

    /// S-band Aegis (SPY-1D) on a destroyer: 20 m, 0.5 mrad, 1 s, 800 km against ballistic targets.
    static func aegis(_ id: String, _ nation: String, _ name: String, _ lat: Double, _ lon: Double) -> Radar {
        Radar(id: id, nation: nation, name: name, site: GeodeticPoint(latitude: lat, longitude: lon, altitude: 20),
              rangeSigma: 20, angleSigma: 0.5e-3, interval: 1, minElevation: 0.5, maxRange: 800_000)
    }

    /// JASDF J/FPS-5 large early-warning radars: 20 m, 0.5 mrad, 2 s, 1 200 km.
    static func fps5(_ id: String, _ name: String, _ lat: Double, _ lon: Double) -> Radar {
        Radar(id: id, nation: "JP", name: name, site: GeodeticPoint(latitude: lat, longitude: lon, altitude: 300),
              rangeSigma: 20, angleSigma: 0.5e-3, interval: 2, minElevation: 1, maxRange: 1_200_000)
    }

    /// US Army AN/TPY-2 X-band radars: 10 m, 0.3 mrad, 1 s; forward-based 1 200 km, terminal (THAAD) 800 km.
    static func tpy2(_ id: String, _ name: String, _ lat: Double, _ lon: Double, facing: Double, maxRange: Double) -> Radar {
        Radar(id: id, nation: "US", name: name, site: GeodeticPoint(latitude: lat, longitude: lon, altitude: 100),
              rangeSigma: 10, angleSigma: 0.3e-3, interval: 1, minElevation: 1, maxRange: maxRange,
              sector: AzimuthSector(centre: facing, halfWidth: 60))
    }

    public static let all: [Radar] = [
        greenPine("KR-GP-C", "Green Pine, central ROK (Chungcheong)", 36.9, 127.4, maxRange: 800_000),
        greenPine("KR-GP-S", "Green Pine, south-west ROK (Jeolla)", 35.0, 126.8, maxRange: 800_000),
        greenPine("KR-GP-B", "Green Pine Block-C, Busan area", 35.2, 129.0, maxRange: 900_000),
        aegis("KR-KDX3", "KR", "Sejong the Great-class Aegis destroyer, East Sea station (notional)", 37.8, 129.8),
        fps5("JP-FPS5-SADO", "J/FPS-5, Sado Island (Niigata)", 38.0, 138.4),
        fps5("JP-FPS5-OMINATO", "J/FPS-5, Ominato (Aomori)", 41.3, 141.1),
        fps5("JP-FPS5-SHIMOKOSHIKI", "J/FPS-5, Shimo-Koshiki Island (Kagoshima)", 31.7, 129.7),
        Radar(id: "JP-FPS3-KYOGA", nation: "JP", name: "J/FPS-3 Kai, Kyogamisaki area (Kyoto)",
              site: GeodeticPoint(latitude: 35.7, longitude: 135.2, altitude: 200), rangeSigma: 30, angleSigma: 1e-3,
              interval: 2, minElevation: 1, maxRange: 600_000),
        aegis("JP-DDG", "JP", "Kongo/Atago-class Aegis destroyer, Sea of Japan station (notional)", 39.0, 134.5),
        tpy2("US-TPY2-SHARIKI", "AN/TPY-2, Shariki (Aomori)", 40.9, 140.3, facing: 260, maxRange: 1_200_000),
        tpy2("US-TPY2-KYOGA", "AN/TPY-2, Kyogamisaki (Kyoto)", 35.77, 135.2, facing: 290, maxRange: 1_200_000),
        tpy2("US-TPY2-SEONGJU", "AN/TPY-2 (THAAD), Seongju", 35.95, 128.2, facing: 340, maxRange: 800_000),
    ]

    /// The radars of the given nations (party codes), in catalogue order.
    public static func radars(of nations: [String]) -> [Radar] {
        all.filter { nations.contains($0.nation) }
    }

    /// The nations that have at least one radar in the catalogue.
    public static var nations: [String] {
        var seen: [String] = []
        for r in all where !seen.contains(r.nation) { seen.append(r.nation) }
        return seen
    }
}
