import AccordCore
import ArgumentParser
import Foundation

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Ask the release policy.",
        subcommands: [Explain.self]
    )

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain the release decision for one label, sender and recipient at one instant.",
            discussion: """
                Example: accord policy explain --at 2019-12-01 --from KR --to JP \\
                           --label "KR//II//REL TO JP,US//TOPIC nk-missile"
                """
        )

        @Option(help: "The instant: YYYY-MM-DD (midnight UTC) or an ISO 8601 instant.") var at: String
        @Option(help: "The releasing party (the originator, or an intermediary passing it on).") var from: String
        @Option(help: "The receiving party.") var to: String
        @Option(help: "The originator's label, e.g. \"KR//II//REL TO JP,US//TOPIC nk-missile\".") var label: String
        @Option(help: "What the information is for.") var purpose: String = "defence"
        @Flag(help: "Print one JSON object.") var json = false
        @OptionGroup var policy: PolicyOptions

        func run() async throws {
            let book = try policy.load()
            let instant = try parseInstant(at)
            let sender = try parseParty(from, option: "--from", book: book)
            let recipient = try parseParty(to, option: "--to", book: book)
            let parsed: Label
            do { parsed = try LabelParser(parties: book.parties).parse(label) } catch {
                throw InputError(error.description)
            }
            let request = ReleaseRequest(label: parsed, sender: sender, recipient: recipient, purpose: purpose, instant: instant)
            let decision = book.decide(request)
            let explanation = DecisionExplanation(decision, request: request, book: book)
            if json { try printJSON(explanation) } else { print(explanation.text) }
        }
    }
}

/// A decision in the shape the CLI prints (`--json` keys are a stable contract).
struct DecisionExplanation: Encodable {
    let decision: String
    let route: [String]
    let recipient_level: String?
    let recipient_level_code: String?
    let agreements: [String]
    let reasons: [String]
    let reason_codes: [String]
    let consent: String?
    let label: String
    let at: String

    init(_ decision: Decision, request: ReleaseRequest, book: PolicyBook) {
        self.decision = decision.kind
        self.label = request.label.text
        self.at = Instant.format(request.instant)
        recipient_level = decision.recipientLevel?.nativeName
        recipient_level_code = decision.recipientLevel?.code
        switch decision {
        case .direct(let agreement, _):
            route = [request.label.originator, request.recipient].map(\.rawValue)
            agreements = [agreement]
            reasons = []
            reason_codes = []
            consent = nil
        case .viaIntermediary(let path, let used, _, let status):
            route = path.map(\.rawValue)
            agreements = used
            reasons = []
            reason_codes = []
            switch status {
            case .givenByOriginator: consent = "given by the originator \(request.label.originator) with this release"
            case .held(let id): consent = "held: \(id)"
            }
        case .denied(let why):
            route = []
            agreements = []
            reasons = why.map(\.description)
            reason_codes = why.map(\.code)
            consent = nil
        }
    }

    var text: String {
        var lines = ["\(label) at \(at):"]
        switch decision {
        case "denied":
            lines.append("  DENIED")
            lines += reasons.map { "  - \($0)" }
        default:
            lines.append("  \(decision == "direct" ? "DIRECT" : "VIA INTERMEDIARY") \(route.joined(separator: " → "))")
            lines.append("  recipient marks it \(recipient_level ?? "?") (\(recipient_level_code ?? "?"))")
            lines.append("  under \(agreements.joined(separator: ", "))")
            if let consent { lines.append("  consent: \(consent)") }
        }
        return lines.joined(separator: "\n")
    }
}
