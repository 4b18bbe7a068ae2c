import AccordCore
import ArgumentParser
import Foundation

struct AgreementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Inspect agreements and their state.",
        subcommands: [Status.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every agreement with its state at an instant.")

        @Option(help: "The instant: YYYY-MM-DD (midnight UTC) or an ISO 8601 instant (default: now).") var at: String?
        @Flag(help: "Print one JSON object.") var json = false
        @OptionGroup var policy: PolicyOptions

        struct Row: Encodable {
            let id: String
            let name: String
            let parties: [String]
            let state: String
            let detail: String
            let in_force_since: String?
            let next_anniversary: String?
        }

        func run() async throws {
            let book = try policy.load()
            let instant = try at.map { try parseInstant($0) } ?? Date()
            let rows = book.histories.map { history in
                let state = history.state(at: instant)
                return Row(
                    id: history.agreement.id, name: history.agreement.shortName,
                    parties: history.agreement.parties.map(\.rawValue), state: state.name, detail: state.description,
                    in_force_since: history.entryIntoForce.map { Instant.format($0) },
                    next_anniversary: state.allowsExchange ? history.nextAnniversary(after: instant).map { Instant.format($0) } : nil)
            }
            if json {
                struct Output: Encodable { let at: String; let agreements: [Row] }
                try printJSON(Output(at: Instant.format(instant), agreements: rows))
                return
            }
            print("Agreements at \(Instant.format(instant)):")
            for row in rows {
                print("  \(row.id.padding(toLength: 20, withPad: " ", startingAt: 0)) \(row.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(row.detail)")
            }
        }
    }
}
