import Foundation
import Testing
@testable import AccordCore

@Suite("Agreement lifecycle")
struct LifecycleTests {
    let gsomia = bundledBook.history("kr-jp-gsomia-2016")!

    @Test("the real GSOMIA history on both sides of every boundary (rules 20–22)", arguments: [
        ("2016-11-22T14:59:59Z", "draft"),             // 23:59:59 KST on 22 Nov 2016
        ("2016-11-22T15:00:00Z", "in-force"),          // 00:00 KST on signature day
        ("2017-11-22T14:59:59Z", "in-force"),          // day before the first anniversary
        ("2017-11-22T15:00:00Z", "in-force"),          // renewed automatically
        ("2018-11-23T00:00:00Z", "in-force"),          // second automatic extension
        ("2019-08-22T14:59:59Z", "in-force"),          // just before the notice was received
        ("2019-08-22T15:00:00Z", "notice-given"),      // 23 Aug 2019 00:00 KST
        ("2019-11-22T08:59:59Z", "notice-given"),      // 22 Nov 17:59:59 KST, before the suspension
        ("2019-11-22T09:00:00Z", "notice-suspended"),  // 22 Nov 18:00 KST, suspension
        ("2019-11-22T15:00:00Z", "notice-suspended"),  // the anniversary passes: not terminated
        ("2020-08-25T00:00:00Z", "notice-suspended"),  // 2020 deadline passes without a new notice
        ("2021-11-23T00:00:00Z", "notice-suspended"),
        ("2022-11-23T00:00:00Z", "notice-suspended"),
        ("2023-03-20T14:59:59Z", "notice-suspended"),  // 21 Mar 2023 00:00 KST minus one second
        ("2023-03-20T15:00:00Z", "in-force"),          // withdrawal of both notes
        ("2023-12-19T00:00:00Z", "in-force"),
        ("2026-11-24T00:00:00Z", "in-force"),
    ])
    func realHistory(instant: String, expected: String) {
        #expect(gsomia.state(at: at(instant)).name == expected)
    }

    @Test("the 2019 notice targeted the 23 November 2019 anniversary (00:00 KST)")
    func noticeTarget() {
        let state = gsomia.state(at: at("2019-09-01T00:00:00Z"))
        #expect(state == .noticeGiven(notice: "gsomia-2019-notice", effective: at("2019-11-23T00:00:00+09:00")))
    }

    @Test("counterfactual: had the notice never been suspended, GSOMIA ends at 00:00 KST on 23 Nov 2019 (rule 23)")
    func counterfactual() throws {
        let notes = gsomia.notes.filter { !["gsomia-2019-suspension", "gsomia-2023-withdrawal"].contains($0.id) }
        let history = try AgreementHistory(agreement: gsomia.agreement, notes: notes)
        #expect(history.state(at: at("2019-11-22T14:59:59Z")).name == "notice-given")
        #expect(history.state(at: at("2019-11-22T15:00:00Z")) == .terminated(at: at("2019-11-23T00:00:00+09:00")))
        #expect(history.state(at: at("2023-06-01T00:00:00Z")).name == "terminated")
    }

    @Test("a notice counts only if received at least 90 days before the anniversary; else it targets the next (rule 21)",
          arguments: [
            ("2019-08-24T23:59:59+09:00", "2019-11-23T00:00:00+09:00"),
            ("2019-08-25T00:00:00+09:00", "2019-11-23T00:00:00+09:00"),  // exactly 90 days
            ("2019-08-25T00:00:01+09:00", "2020-11-23T00:00:00+09:00"),
            ("2019-11-22T12:00:00+09:00", "2020-11-23T00:00:00+09:00"),
          ])
    func noticeDeadline(received: String, effective: String) throws {
        let notice = Note(id: "n", agreement: gsomia.agreement.id, kind: .noticeOfTermination, from: JP, date: at(received))
        let history = try AgreementHistory(agreement: gsomia.agreement, notes: eif + [notice])
        #expect(history.state(at: at(received)) == .noticeGiven(notice: "n", effective: at(effective)))
        #expect(history.state(at: at(effective)).name == "terminated")
        #expect(history.state(at: at(effective).addingTimeInterval(-1)).name == "notice-given")
    }

    @Test("an unwritten notice or one outside the diplomatic channel has no effect (rule 21)")
    func informalNotice() throws {
        let oral = Note(id: "oral", agreement: gsomia.agreement.id, kind: .noticeOfTermination, from: KR, date: at("2019-08-01"), written: false)
        let email = Note(id: "email", agreement: gsomia.agreement.id, kind: .noticeOfTermination, from: KR, date: at("2019-08-02"), channel: .other)
        let history = try AgreementHistory(agreement: gsomia.agreement, notes: eif + [oral, email])
        #expect(history.state(at: at("2020-01-01")) == .inForce)
        #expect(history.ignoredNotes.map(\.note) == ["oral", "email"])
    }

    @Test("suspension and withdrawal are separate acts; a withdrawn notice is gone (rule 22)")
    func withdrawalWithoutSuspension() throws {
        let notice = Note(id: "n", agreement: gsomia.agreement.id, kind: .noticeOfTermination, from: KR, date: at("2019-08-23"))
        let withdrawal = Note(id: "w", agreement: gsomia.agreement.id, kind: .withdrawalOfNotice(of: ["n"]), from: KR, date: at("2019-10-01"))
        let history = try AgreementHistory(agreement: gsomia.agreement, notes: eif + [notice, withdrawal])
        #expect(history.state(at: at("2019-09-01")).name == "notice-given")
        #expect(history.state(at: at("2019-12-01")) == .inForce)
        // A second notice after the withdrawal targets its own anniversary.
        let again = Note(id: "n2", agreement: gsomia.agreement.id, kind: .noticeOfTermination, from: JP, date: at("2020-01-10"))
        let later = try AgreementHistory(agreement: gsomia.agreement, notes: eif + [notice, withdrawal, again])
        #expect(later.state(at: at("2020-11-23T00:00:00+09:00")).name == "terminated")
    }

    @Test("notes that contradict the agreement are errors with one-line messages")
    func badNotes() {
        let stranger = Note(id: "x", agreement: gsomia.agreement.id, kind: .noticeOfTermination, from: US, date: at("2019-01-01"))
        let dangling = Note(id: "s", agreement: gsomia.agreement.id, kind: .suspensionOfNotice(of: "nope"), from: KR, date: at("2019-01-01"))
        let otherAgreement = Note(id: "o", agreement: "tisa-2014", kind: .noticeOfTermination, from: KR, date: at("2019-01-01"))
        for note in [stranger, dangling, otherAgreement] {
            #expect(throws: AgreementFileError.self) { try AgreementHistory(agreement: gsomia.agreement, notes: eif + [note]) }
        }
    }

    @Test("an amendment takes effect only once every party consents in writing (rule 24)")
    func amendment() throws {
        let text = Note.Amendment(id: "a1", scope: [Topic("nk-missile")!], purposes: nil, effective: nil)
        let kr = Note(id: "a-kr", agreement: gsomia.agreement.id, kind: .amendment(text), from: KR, date: at("2018-01-01"))
        let jp = Note(id: "a-jp", agreement: gsomia.agreement.id, kind: .amendment(text), from: JP, date: at("2018-03-01"))
        let one = try AgreementHistory(agreement: gsomia.agreement, notes: eif + [kr])
        #expect(one.terms(at: at("2019-01-01")).scope == nil)
        let both = try AgreementHistory(agreement: gsomia.agreement, notes: eif + [kr, jp])
        #expect(both.terms(at: at("2018-02-01")).scope == nil)
        #expect(both.terms(at: at("2018-03-01")).scope == [Topic("nk-missile")!])
        let different = Note(id: "a-jp2", agreement: gsomia.agreement.id,
                             kind: .amendment(.init(id: "a1", scope: [Topic("maritime")!], purposes: nil, effective: nil)), from: JP, date: at("2018-03-01"))
        let mismatch = try AgreementHistory(agreement: gsomia.agreement, notes: eif + [kr, different])
        #expect(mismatch.terms(at: at("2019-01-01")).scope == nil)
    }

    @Test("the other agreements are in force from their dates; TISA from 29 Dec 2014 KST")
    func others() {
        #expect(bundledBook.history("tisa-2014")!.state(at: at("2014-12-28T14:59:59Z")) == .draft)
        #expect(bundledBook.history("tisa-2014")!.state(at: at("2014-12-28T15:00:00Z")) == .inForce)
        #expect(bundledBook.history("us-kr-1987")!.state(at: at("1987-09-24T12:00:00Z")) == .inForce)
        #expect(bundledBook.history("us-jp-2007")!.state(at: at("2007-08-09T00:00:00Z")) == .draft)
        #expect(bundledBook.history("us-jp-2007")!.state(at: at("2007-08-10T00:00:00Z")) == .inForce)
    }

    private var eif: [Note] { gsomia.notes.filter { $0.kind == .entryIntoForce || $0.id.contains("assurance") } }
}
