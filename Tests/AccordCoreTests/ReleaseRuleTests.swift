import Foundation
import Testing
@testable import AccordCore

/// One test (or more) per rule of `reference/agreements.md` §7 that concerns the release decision.
@Suite("Release decision")
struct ReleaseRuleTests {
    static let inForce = "2017-06-01T00:00:00Z"

    @Test("rules 1–2: KR↔JP levels map by the Art. 4 table", arguments: [
        ("KR//II//REL TO JP//TOPIC nk-missile", JP, "GOKUHI"),
        ("KR//III//REL TO JP//TOPIC nk-missile", JP, "HI"),
        ("JP//GOKUHI//REL TO KR//TOPIC nk-missile", KR, "II"),
        ("JP//TOKUTEI//REL TO KR//TOPIC nk-missile", KR, "II"),
        ("JP//HI//REL TO KR//TOPIC maritime", KR, "III"),
    ])
    func equivalence(text: String, recipient: PartyCode, expected: String) throws {
        let sender = recipient == JP ? KR : JP
        let decision = try decide(text, from: sender, to: recipient, at: Self.inForce)
        guard case .direct(let agreement, let level) = decision else { Issue.record("expected direct, got \(decision)"); return }
        #expect(agreement == "kr-jp-gsomia-2016")
        #expect(level.code == expected)
    }

    @Test("rules 1 and 3: KR Grade I and JP Kimitsu never cross the KR–JP link, directly or through the US", arguments: [
        ("KR//I//REL TO JP,US//TOPIC nk-missile", KR, JP),
        ("JP//KIMITSU//REL TO KR,US//TOPIC nk-missile", JP, KR),
    ])
    func aboveCeiling(text: String, sender: PartyCode, recipient: PartyCode) throws {
        for instant in ["2016-01-01T00:00:00Z", Self.inForce, "2020-06-01T00:00:00Z", "2024-01-01T00:00:00Z"] {
            let decision = try decide(text, from: sender, to: recipient, at: instant)
            #expect(reasonCodes(decision).contains("level-above-ceiling"), "\(instant): \(decision)")
        }
    }

    @Test("rule 3: TOP SECRET still flows US↔KR and US↔JP under their own agreements")
    func topSecretWithUS() throws {
        #expect(try decide("KR//I//REL TO US//TOPIC nk-missile", from: KR, to: US, at: Self.inForce)
            .recipientLevel?.code == "TOP SECRET")
        #expect(try decide("US//TS//REL TO JP//TOPIC nk-missile", from: US, to: JP, at: Self.inForce)
            .recipientLevel?.code == "KIMITSU")
    }

    @Test("rule 32: the recipient must be in REL TO")
    func releasability() throws {
        let decision = try decide("KR//II//REL TO US//TOPIC nk-missile", from: KR, to: JP, at: Self.inForce)
        #expect(reasonCodes(decision) == ["not-releasable"])
    }

    @Test("rule 6: an intermediary passes another party's information on only with a consent that covers it")
    func thirdParty() throws {
        let text = "KR//II//REL TO JP,US//TOPIC nk-missile"
        let without = try decide(text, from: US, to: JP, at: "2016-01-01T00:00:00Z")
        #expect(reasonCodes(without).contains("consent-missing"))
        let perObject = Consent(id: "c1", originator: KR, intermediary: US, recipient: JP, coverage: .object("obj-1"), validFrom: at("2015-12-01"))
        let with = try decide(text, from: US, to: JP, at: "2016-01-01T00:00:00Z", objectID: "obj-1", consents: [perObject])
        #expect(with == .viaIntermediary(route: [KR, US, JP], agreements: ["tisa-2014", "us-kr-1987", "us-jp-2007"],
                                         recipientLevel: bundledBook.parties[JP]!.scheme.level(named: "GOKUHI")!,
                                         consent: .held(consentID: "c1")))
        // The same consent does not cover another object, another recipient, or a time before it.
        #expect(!(try decide(text, from: US, to: JP, at: "2016-01-01T00:00:00Z", objectID: "obj-2", consents: [perObject]).isAllowed))
        #expect(!(try decide(text, from: US, to: JP, at: "2015-11-01T00:00:00Z", objectID: "obj-1", consents: [perObject]).isAllowed))
        let wrongRecipient = Consent(id: "c2", originator: KR, intermediary: US, recipient: KR, coverage: .object("obj-1"), validFrom: at("2015-01-01"))
        #expect(!(try decide(text, from: US, to: JP, at: "2016-01-01T00:00:00Z", objectID: "obj-1", consents: [wrongRecipient]).isAllowed))
        // A consent forged in the name of another party does not count.
        let notOriginator = Consent(id: "c3", originator: JP, intermediary: US, recipient: JP, coverage: .object("obj-1"), validFrom: at("2015-01-01"))
        #expect(!(try decide(text, from: US, to: JP, at: "2016-01-01T00:00:00Z", objectID: "obj-1", consents: [notOriginator]).isAllowed))
    }

    @Test("rule 6: scope consents cover topics up to a ceiling")
    func scopeConsent() throws {
        let consent = Consent(id: "s", originator: KR, intermediary: US, recipient: JP,
                              coverage: .scope(topics: [Topic("nk-missile")!], ceiling: "III"), validFrom: at("2015-01-01"),
                              validUntil: at("2016-12-31"))
        #expect(try decide("KR//III//REL TO JP,US//TOPIC nk-missile", from: US, to: JP, at: "2016-01-01T00:00:00Z", consents: [consent]).isAllowed)
        #expect(!(try decide("KR//II//REL TO JP,US//TOPIC nk-missile", from: US, to: JP, at: "2016-01-01T00:00:00Z", consents: [consent]).isAllowed))
        #expect(!(try decide("KR//III//REL TO JP,US//TOPIC nk-nuclear", from: US, to: JP, at: "2016-01-01T00:00:00Z", consents: [consent]).isAllowed))
        #expect(!(try decide("KR//III//REL TO JP,US//TOPIC nk-missile", from: US, to: JP, at: "2017-01-02T00:00:00Z", consents: [consent]).isAllowed))
    }

    @Test("rule 6: third-party release outside any arrangement needs consent, then follows the bilateral agreements")
    func onwardOutsideArrangement() throws {
        // Japan passes Korean information to the US: no arrangement route JP→US; allowed only with KR's consent.
        let text = "KR//II//REL TO JP,US//TOPIC maritime"
        #expect(reasonCodes(try decide(text, from: JP, to: US, at: Self.inForce)).contains("consent-missing"))
        let consent = Consent(id: "k", originator: KR, intermediary: JP, recipient: US, coverage: .object("m"), validFrom: at("2017-01-01"))
        let decision = try decide(text, from: JP, to: US, at: Self.inForce, objectID: "m", consents: [consent])
        #expect(decision.recipientLevel?.code == "SECRET")
    }

    @Test("rule 7: purposes outside the agreement are refused")
    func purpose() throws {
        let decision = try decide("KR//II//REL TO JP//TOPIC nk-missile", from: KR, to: JP, at: Self.inForce, purpose: "commercial")
        #expect(reasonCodes(decision).contains("purpose-not-allowed"))
        #expect(try decide("KR//II//REL TO JP//TOPIC nk-missile", from: KR, to: JP, at: Self.inForce, purpose: "missile-warning").isAllowed)
    }

    @Test("rule 9: no release before the recipient's written assurance covers the level")
    func assurance() throws {
        let gsomia = bundledBook.history("kr-jp-gsomia-2016")!
        let eifOnly = gsomia.notes.filter { $0.kind == .entryIntoForce }
        let lowAssurance = Note(id: "low", agreement: gsomia.agreement.id, kind: .assurance(level: "HI"), from: JP, date: at("2016-12-01"))
        let book = try bundledBook.replacingNotes(of: gsomia.agreement.id, with: eifOnly + [lowAssurance])
        let before = try decide("KR//III//REL TO JP//TOPIC maritime", from: KR, to: JP, at: "2016-11-25T00:00:00Z", book: book)
        #expect(reasonCodes(before).first == "no-assurance")
        #expect(try decide("KR//III//REL TO JP//TOPIC maritime", from: KR, to: JP, at: "2016-12-02T00:00:00Z", book: book).isAllowed)
        let tooHigh = try decide("KR//II//REL TO JP//TOPIC maritime", from: KR, to: JP, at: "2016-12-02T00:00:00Z", book: book)
        #expect(reasonCodes(tooHigh).first == "no-assurance")
    }

    @Test("rule 23: after termination no new exchange; the counterfactual falls back to the US route")
    func termination() throws {
        let gsomia = bundledBook.history("kr-jp-gsomia-2016")!
        let notes = gsomia.notes.filter { !["gsomia-2019-suspension", "gsomia-2023-withdrawal"].contains($0.id) }
        let book = try bundledBook.replacingNotes(of: gsomia.agreement.id, with: notes)
        let text = "KR//II//REL TO JP,US//TOPIC nk-missile"
        #expect(try decide(text, from: KR, to: JP, at: "2019-11-22T14:59:59Z", book: book).kind == "direct")
        let after = try decide(text, from: KR, to: JP, at: "2019-11-22T15:00:00Z", book: book)
        guard case .viaIntermediary(let route, _, _, _) = after else { Issue.record("expected via, got \(after)"); return }
        #expect(route == [KR, US, JP])
        // Without a DPRK topic there is no route at all once GSOMIA ends.
        let maritime = try decide("KR//II//REL TO JP,US//TOPIC maritime", from: KR, to: JP, at: "2020-01-01T00:00:00Z", book: book)
        #expect(reasonCodes(maritime).contains("agreement-not-in-force"))
        #expect(reasonCodes(maritime).contains("topic-out-of-scope"))
    }

    @Test("real history: KR→JP goes via the US before GSOMIA, directly from 23 Nov 2016, through 2019–2023, and after", arguments: [
        ("2015-06-01T00:00:00Z", "via"),
        ("2016-11-22T14:59:59Z", "via"),
        ("2016-11-22T15:00:00Z", "direct"),
        ("2019-09-01T00:00:00Z", "direct"),
        ("2019-11-23T00:00:00Z", "direct"),
        ("2021-01-01T00:00:00Z", "direct"),
        ("2023-12-19T00:00:00Z", "direct"),
    ])
    func history(instant: String, kind: String) throws {
        #expect(try decide("KR//II//REL TO JP,US//TOPIC nk-missile", from: KR, to: JP, at: instant).kind == kind)
        #expect(try decide("JP//GOKUHI//REL TO KR,US//TOPIC nk-missile", from: JP, to: KR, at: instant).kind == kind)
    }

    @Test("rule 25: TISA carries only DPRK nuclear and missile topics")
    func tisaScope() throws {
        #expect(try decide("KR//II//REL TO JP,US//TOPIC nk-nuclear", from: KR, to: JP, at: "2015-06-01T00:00:00Z").kind == "via")
        let maritime = try decide("KR//II//REL TO JP,US//TOPIC maritime", from: KR, to: JP, at: "2015-06-01T00:00:00Z")
        #expect(reasonCodes(maritime).contains("topic-out-of-scope"))
        let mixed = try decide("KR//II//REL TO JP,US//TOPIC nk-missile,maritime", from: KR, to: JP, at: "2015-06-01T00:00:00Z")
        #expect(reasonCodes(mixed).contains("topic-out-of-scope"))
        let none = try decide("KR//II//REL TO JP,US", from: KR, to: JP, at: "2015-06-01T00:00:00Z")
        #expect(reasonCodes(none).contains("topic-out-of-scope"))
    }

    @Test("rule 26: under TISA only KR→US→JP and JP→US→KR; the hub must be in REL TO")
    func tisaRoute() throws {
        let hubMissing = try decide("KR//II//REL TO JP//TOPIC nk-missile", from: KR, to: JP, at: "2015-06-01T00:00:00Z")
        #expect(reasonCodes(hubMissing).contains("intermediary-not-releasable"))
        // Japan cannot route US information through Korea: no arrangement has that route.
        let consent = Consent(id: "u", originator: US, intermediary: KR, recipient: JP, coverage: .object("x"), validFrom: at("2015-01-01"))
        let viaKorea = try decide("US//SECRET//REL TO KR,JP//TOPIC nk-missile", from: KR, to: JP, at: "2015-06-01T00:00:00Z",
                                  objectID: "x", consents: [consent])
        #expect(!viaKorea.isAllowed)
    }

    @Test("rule 27: the hub forwards under the KR–US and US–JP agreements, with the recorded consent")
    func tisaLegs() throws {
        let consent = Consent(id: "c", originator: JP, intermediary: US, recipient: KR, coverage: .object("o"), validFrom: at("2015-01-01"))
        let decision = try decide("JP//HI//REL TO KR,US//TOPIC nk-missile", from: US, to: KR, at: "2015-06-01T00:00:00Z",
                                  objectID: "o", consents: [consent])
        guard case .viaIntermediary(let route, let agreements, let level, .held("c")) = decision else {
            Issue.record("expected via with consent, got \(decision)"); return
        }
        #expect(route == [JP, US, KR])
        #expect(agreements == ["tisa-2014", "us-jp-2007", "us-kr-1987"])
        #expect(level.code == "III")
    }

    @Test("nothing before any agreement; a party cannot release to itself")
    func edges() throws {
        #expect(reasonCodes(try decide("KR//II//REL TO JP,US//TOPIC nk-missile", from: KR, to: JP, at: "1980-01-01T00:00:00Z"))
            .contains("agreement-not-in-force"))
        #expect(reasonCodes(try decide("KR//II//REL TO JP//TOPIC nk-missile", from: KR, to: KR, at: Self.inForce)) == ["recipient-is-sender"])
    }

    @Test("every denial reason reads as one sentence")
    func sentences() throws {
        let decision = try decide("KR//I//REL TO JP//TOPIC maritime", from: KR, to: JP, at: "2013-01-01T00:00:00Z", purpose: "trade")
        guard case .denied(let reasons) = decision else { Issue.record("expected denial"); return }
        #expect(reasons.count >= 3)
        for reason in reasons { #expect(!reason.description.isEmpty && !reason.description.contains("\n")) }
    }
}
