import AccordTracking
import Foundation

/// Markdown renderings of tracking results (used by `accord track` and for docs/tracking.md).
enum TrackReportText {
    static func km(_ m: Double?, _ digits: Int = 1) -> String {
        m.map { String(format: "%.\(digits)f", $0 / 1000) } ?? "–"
    }

    static func seconds(_ s: Double?) -> String { s.map { String(format: "%.0f", $0) } ?? "–" }

    /// "event (warning)" cells: the time of an event and the flight time left after it.
    static func event(_ t: Double?, flightTime: Double) -> String {
        "\(seconds(t)) (\(seconds(t.map { flightTime - $0 })))"
    }

    /// A table with one row per scenario and one column per report time.
    static func timeTable(_ times: [Double], _ rows: [(name: String, cells: [String])]) -> String {
        var out = "| scenario | " + times.map { "\(Int($0)) s" }.joined(separator: " | ") + " |\n"
        out += "|---|" + times.map { _ in "---" }.joined(separator: "|") + "|\n"
        for row in rows { out += "| \(row.name) | " + row.cells.joined(separator: " | ") + " |\n" }
        return out
    }

    static func render(_ report: SimulationReport, relayDelay: Double) -> String {
        let t = report.trajectory
        var out = String(format: """
            Flight: launch %.3f, %.3f; apogee %.1f km at %.0f s; range %.1f km; burnout %.0f s; flight time %.0f s; \
            impact %.3f, %.3f

            """, t.launch.latitude, t.launch.longitude, t.apogee / 1000, t.apogeeTime, t.groundRange / 1000,
            t.burnoutTime, t.flightTime, t.impact.latitude, t.impact.longitude)
        out += "\n| scenario | consumer | first detection s | track s | within 50 km s (warning s) | within 10 km s (warning s) | error at T−30 km | CRLB at T−30 km |\n"
        out += "|---|---|---|---|---|---|---|---|\n"
        let terminal = report.reportTimes.last ?? t.flightTime
        for r in report.scenarios {
            let w50 = r.firstWithin(50_000), w10 = r.firstWithin(10_000)
            let p = r.point(at: terminal)
            out += "| \(r.scenario.name) | \(r.scenario.consumer) | \(seconds(r.firstDetection)) | \(seconds(r.trackStart)) "
            out += "| \(event(w50, flightTime: t.flightTime)) | \(event(w10, flightTime: t.flightTime)) "
            out += "| \(km(p?.impactError, 2)) | \(km(p?.crlb, 2)) |\n"
        }
        out += "\nImpact-point error, km (Cramér–Rao bound in brackets), by time after launch:\n\n"
        out += timeTable(report.reportTimes, report.scenarios.map { r in
            (r.scenario.name, report.reportTimes.map { time in
                guard let p = r.point(at: time), p.impactError != nil else { return "–" }
                return "\(km(p.impactError, 2)) (\(km(p.crlb, 2)))"
            })
        })
        return out
    }

    static func renderMonteCarlo(_ summary: [MonteCarloSummary], report: SimulationReport) -> String {
        let flight = report.trajectory.flightTime
        let runs = summary.first?.runs ?? 0
        var out = "\nMonte Carlo over \(runs) seeds: medians of the event times (warning = flight time − event)\n\n"
        out += "| scenario | consumer | first detection s | track s | within 50 km s (warning s) | within 10 km s (warning s) | runs within 10 km |\n"
        out += "|---|---|---|---|---|---|---|\n"
        for s in summary {
            out += "| \(s.scenario.name) | \(s.scenario.consumer) | \(seconds(s.medianFirstDetection)) "
            out += "| \(seconds(s.medianTrackStart)) "
            out += "| \(event(s.medianWithin50km, flightTime: flight)) | \(event(s.medianWithin10km, flightTime: flight)) "
            out += "| \(s.runsWithin10km)/\(s.runs) |\n"
        }
        out += "\nRMS impact-point error over the runs, km (mean Cramér–Rao bound in brackets):\n\n"
        out += timeTable(report.reportTimes, summary.map { s in
            (s.scenario.name, zip(s.rmsImpactError, s.meanCRLB).map { e, b in e == nil ? "–" : "\(km(e, 2)) (\(km(b, 2)))" })
        })
        return out
    }

    static func launchTable(_ rows: [LaunchReproduction]) -> String {
        var out = "| date | missile | apogee km | range km | reported s | Kepler s | model s | burn s | reported / model | assessment |\n"
        out += "|---|---|---|---|---|---|---|---|---|---|\n"
        for r in rows {
            let site = r.usedDefaultSite ? " ¹" : ""
            out += String(format: "| %@ | %@%@ | %.1f | %.1f | %@ | %.0f | %.0f | %.0f | %@ | %@ |\n", r.record.date,
                          r.record.missile, site, r.record.apogeeKm ?? 0, r.record.rangeKm ?? 0,
                          r.record.flightTime.map { String(format: "%.0f", $0) } ?? "–", r.keplerTime, r.modelTime,
                          r.burnoutTime, r.ratio.map { String(format: "%.3f", $0) } ?? "–", r.assessment)
        }
        return out
    }

    static func sensorTable(_ radars: [Radar]) -> String {
        var out = "| id | nation | radar | lat | lon | σ range m | σ angle mrad | interval s | min el ° | max range km | sector |\n"
        out += "|---|---|---|---|---|---|---|---|---|---|---|\n"
        for r in radars {
            let sector = r.sector.map { String(format: "%.0f° ± %.0f°", $0.centre, $0.halfWidth) } ?? "all round"
            out += String(format: "| %@ | %@ | %@ | %.2f | %.2f | %.0f | %.1f | %.0f | %.1f | %.0f | %@ |\n", r.id, r.nation,
                          r.name, r.site.latitude, r.site.longitude, r.rangeSigma, r.angleSigma * 1000, r.interval,
                          r.minElevation, r.maxRange / 1000, sector)
        }
        return out
    }
}
