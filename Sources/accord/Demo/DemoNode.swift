import AccordCore
import AccordNode
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One node of the demo: a separate `accord serve` process on loopback ports, driven over its API.
final class DemoNode: @unchecked Sendable {
    // @unchecked: `process` is touched only by the demo's single task (start, then stop).
    let party: PartyCode
    let directory: URL
    let apiPort: Int
    let token: String
    private var process: Process?

    init(party: PartyCode, directory: URL, apiPort: Int, token: String) {
        self.party = party
        self.directory = directory
        self.apiPort = apiPort
        self.token = token
    }

    /// Starts `accord serve` on a simulated clock, logging to `node.log` in the node's directory.
    func start(executable: URL, clock: Date) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--config", directory.appendingPathComponent(NodeSetup.FileName.configuration).path,
                             "--simulated-clock", Instant.format(clock), "--log-level", "warning"]
        let log = directory.appendingPathComponent("node.log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw DemoFailure("cannot create \(log.path)") }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
    }

    /// Stops the process (SIGTERM: graceful shutdown) and waits for it.
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    var isRunning: Bool { process?.isRunning ?? false }

    func request(_ client: HTTPClient, _ method: HTTPMethod, _ path: String, body: [String: Any]? = nil) async throws -> (Int, Data) {
        try await request(client, method, path, json: try body.map { try JSONSerialization.data(withJSONObject: $0) })
    }

    func request(_ client: HTTPClient, _ method: HTTPMethod, _ path: String, json: Data?) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(apiPort)\(path)")
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), Data(Array(buffer: bytes)))
    }

    /// Waits until the API answers, or the process dies, or `timeout` passes.
    func waitUntilReady(_ client: HTTPClient, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard isRunning else { throw DemoFailure("\(party) node exited; see \(directory.appendingPathComponent("node.log").path)") }
            if let (status, _) = try? await request(client, .GET, "/health"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DemoFailure("\(party) node did not answer within \(timeout)")
    }

    func setClock(_ client: HTTPClient, _ instant: Date) async throws {
        let (status, body) = try await request(client, .POST, "/api/v1/clock", body: ["at": Instant.format(instant)])
        guard status == 200 else { throw DemoFailure("\(party) refused the clock: \(String(decoding: body, as: UTF8.self))") }
    }

    /// Issues one of this node's party's notes (`POST /api/v1/notes`); returns the parties it was sent to.
    func issue(_ client: HTTPClient, _ note: Note) async throws -> [String] {
        let (status, body) = try await request(client, .POST, "/api/v1/notes", json: try note.encodedJSON())
        guard status == 200, let answer = try JSONSerialization.jsonObject(with: body) as? [String: Any], let sent = answer["sent_to"] as? [String] else {
            throw DemoFailure("\(party) did not issue note \(note.id): HTTP \(status) \(String(decoding: body, as: UTF8.self))")
        }
        return sent
    }

    /// Each agreement of this node: its state now and the ids of the notes the node holds about it.
    func agreements(_ client: HTTPClient) async throws -> [String: (state: String, notes: Set<String>)] {
        let (status, body) = try await request(client, .GET, "/api/v1/agreements")
        guard status == 200, let answer = try JSONSerialization.jsonObject(with: body) as? [String: Any],
              let list = answer["agreements"] as? [[String: Any]] else { throw DemoFailure("\(party) agreements: HTTP \(status)") }
        var result: [String: (state: String, notes: Set<String>)] = [:]
        for item in list {
            guard let id = item["id"] as? String, let state = item["state"] as? String else { continue }
            result[id] = (state, Set((item["notes"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }))
        }
        return result
    }

    /// The ids and local levels of the objects this node holds.
    func holdings(_ client: HTTPClient) async throws -> [String: String] {
        let (status, body) = try await request(client, .GET, "/api/v1/holdings")
        guard status == 200, let list = try JSONSerialization.jsonObject(with: body) as? [[String: Any]] else {
            throw DemoFailure("\(party) holdings: HTTP \(status)")
        }
        var result: [String: String] = [:]
        for item in list {
            if let id = item["objectID"] as? String, let level = item["localLevel"] as? String { result[id] = level }
        }
        return result
    }
}

/// Something in the demo went wrong; the demo stops and exits non-zero.
struct DemoFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
