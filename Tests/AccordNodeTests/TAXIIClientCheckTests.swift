import AccordCore
import AccordSTIX
import Foundation
import Hummingbird
import Testing
@testable import AccordNode

/// The OASIS taxii2-client and stix2-validator against real listeners (`scripts/taxii-client-check`).
@Suite("TAXII 2.1 with the OASIS client and validator")
struct TAXIIClientCheckTests {
    static let tools = ProcessInfo.processInfo.environment["ACCORD_PYTHON_TOOLS"]
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs the node's analyst listener on a free port while `body` runs.
    func withListener(_ federation: Federation, _ party: String, _ body: @Sendable (Int) async throws -> Void) async throws {
        let port = AsyncStream<Int>.makeStream()
        let app = try APIApplication.build(
            engine: federation.nodes[party]!, users: TAXIIFixture.users[party]!, clock: NodeClock(), metrics: NodeMetrics(),
            host: "127.0.0.1", port: 0, onRunning: { port.continuation.yield($0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var ports = port.stream.makeAsyncIterator()
            let bound = await ports.next() ?? 0
            defer { group.cancelAll() }
            try await body(bound)
        }
    }

    /// Runs the check script; returns its JSON summary.
    func check(port: Int, user: String, collection: String, bundle: URL? = nil) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.tools!).appendingPathComponent("python")
        process.arguments = [Self.root.appendingPathComponent("scripts/taxii-client-check").path, "--url", "http://127.0.0.1:\(port)/taxii2/",
                             "--user", user, "--password", "pw-\(user)", "--collection", collection] + (bundle.map { ["--bundle", $0.path] } ?? [])
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "taxii-client-check as \(user): \(errors)")
        return (try? JSONSerialization.jsonObject(with: output)) as? [String: Any] ?? [:]
    }

    @Test("add, poll, filter, page, manifest, validate; a junior sees fewer; JP sees its own levels",
          .enabled(if: tools != nil, "ACCORD_PYTHON_TOOLS is not set: run scripts/test, or export ACCORD_PYTHON_TOOLS=$(scripts/python-tools)"))
    func oasisClient() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("taxii-\(UUID().uuidString).json")
        var body = try TAXIIFixture.bundle()
        try Data(body.readBytes(length: body.readableBytes)!).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try await withListener(federation, "KR") { port in
            let analyst = try check(port: port, user: "kr-analyst", collection: "kr-jp-gsomia-2016", bundle: file)
            #expect(analyst["added"] as? Int == 4)
            #expect(analyst["objects"] as? Int == 4)
            #expect(analyst["reports"] as? Int == 1)
            #expect((analyst["validated"] as? Int ?? 0) >= 8)
            let junior = try check(port: port, user: "kr-junior", collection: "kr-jp-gsomia-2016")
            #expect(junior["objects"] as? Int == 2, "\(junior)")
            #expect(junior["reports"] as? Int == 0)
        }
        try await federation.deliver("KR", "JP")
        try await withListener(federation, "JP") { port in
            let jp = try check(port: port, user: "jp-analyst", collection: "received")
            #expect(jp["objects"] as? Int == 4, "\(jp)")
            let names = jp["marking_names"] as? [String] ?? []
            #expect(names.contains("KR//II//REL TO JP//TOPIC nk-missile (KR 군사II급비밀 / JP 極秘)"), "\(names)")
            #expect(names.contains("KR//III//REL TO JP//TOPIC nk-missile (KR 군사III급비밀 / JP 秘)"), "\(names)")
        }
    }
}
