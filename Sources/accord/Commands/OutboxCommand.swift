import AccordNode
import ArgumentParser
import Foundation
import NIOCore
import NIOHTTP1

/// `accord outbox`: what the node still has to deliver, and withdrawing an envelope (users with the `outbox` role).
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "See what your node still has to deliver, and withdraw an envelope (role outbox; the node must be running).",
        subcommands: [List.self, Withdraw.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the envelopes and notes waiting for each peer, oldest first.")

        @OptionGroup var node: NodeAPIOptions
        @Option(help: "Only the rows waiting for this peer (a party code: JP).") var peer: String?
        @Option(help: "At most this many rows per peer (1 to 1000).") var limit = 100
        @Flag(help: "Print the node's JSON.") var json = false

        func run() async throws {
            var query = "limit=\(limit)"
            if let peer { query += "&peer=\(peer.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? peer)" }
            let body = try await node.call(.GET, "/api/v1/outbox?\(query)")
            if json {
                print(String(buffer: body))
                return
            }
            let rows = try JSONDecoder().decode([OutboxRowAnswer].self, from: Data(Array(buffer: body)))
            guard !rows.isEmpty else {
                print("Nothing waits in the outbox\(peer.map { " for \($0)" } ?? "").")
                return
            }
            print("\(rows.count) row(s) waiting:")
            for row in rows {
                var status = row.on_the_wire ? "on the wire" : row.attempts == 0 ? "not tried yet" : "\(row.attempts) failed attempt(s), next \(row.next_attempt)"
                if row.refused { status += ", refused by the peer" }
                print("  \(row.created)  \(row.kind == "statement" ? "note  " : "envelope")  \(row.id)  → \(row.recipient)  [\(row.agreement)]  \(status)")
                if let error = row.last_error { print("      last error: \(error)") }
            }
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Withdraw an envelope not yet delivered, or every one waiting for a peer: it will not be sent, and the audit log records who and why.")

        @OptionGroup var node: NodeAPIOptions
        @Argument(help: "The envelope's id (from `accord outbox list`).") var envelope: String?
        @Option(help: "Withdraw every envelope waiting for this peer instead (signed notes and compromise reports stay).") var peer: String?
        @Option(help: "Why (recorded in the audit log).") var reason: String
        @Option(help: "Seconds to keep asking while envelopes are on the wire (a round to a peer that is down holds them while it connects).")
        var wait = 30

        func validate() throws {
            guard (envelope == nil) != (peer == nil) else { throw ValidationError("name one envelope, or --peer for every envelope waiting for a peer") }
            guard (0...600).contains(wait) else { throw ValidationError("--wait must be 0 to 600 seconds") }
        }

        func run() async throws {
            if let envelope {
                let path = "/api/v1/outbox/\(envelope.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? envelope)/withdraw"
                _ = try await node.call(.POST, path, json: ["reason": reason], retryingWhileLocked: .seconds(wait))
                print("Withdrawn: \(envelope) will not be sent.")
                return
            }
            guard let peer else { return }
            // One call takes a bounded number of rows, and leaves those on the wire: ask again until neither remains.
            let deadline = ContinuousClock.now + .seconds(wait)
            var withdrawn = 0
            var last: BulkWithdrawalAnswer
            repeat {
                let body = try await node.call(.POST, "/api/v1/outbox/withdraw", json: ["peer": peer, "reason": reason], retryingWhileLocked: .seconds(wait))
                last = try JSONDecoder().decode(BulkWithdrawalAnswer.self, from: Data(Array(buffer: body)))
                withdrawn += last.withdrawn.count
                if !last.more, !last.on_the_wire.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(500)) }
            } while last.more || (!last.on_the_wire.isEmpty && ContinuousClock.now < deadline)
            print("Withdrawn: \(withdrawn) envelope(s) to \(peer) will not be sent.")
            if !last.on_the_wire.isEmpty {
                print("Still on the wire after \(wait) s (their receipts decide): \(last.on_the_wire.joined(separator: ", "))")
            }
            if !last.statements.isEmpty {
                print("Left to deliver: \(last.statements.count) signed note(s) or compromise report(s), which \(peer) must receive.")
            }
        }
    }
}
