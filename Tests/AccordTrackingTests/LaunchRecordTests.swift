import Foundation
import Testing
@testable import AccordTracking

@Suite struct LaunchRecordTests {
    /// `../shared/reference/launches.csv`, beside the repository (as CI lays it out).
    static func sharedCSV() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = root.deletingLastPathComponent().appendingPathComponent("shared/reference/launches.csv")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func parsesAndRejects() throws {
        let csv = "date,missile,launch_site,launch_lat,launch_lon,apogee_km,range_km,flight_time_s,source\n"
            + "2017-11-29,\"Hwasong-15, lofted\",Pyongsong,39.282,125.869,4475,950,3180,CNS\n"
            + "2024-09-18,Hwasong-11Da-4.5,Kaechon area,,,,400,,S240918\n"
        let rows = try LaunchRecord.parse(csv: csv)
        #expect(rows.count == 2)
        #expect(rows[0].missile == "Hwasong-15, lofted")
        #expect(rows[0].flightTime == 3180)
        #expect(rows[1].apogeeKm == nil && rows[1].latitude == nil)
        #expect(throws: TrackingError.self) { try LaunchRecord.parse(csv: "a,b\n1,2\n") }
        #expect(throws: TrackingError.self) {
            try LaunchRecord.parse(csv: csv.replacingOccurrences(of: "4475", with: "high"))
        }
    }

    /// Every launch with both apogee and range is flown again; flight times are compared with the record.
    @Test func reproducesThePublicRecord() throws {
        let records = try LaunchRecord.parse(csv: Self.sharedCSV())
        let repro = try LaunchReproduction.reproduce(records)
        #expect(repro.count == records.filter { $0.apogeeKm != nil && $0.rangeKm != nil }.count)
        let timed = repro.filter { $0.ratio != nil }
        #expect(timed.count >= 10)
        for r in timed {
            let ratio = r.ratio!
            let ballistic = r.record.apogeeKm! >= 0.5 * r.minimumEnergyApogeeKm
            if ballistic {
                // Every ballistic flight with a reported time: within −15 % / +10 % of the model.
                #expect(ratio > 0.85 && ratio < 1.10, "\(r.record.date) \(r.record.missile): ratio \(ratio)")
                // Lofted ICBM-class flights (apogee above 4 000 km): within 6 % (KCNA and Japan differ by 5 %).
                if r.record.apogeeKm! > 4_000 { #expect(abs(ratio - 1) < 0.06, "\(r.record.date): ratio \(ratio)") }
                // The model always takes longer than the vacuum Kepler arc from the surface (the boost).
                #expect(r.modelTime > r.keplerTime)
            } else {
                // ~50 km apogees over 600–900 km in 10–11 min are not ballistic: the check must say so.
                #expect(ratio > 2 && r.assessment.hasPrefix("not ballistic"), "\(r.record.date): \(r.assessment)")
            }
        }
    }
}
