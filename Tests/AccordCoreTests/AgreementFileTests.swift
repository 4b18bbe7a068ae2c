import Foundation
import Testing
@testable import AccordCore

@Suite("Agreement and notes files")
struct AgreementFileTests {
    static let validJSON = """
        {"format":"accord.agreement/1","id":"test-1","title":"T","shortName":"T","kind":"bilateral","parties":["JP","KR"],
         "scope":null,"ceiling":"SECRET","equivalence":[{"english":"SECRET","levels":{"JP":["GOKUHI"],"KR":["II"]}}],
         "purposes":["defence"],"term":{"initialYears":1,"automaticRenewal":true,"noticeDays":90,"utcOffset":"+09:00"},
         "obligationsSurviveTermination":true,"onwardReleaseNeedsConsent":true,"requiresAssurance":false}
        """

    @Test("the four bundled agreements load, with their assumptions marked")
    func bundled() {
        #expect(bundledBook.histories.map(\.agreement.id).sorted() == ["kr-jp-gsomia-2016", "tisa-2014", "us-jp-2007", "us-kr-1987"])
        #expect(bundledBook.history("us-kr-1987")!.agreement.assumed.contains { $0.hasPrefix("equivalence") })
        #expect(bundledBook.history("us-jp-2007")!.agreement.assumed.contains { $0.hasPrefix("equivalence") })
        #expect(bundledBook.history("kr-jp-gsomia-2016")!.agreement.equivalence.ceiling(for: KR)?.code == "II")
    }

    @Test("a valid file decodes")
    func valid() throws {
        let agreement = try Agreement(json: Data(Self.validJSON.utf8), parties: bundledBook.parties)
        #expect(agreement.term.utcOffsetSeconds == 9 * 3600)
    }

    @Test("broken files give one-line errors naming the problem", arguments: [
        ("not json", "not valid JSON"),
        (#"{"format":"accord.agreement/1"}"#, "missing field"),
        (validJSON.replacingOccurrences(of: "accord.agreement/1", with: "v9"), "format"),
        (validJSON.replacingOccurrences(of: #""parties":["JP","KR"]"#, with: #""parties":["JP","XX"]"#), "XX"),
        (validJSON.replacingOccurrences(of: #""parties":["JP","KR"]"#, with: #""parties":["JP"]"#), "two or more"),
        (validJSON.replacingOccurrences(of: #"["GOKUHI"]"#, with: #"["SECRET"]"#), "'SECRET' is not a level of JP"),
        (validJSON.replacingOccurrences(of: #""ceiling":"SECRET""#, with: #""ceiling":"TOP SECRET""#), "ceiling"),
        (validJSON.replacingOccurrences(of: "+09:00", with: "Seoul"), "utcOffset"),
        (validJSON.replacingOccurrences(of: #""noticeDays":90"#, with: #""noticeDays":-1"#), "noticeDays"),
        (validJSON.replacingOccurrences(of: #""kind":"bilateral""#, with: #""kind":"treaty""#), "kind"),
        (validJSON.replacingOccurrences(of: #""JP":["GOKUHI"],"#, with: ""), "every party"),
        (validJSON.replacingOccurrences(of: #""purposes":["defence"]"#, with: #""purposes":[]"#), "purposes"),
    ])
    func broken(json: String, fragment: String) {
        #expect {
            _ = try Agreement(json: Data(json.utf8), parties: bundledBook.parties)
        } throws: { error in
            let text = "\(error)"
            return text.contains(fragment) && !text.contains("\n")
        }
    }

    @Test("broken notes files give one-line errors", arguments: [
        (#"{"format":"accord.notes/1","agreement":"a","notes":[{"id":"n","kind":"notice","from":"KR","date":"2019-08-23"}]}"#, "kind 'notice'"),
        (#"{"format":"accord.notes/1","agreement":"a","notes":[{"id":"n","kind":"notice-of-termination","from":"KR","date":"23/08/2019"}]}"#, "date"),
        (#"{"format":"accord.notes/1","agreement":"a","notes":[{"id":"n","kind":"suspension-of-notice","from":"KR","date":"2019-08-23"}]}"#, "refersTo"),
        (#"{"format":"accord.notes/1","agreement":"a","notes":[{"id":"n","kind":"assurance","from":"KR","date":"2019-08-23"}]}"#, "level"),
        (#"{"format":"accord.notes/2","agreement":"a","notes":[]}"#, "format"),
        (#"{"format":"accord.notes/1","agreement":"a","notes":[{"id":"n","kind":"entry-into-force","from":"kr","date":"2019-08-23"}]}"#, "party code"),
    ])
    func brokenNotes(json: String, fragment: String) {
        #expect {
            _ = try Note.decodeFile(Data(json.utf8))
        } throws: { error in
            let text = "\(error)"
            return text.contains(fragment) && !text.contains("\n")
        }
    }

    @Test("a directory with a broken agreement names the file")
    func directory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("accord-agreements-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("agreements"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: BundledPolicyTestsSupport.bundledDirectory.appendingPathComponent("parties.json"),
                                         to: dir.appendingPathComponent("parties.json"))
        try Data("{}".utf8).write(to: dir.appendingPathComponent("agreements/broken.json"))
        #expect {
            _ = try BundledPolicy.load(directory: dir)
        } throws: { error in "\(error)".contains("broken.json") }
    }

    @Test("instants parse strictly and format back", arguments: [
        ("2019-11-23T00:00:00+09:00", "2019-11-22T15:00:00Z"),
        ("2019-11-22", "2019-11-22T00:00:00Z"),
        ("2016-02-29T12:30Z", "2016-02-29T12:30:00Z"),
        ("2023-03-21T09:00:00.250-05:00", "2023-03-21T14:00:00Z"),
    ])
    func instants(text: String, utc: String) throws {
        #expect(Instant.format(try #require(Instant.parse(text))) == utc)
    }

    @Test("malformed instants are refused", arguments: ["2019-13-01", "2019-02-30", "2019-11-22T25:00Z", "2019-11-22T10:00", "tomorrow", "2019-11-22T10:00+9"])
    func badInstants(text: String) {
        #expect(Instant.parse(text) == nil)
    }
}

enum BundledPolicyTestsSupport {
    static var bundledDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/AccordCore/Bundled")
    }
}
