import Foundation
import Testing
@testable import AccordCore

@Suite("Labels")
struct LabelTests {
    @Test("the issue's example parses into its parts")
    func example() throws {
        let parsed = try label("KR//II//REL TO JP,US//TOPIC nk-missile")
        #expect(parsed.originator == KR)
        #expect(parsed.level.code == "II")
        #expect(parsed.level.nativeName == "군사II급비밀")
        #expect(parsed.releasableTo == [JP, US])
        #expect(parsed.topics.map(\.rawValue) == ["nk-missile"])
        #expect(parsed.caveats.isEmpty)
    }

    @Test("canonical text round-trips exactly", arguments: [
        "KR//II//REL TO JP,US//TOPIC nk-missile",
        "KR//III//REL TO JP",
        "KR//I//REL TO US//TOPIC nk-nuclear,nk-missile//CAVEAT ORCON",
        "JP//TOKUTEI//REL TO KR//TOPIC maritime",
        "JP//KIMITSU//REL TO US//CAVEAT NOCONTRACT,ORCON",
        "US//TOP SECRET//REL TO KR,JP//TOPIC nk-missile",
        "US//CONFIDENTIAL//REL TO JP",
    ])
    func roundTrip(text: String) throws {
        #expect(try label(text).text == text)
    }

    @Test("native names and aliases read as the same level", arguments: [
        ("KR//군사II급비밀//REL TO JP", "KR//II//REL TO JP"),
        ("KR//군사III급비밀//REL TO JP", "KR//III//REL TO JP"),
        ("JP//秘//REL TO KR", "JP//HI//REL TO KR"),
        ("JP//極秘//REL TO KR", "JP//GOKUHI//REL TO KR"),
        ("JP//特定秘密//REL TO KR", "JP//TOKUTEI//REL TO KR"),
        ("JP//機密//REL TO US", "JP//KIMITSU//REL TO US"),
        ("US//S//REL TO KR", "US//SECRET//REL TO KR"),
        ("US//TS//REL TO KR", "US//TOP SECRET//REL TO KR"),
        ("US//C//REL TO KR", "US//CONFIDENTIAL//REL TO KR"),
        ("  KR//II//REL TO JP, US//TOPIC nk-missile\n", "KR//II//REL TO JP,US//TOPIC nk-missile"),
    ])
    func synonyms(input: String, canonical: String) throws {
        #expect(try label(input).text == canonical)
    }

    @Test("schemes order levels; 極秘 and 特定秘密 share a rank")
    func ordering() throws {
        let jp = try #require(bundledBook.parties[JP]).scheme
        let hi = try #require(jp.level(named: "HI")), gokuhi = try #require(jp.level(named: "GOKUHI"))
        let tokutei = try #require(jp.level(named: "TOKUTEI")), kimitsu = try #require(jp.level(named: "KIMITSU"))
        #expect(hi.rank < gokuhi.rank && gokuhi.rank == tokutei.rank && tokutei.rank < kimitsu.rank)
        let kr = try #require(bundledBook.parties[KR]).scheme
        #expect(kr.levels.map(\.code) == ["III", "II", "I"])
    }

    @Test("bad text is refused with a message naming the bad part", arguments: [
        ("", LabelError.Code.malformed, "empty"),
        ("KR//II", .malformed, "2 part(s)"),
        ("XX//II//REL TO JP", .unknownParty, "'XX'"),
        ("kr//II//REL TO JP", .unknownParty, "'kr'"),
        ("KR//SECRET//REL TO JP", .unknownLevel, "'SECRET'"),
        ("KR//ii//REL TO JP", .unknownLevel, "did you mean 'II'"),
        ("KR////REL TO JP", .malformed, "level is empty"),
        ("KR//II//RELTO JP", .malformed, "REL TO"),
        ("KR//II//REL TO JP,ZZ", .unknownParty, "'ZZ'"),
        ("KR//II//REL TO JP,,US", .malformed, "empty entry"),
        ("KR//II//REL TO JP,JP", .duplicate, "'JP' twice"),
        ("KR//II//REL TO JP//TOPIC NK-Missile", .badTopic, "'NK-Missile'"),
        ("KR//II//REL TO JP//TOPIC nk--missile", .badTopic, "'nk--missile'"),
        ("KR//II//REL TO JP//CAVEAT orcon", .badCaveat, "'orcon'"),
        ("KR//II//REL TO JP//CAVEAT A//TOPIC x", .malformed, "TOPIC must appear once"),
        ("KR//II//REL TO JP//TOPIC a//TOPIC b", .malformed, "TOPIC must appear once"),
        ("KR//II//REL TO JP//FOO x", .malformed, "'FOO x'"),
        ("KR//II//REL TO JP//TOPIC a//CAVEAT B//X", .malformed, "at most 5"),
    ])
    func rejects(text: String, code: LabelError.Code, fragment: String) {
        #expect {
            _ = try label(text)
        } throws: { error in
            guard let error = error as? LabelError else { return false }
            return error.code == code && error.message.contains(fragment) && !error.message.contains("\n")
        }
    }

    @Test("oversized text and lists are refused")
    func limits() {
        let long = "KR//II//REL TO JP//TOPIC " + String(repeating: "a", count: 2000)
        #expect(throws: LabelError.self) { try label(long) }
        let many = "KR//II//REL TO JP//TOPIC " + (0..<40).map { "t\($0)" }.joined(separator: ",")
        #expect(throws: LabelError.self) { try label(many) }
    }

    @Test("random text and mutations of valid labels never crash the parser; accepted text round-trips")
    func fuzz() throws {
        var rng = SplitMix64(seed: 0xACC0_4D)
        let alphabet = Array("KRJPUS/IIHTO ,-SECRTnk-missile군사급비밀極秘特定機密\t\n\u{0}é".unicodeScalars)
        let seeds = ["KR//II//REL TO JP,US//TOPIC nk-missile", "JP//極秘//REL TO KR//CAVEAT ORCON", "US//TOP SECRET//REL TO JP"]
        let parser = LabelParser(parties: bundledBook.parties)
        var accepted = 0
        for iteration in 0..<20_000 {
            var scalars: [Unicode.Scalar]
            if iteration % 2 == 0 {
                scalars = (0..<Int.random(in: 0...60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            } else {
                scalars = Array(seeds.randomElement(using: &rng)!.unicodeScalars)
                for _ in 0..<Int.random(in: 1...3, using: &rng) where !scalars.isEmpty {
                    let index = Int.random(in: 0..<scalars.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: scalars.remove(at: index)
                    case 1: scalars.insert(alphabet.randomElement(using: &rng)!, at: index)
                    default: scalars[index] = alphabet.randomElement(using: &rng)!
                    }
                }
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars)
            if let parsed = try? parser.parse(String(text)) {
                accepted += 1
                #expect(try parser.parse(parsed.text) == parsed)
            }
        }
        #expect(accepted > 100, "mutations should leave some labels valid")
    }
}
