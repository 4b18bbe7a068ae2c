import AccordCore
import ArgumentParser
import Foundation

/// `accord bench core`: time per release decision and per label parse, with the four bundled agreements.
struct BenchCore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "core", abstract: "Release decisions and label parsing.")

    @Option(help: "Decisions per measured case.") var iterations = 1_000_000

    func run() async throws {
        let book = try BundledPolicy.load()
        let parser = LabelParser(parties: book.parties)
        let consent = Consent(id: "c", originator: PartyCode("KR")!, intermediary: PartyCode("US")!, recipient: PartyCode("JP")!,
                              coverage: .object("o"), validFrom: Instant.parse("2015-01-01")!)
        let cases: [(String, ReleaseRequest, [Consent])] = [
            ("direct KR→JP (GSOMIA, 2017)", try request(parser, "KR//II//REL TO JP,US//TOPIC nk-missile", "KR", "JP", "2017-06-01"), []),
            ("via KR→US→JP (TISA, 2015)", try request(parser, "KR//II//REL TO JP,US//TOPIC nk-missile", "KR", "JP", "2015-06-01"), []),
            ("onward US→JP with consent (2015)", try request(parser, "KR//II//REL TO JP,US//TOPIC nk-missile", "US", "JP", "2015-06-01"), [consent]),
            ("denied KR I→JP (ceiling)", try request(parser, "KR//I//REL TO JP,US//TOPIC nk-missile", "KR", "JP", "2017-06-01"), []),
        ]
        print("Release decision, \(book.histories.count) agreements loaded, \(iterations) decisions per case:")
        for (name, request, consents) in cases {
            var allowed = 0
            let elapsed = ContinuousClock().measure {
                for _ in 0..<iterations where book.decide(request, consents: consents).isAllowed { allowed += 1 }
            }
            print("  \(name.padding(toLength: 36, withPad: " ", startingAt: 0)) \(format(elapsed, per: iterations)) per decision (\(allowed > 0 ? "allowed" : "denied"))")
        }
        let text = "KR//II//REL TO JP,US//TOPIC nk-missile//CAVEAT ORCON"
        var parsed = 0
        let parseTime = ContinuousClock().measure {
            for _ in 0..<iterations / 4 where (try? parser.parse(text)) != nil { parsed += 1 }
        }
        print("  \("label parse".padding(toLength: 36, withPad: " ", startingAt: 0)) \(format(parseTime, per: iterations / 4)) per label (\(parsed) parsed)")
    }

    private func request(_ parser: LabelParser, _ text: String, _ from: String, _ to: String, _ date: String) throws -> ReleaseRequest {
        ReleaseRequest(label: try parser.parse(text), sender: PartyCode(from)!, recipient: PartyCode(to)!, purpose: "defence",
                       instant: Instant.parse(date)!, objectID: "o")
    }
}

/// Formats a duration divided by a count as µs or ns.
func format(_ duration: Duration, per count: Int) -> String {
    let (seconds, attoseconds) = duration.components
    let nanoseconds = (Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(max(count, 1))
    return nanoseconds >= 1000 ? String(format: "%8.2f µs", nanoseconds / 1000) : String(format: "%8.0f ns", nanoseconds)
}
