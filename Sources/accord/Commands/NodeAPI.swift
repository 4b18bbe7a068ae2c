import AccordNode
import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// How the CLI reaches a running node's analyst API: the node's configuration file and the user's token.
struct NodeAPIOptions: ParsableArguments {
    @Option(help: "The node's configuration file.") var config: String
    @Option(help: "Your API token (default: the ACCORD_TOKEN environment variable).") var token: String?

    /// The node's configuration, read from `--config`.
    func configuration() throws -> NodeConfiguration {
        do { return try NodeConfiguration.load(from: URL(fileURLWithPath: config)) } catch { throw InputError("\(error)") }
    }

    /// Sends one request to the node's API; returns the answer's body if the status is 200, else a clear error. While
    /// the node answers 423 (a resource held by work in progress, such as an outbox row on the wire), the request is
    /// sent again every half second for up to `retryingWhileLocked`.
    func call(
        _ method: HTTPMethod = .GET, _ path: String, json body: [String: String]? = nil, retryingWhileLocked: Duration = .zero
    ) async throws -> ByteBuffer {
        let deadline = ContinuousClock.now + retryingWhileLocked
        while true {
            let (status, answer) = try await send(method, path, json: body)
            if status.code == 423, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(500))
                continue
            }
            guard status == .ok else { throw InputError("the node answered \(status.code): \(String(buffer: answer))") }
            return answer
        }
    }

    private func send(_ method: HTTPMethod, _ path: String, json body: [String: String]?) async throws -> (HTTPResponseStatus, ByteBuffer) {
        let configuration = try configuration()
        guard let token = token ?? ProcessInfo.processInfo.environment["ACCORD_TOKEN"], !token.isEmpty else {
            throw InputError("give --token or set ACCORD_TOKEN")
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let answer: ByteBuffer
        let status: HTTPResponseStatus
        do {
            var request = HTTPClientRequest(url: "http://\(configuration.api.host):\(configuration.api.port)\(path)")
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
            }
            let response = try await client.execute(request, timeout: .seconds(10))
            status = response.status
            answer = try await response.body.collect(upTo: 64 << 20)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw InputError("cannot reach the \(configuration.party) node at \(configuration.api.host):\(configuration.api.port): \(error)")
        }
        return (status, answer)
    }
}
