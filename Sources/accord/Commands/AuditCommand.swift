import AccordAudit
import AccordCore
import AccordNode
import ArgumentParser
import Foundation

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check and read a node's tamper-evident audit log.",
        subcommands: [Verify.self, Show.self, Proof.self])

    struct NodeOption: ParsableArguments {
        @Option(help: "The node's directory (made by accord init).") var data: String = "."
        var directory: URL { URL(fileURLWithPath: data) }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the whole tree from the stored entries and check every own and peer tree head; exit 1 naming the first bad entry.")
        @OptionGroup var node: NodeOption

        func run() async throws {
            let report: AuditVerificationReport
            do {
                report = try await NodeAudit.with(directory: node.directory) { context in
                    try await AuditLogVerifier(party: context.party, store: context.store, verifier: context.verifier).verify()
                }
            } catch {
                print("AUDIT LOG DAMAGED or unreadable: \(error)")
                throw ExitCode.failure
            }
            if report.isValid {
                print("audit log intact: \(report.entriesChecked) entries, \(report.treeHeadsChecked) own tree heads, \(report.peerTreeHeadsChecked) peer tree heads checked")
                return
            }
            print("AUDIT LOG DAMAGED: \(report.firstBadEntry.map { "first bad entry \($0)" } ?? report.problems.first.map { "\($0)" } ?? "")")
            print(report.description)
            throw ExitCode.failure
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List audit entries readably.")
        @OptionGroup var node: NodeOption
        @Option(help: "Only entries at or after this instant (ISO 8601).") var since: String?
        @Option(help: "At most this many entries (the latest ones).") var limit = 100

        func run() async throws {
            let from = try since.map { try parseInstant($0, option: "--since") }
            let lines = try await NodeAudit.with(directory: node.directory) { context -> [String] in
                let log = try context.log
                let size = try await log.size()
                var lines: [String] = []
                var end = size
                while end > 0, lines.count < limit {
                    let start = end >= 512 ? end - 512 : 0
                    for entry in try await log.entries(in: start..<end).reversed() {
                        if let from, entry.timestamp.date < from { continue }
                        lines.append(entry.formatted())
                        if lines.count == limit { break }
                    }
                    end = start
                }
                return lines.reversed()
            }
            lines.forEach { print($0) }
        }
    }

    struct Proof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print an inclusion proof of one entry against the latest signed tree head.")
        @Argument(help: "The entry's index.") var index: UInt64
        @OptionGroup var node: NodeOption

        func run() async throws {
            let text = try await NodeAudit.with(directory: node.directory) { context -> String in
                let log = try context.log
                let size = try await log.size()
                guard index < size else { throw InputError("the log has \(size) entries; there is no entry \(index)") }
                let head = try await log.latestTreeHead()
                let treeSize = head.map { $0.head.treeSize > index ? $0.head.treeSize : size } ?? size
                let proof = try await log.inclusionProof(index: index, treeSize: treeSize)
                let root = try await log.rootHash(treeSize: treeSize)
                var text = proof.formatted(leafHash: try await log.leafHash(at: index), rootHash: root, entry: try await log.entry(at: index))
                if let head, head.head.treeSize == treeSize { text += "\nsigned tree head: size \(treeSize), key \(head.keyID), at \(head.head.timestamp)" }
                return text
            }
            print(text)
        }
    }
}
