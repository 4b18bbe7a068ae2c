import AccordNode
import ArgumentParser
import Foundation
import NIOCore
import NIOHTTP1

/// `accord inbox`: what the user may see at their node (clearance and need-to-know applied by the node).
struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "List the holdings you may read at your node (it must be running: accord serve).")

    @OptionGroup var node: NodeAPIOptions
    @Flag(help: "Print the node's JSON.") var json = false

    func run() async throws {
        let body = try await node.call(.GET, "/api/v1/holdings")
        if json {
            print(String(buffer: body))
            return
        }
        let holdings = try JSONDecoder().decode([VisibleHolding].self, from: Data(Array(buffer: body)))
        print("\(holdings.count) holding(s) at \(try node.configuration().party) you may read:")
        for holding in holdings {
            print("  \(holding.received)  \(holding.objectID)  \(holding.marking)  from \(holding.receivedFrom)  [\(holding.agreements.joined(separator: ", "))]")
        }
    }
}
