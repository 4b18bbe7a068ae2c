import Foundation
import Testing
@testable import AccordCore

/// Rules of `reference/agreements.md` §7 about what a recipient holds: 4, 5, 8, 10–13, 18, 19, 23.
@Suite("Holdings and obligations")
struct HoldingTests {
    let jpScheme = bundledBook.parties[JP]!.scheme

    func received(_ text: String = "KR//II//REL TO JP,US//TOPIC nk-missile", at instant: String = "2017-06-01T00:00:00Z") throws -> Holding {
        let decision = try decide(text, from: KR, to: JP, at: instant)
        return try Holding(id: "h1", objectID: "obj-1", label: try label(text), decision: decision, holder: JP, receivedFrom: KR,
                           purpose: "defence", received: at(instant), custody: .init(location: "JSO Ichigaya", custodian: "duty officer"))
    }

    func analyst(_ id: String, clearance: String, topics: [String]) -> User {
        User(id: id, party: JP, clearance: jpScheme.level(named: clearance)!, needToKnow: Set(topics.compactMap(Topic.init)))
    }

    @Test("rule 4: the holding keeps the originator's label and is marked with the originator's name and the recipient's level")
    func marking() throws {
        let holding = try received()
        #expect(holding.originatorLabel.text == "KR//II//REL TO JP,US//TOPIC nk-missile")
        #expect(holding.localLevel.code == "GOKUHI")
        #expect(holding.marking == "KR 군사II급비밀 / JP 極秘")
    }

    @Test("a denied decision cannot become a holding")
    func deniedCannotBeHeld() throws {
        let text = "KR//I//REL TO JP//TOPIC nk-missile"
        let decision = try decide(text, from: KR, to: JP, at: "2017-06-01T00:00:00Z")
        #expect(throws: HoldingError.self) {
            try Holding(id: "h", objectID: "o", label: try label(text), decision: decision, holder: JP, receivedFrom: KR,
                        purpose: "defence", received: Date(), custody: .init(location: "x", custodian: "y"))
        }
    }

    @Test("rule 5: a derived object keeps the originator and takes the highest contained level")
    func derived() throws {
        let a = try received("KR//III//REL TO JP,US//TOPIC nk-missile")
        let b = try received("KR//II//REL TO JP//TOPIC nk-nuclear//CAVEAT ORCON")
        let derived = try Label.derived(from: [a, b])
        #expect(derived.text == "KR//II//REL TO JP//TOPIC nk-missile,nk-nuclear//CAVEAT ORCON")
        let japanese = try Holding(id: "h2", objectID: "o2", label: try label("US//SECRET//REL TO JP//TOPIC nk-missile"),
                                   decision: try decide("US//SECRET//REL TO JP//TOPIC nk-missile", from: US, to: JP, at: "2017-06-01T00:00:00Z"),
                                   holder: JP, receivedFrom: US, purpose: "defence", received: Date(), custody: .init(location: "x", custodian: "y"))
        #expect(throws: HoldingError.self) { try Label.derived(from: [a, japanese]) }
    }

    @Test("rule 8: clearance alone is not enough; need-to-know alone is not enough")
    func access() throws {
        let holding = try received()
        let register = PersonnelRegister([
            analyst("cleared-no-ntk", clearance: "KIMITSU", topics: ["maritime"]),
            analyst("ntk-low-clearance", clearance: "HI", topics: ["nk-missile"]),
            analyst("both", clearance: "TOKUTEI", topics: ["nk-missile", "maritime"]),
        ])
        #expect(!holding.access(by: "cleared-no-ntk", register: register).isGranted)
        #expect(!holding.access(by: "ntk-low-clearance", register: register).isGranted)
        #expect(holding.access(by: "both", register: register) == .granted)
    }

    @Test("rule 10: nobody outside the register gets access, whatever their clearance")
    func register() throws {
        let holding = try received()
        var register = PersonnelRegister([analyst("a", clearance: "KIMITSU", topics: ["nk-missile"])])
        #expect(holding.access(by: "a", register: register).isGranted)
        register.remove("a")
        #expect(!holding.access(by: "a", register: register).isGranted)
        #expect(!holding.access(by: "stranger", register: register).isGranted)
    }

    @Test("rule 7: use for another purpose needs the originator's approval")
    func purpose() throws {
        let holding = try received()
        let register = PersonnelRegister([analyst("a", clearance: "GOKUHI", topics: ["nk-missile"])])
        #expect(!holding.access(by: "a", register: register, purpose: "public-briefing").isGranted)
        #expect(holding.access(by: "a", register: register, purpose: "public-briefing", approvedPurposes: ["public-briefing"]).isGranted)
    }

    @Test("rule 11: custody moves are recorded in the holding's inventory record")
    func custody() throws {
        var holding = try received()
        try holding.transferCustody(to: .init(location: "JASDF Fuchu", custodian: "ops cell"), at: at("2017-06-02"))
        #expect(holding.custody.location == "JASDF Fuchu")
        #expect(holding.record.count == 2)
        #expect(holding.record[1].what.contains("JSO Ichigaya"))
    }

    @Test("rule 12: only the originator reclassifies, and the recipient's level follows")
    func reclassification() throws {
        var holding = try received()
        #expect(throws: HoldingError.self) { try holding.applyReclassification(from: JP, newLevel: "III", at: Date(), book: bundledBook) }
        #expect(holding.localLevel.code == "GOKUHI")
        try holding.applyReclassification(from: KR, newLevel: "III", at: at("2018-01-01"), book: bundledBook)
        #expect(holding.originatorLabel.level.code == "III")
        #expect(holding.localLevel.code == "HI")
        #expect(throws: HoldingError.self) { try holding.applyReclassification(from: KR, newLevel: "I", at: Date(), book: bundledBook) }
    }

    @Test("rule 13: return or destroy, with a record, and nothing after that")
    func disposal() throws {
        var holding = try received()
        #expect(throws: HoldingError.self) { try holding.dispose(.destroy, by: "", record: "", at: Date()) }
        try holding.dispose(.destroy, by: "Sgt. Sato", record: "cross-cut shredded, witness Lt. Ito", at: at("2018-01-01"))
        #expect(!holding.isHeld)
        #expect(throws: HoldingError.self) { try holding.dispose(.returnToOriginator, by: "x", record: "y", at: Date()) }
        let register = PersonnelRegister([analyst("a", clearance: "KIMITSU", topics: ["nk-missile"])])
        #expect(!holding.access(by: "a", register: register).isGranted)
    }

    @Test("rule 18: compromise, even suspected, is reported to the originator, investigated, then closed with measures")
    func compromise() throws {
        var holding = try received()
        var report = holding.reportCompromise(suspected: true, detail: "laptop missing", at: at("2018-01-01"))
        #expect(report.originator == KR && report.suspected)
        #expect(throws: HoldingError.self) { try report.close(results: "r", measures: "m", at: Date()) }
        try report.originatorNotified(at: at("2018-01-01T01:00:00Z"))
        #expect(throws: HoldingError.self) { try report.close(results: "found", measures: "", at: Date()) }
        try report.close(results: "laptop found, disk encrypted", measures: "two-person rule for removal", at: at("2018-01-10"))
        guard case .closed = report.stage else { Issue.record("not closed"); return }
    }

    @Test("rules 19 and 23: protection of what was received does not depend on the agreement's state")
    func survival() throws {
        // Received in 2017; in the counterfactual the agreement ends in 2019. Access rules hold all the same.
        let holding = try received()
        let register = PersonnelRegister([analyst("ok", clearance: "GOKUHI", topics: ["nk-missile"]),
                                          analyst("low", clearance: "HI", topics: ["nk-missile"])])
        #expect(holding.access(by: "ok", register: register).isGranted)
        #expect(!holding.access(by: "low", register: register).isGranted)
        #expect(holding.obligations.count == 6)
        #expect(bundledBook.history("kr-jp-gsomia-2016")!.agreement.obligationsSurviveTermination)
    }
}

@Suite("Holding snapshots")
struct HoldingSnapshotTests {
    @Test("a holding survives a snapshot round trip, through JSON, in every state")
    func roundTrip() throws {
        let text = "KR//II//REL TO JP,US//TOPIC nk-missile//CAVEAT ORCON"
        var holding = try Holding(id: "h", objectID: "o", label: try label(text),
                                  decision: try decide(text, from: KR, to: JP, at: "2017-06-01T00:00:00Z"), holder: JP, receivedFrom: KR,
                                  purpose: "defence", received: at("2017-06-01"), custody: .init(location: "a", custodian: "b"))
        for step in 0..<2 {
            let data = try JSONEncoder().encode(holding.snapshot)
            let restored = try Holding(snapshot: try JSONDecoder().decode(Holding.Snapshot.self, from: data), parties: bundledBook.parties)
            #expect(restored == holding)
            if step == 0 { try holding.dispose(.returnToOriginator, by: "officer", record: "handed over in Seoul", at: at("2018-01-01")) }
        }
    }

    @Test("a snapshot with an unknown level or a disposal without record is refused")
    func corrupt() throws {
        let text = "KR//II//REL TO JP//TOPIC nk-missile"
        let holding = try Holding(id: "h", objectID: "o", label: try label(text),
                                  decision: try decide(text, from: KR, to: JP, at: "2017-06-01T00:00:00Z"), holder: JP, receivedFrom: KR,
                                  purpose: "defence", received: at("2017-06-01"), custody: .init(location: "a", custodian: "b"))
        var json = String(decoding: try JSONEncoder().encode(holding.snapshot), as: UTF8.self)
        json = json.replacingOccurrences(of: "\"GOKUHI\"", with: "\"SECRET\"")
        #expect(throws: HoldingError.self) {
            try Holding(snapshot: try JSONDecoder().decode(Holding.Snapshot.self, from: Data(json.utf8)), parties: bundledBook.parties)
        }
        let destroyed = json.replacingOccurrences(of: "\"SECRET\"", with: "\"GOKUHI\"").replacingOccurrences(of: "\"held\"", with: "\"destroyed\"")
        #expect(throws: HoldingError.self) {
            try Holding(snapshot: try JSONDecoder().decode(Holding.Snapshot.self, from: Data(destroyed.utf8)), parties: bundledBook.parties)
        }
    }
}
