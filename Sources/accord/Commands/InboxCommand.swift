import AccordNode
import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `accord inbox`: what the user may see at their node (clearance and need-to-know applied by the node).
struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "List the holdings you may read at your node (it must be running: accord serve).")

    @Option(help: "The node's configuration file.") var config: String
    @Option(help: "Your API token (default: the ACCORD_TOKEN environment variable).") var token: String?
    @Flag(help: "Print the node's JSON.") var json = false

    func run() async throws {
        let configuration: NodeConfiguration
        do { configuration = try NodeConfiguration.load(from: URL(fileURLWithPath: config)) } catch { throw InputError("\(error)") }
        guard let token = token ?? ProcessInfo.processInfo.environment["ACCORD_TOKEN"], !token.isEmpty else {
            throw InputError("give --token or set ACCORD_TOKEN")
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let body: ByteBuffer
        let status: HTTPResponseStatus
        do {
            var request = HTTPClientRequest(url: "http://\(configuration.api.host):\(configuration.api.port)/api/v1/holdings")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await client.execute(request, timeout: .seconds(10))
            status = response.status
            body = try await response.body.collect(upTo: 64 << 20)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw InputError("cannot reach the \(configuration.party) node at \(configuration.api.host):\(configuration.api.port): \(error)")
        }
        guard status == .ok else { throw InputError("the node answered \(status.code): \(String(buffer: body))") }
        if json {
            print(String(buffer: body))
            return
        }
        let holdings = try JSONDecoder().decode([VisibleHolding].self, from: Data(Array(buffer: body)))
        print("\(holdings.count) holding(s) at \(configuration.party) you may read:")
        for holding in holdings {
            print("  \(holding.received)  \(holding.objectID)  \(holding.marking)  from \(holding.receivedFrom)  [\(holding.agreements.joined(separator: ", "))]")
        }
    }
}
