import Foundation
import Testing
@testable import AccordTracking

@Suite struct ScenarioTests {
    static let standard = Scenario.standardSet(pair: ("KR", "JP"), intermediary: "US", consumer: "JP",
                                               allNations: ["KR", "JP", "US"], linkLatency: 1, relayDelay: 30)

    @Test func standardSetNamesAndDelays() {
        #expect(Self.standard.map(\.name) == [
            "KR alone", "JP alone", "US alone", "KR+JP direct", "KR+JP direct, track CI", "KR+JP via US (+30 s)",
            "KR+JP via US (+30 s), track CI", "KR+JP+US",
        ])
        let relayed = Self.standard[5]
        #expect(relayed.delay(of: "KR") == 31 && relayed.delay(of: "JP") == 0)
        #expect(Self.standard[0].delay(of: "KR") == 0)
    }

    /// The short-range flight: Japan's own radars see it late; Korea's data arrive at once directly, 30 s later
    /// through the US, and the warning follows.
    @Test func relayDelayCostsJapanWarningTime() throws {
        let report = try ScenarioRunner(seed: 1, evaluationStep: 1).run(EstimationTests.srbm, scenarios: Self.standard)
        let by = Dictionary(uniqueKeysWithValues: report.scenarios.map { ($0.scenario.name, $0) })
        let kr = try #require(by["KR alone"]), jp = try #require(by["JP alone"])
        let direct = try #require(by["KR+JP direct"]), relayed = try #require(by["KR+JP via US (+30 s)"])
        let krFirst = try #require(kr.firstDetection), jpFirst = try #require(jp.firstDetection)
        #expect(krFirst < jpFirst)
        #expect(abs(try #require(direct.firstDetection) - min(krFirst + 1, jpFirst)) < 1e-9)
        #expect(abs(try #require(relayed.firstDetection) - min(krFirst + 31, jpFirst)) < 1e-9)
        let wDirect = try #require(direct.firstWithin(10_000))
        let wRelayed = try #require(relayed.firstWithin(10_000))
        let wJP = try #require(jp.firstWithin(10_000))
        #expect(wDirect < wJP)
        #expect(wDirect < wRelayed && wRelayed <= wJP + 1)
        for r in report.scenarios {
            #expect(r.timeline.last?.impactError.map { $0 < 1_000 } == true, "\(r.scenario.name) ends within 1 km")
        }
        #expect(report.reportTimes.last == (EstimationTests.srbm.flightTime - 30).rounded(.down))
    }
}
