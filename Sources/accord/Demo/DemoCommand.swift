import AccordCore
import ArgumentParser
import AsyncHTTPClient
import Foundation

/// `accord demo`: the README's main command.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Replay the KR–JP GSOMIA history, 2014–2023: the decisions, then three real nodes exchanging launch reports.",
        discussion: """
            Part 1 prints every agreement's state and the KR→JP / JP→KR decision on each key date, and the
            counterfactual where the 2019 notice is never suspended. Part 2 starts KR, JP and US nodes as
            separate processes on loopback (SQLite each, in a temporary directory unless --data is given),
            replays North Korean launches at their real dates on a simulated clock, and checks every route,
            every level the recipient holds, and the audit logs. Exits non-zero if anything is not as the
            agreements require.
            """
    )

    @OptionGroup var policy: PolicyOptions
    @Option(help: "Keep the nodes' data (keys, configuration, SQLite, logs) in this directory.") var data: String?
    @Flag(help: "Only part 1 (no nodes).") var policyOnly = false

    func run() async throws {
        let book = try policy.load()
        var failures = try PolicyReplay().run(book: book)
        if !policyOnly {
            failures += try await runFederation(book: book)
        }
        guard failures.isEmpty else {
            print("")
            failures.forEach { print("UNEXPECTED: \($0)") }
            throw ExitCode.failure
        }
    }

    private func runFederation(book: PolicyBook) async throws -> [String] {
        let root = data.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("accord-demo-\(UUID().uuidString.prefix(8))")
        if let data, FileManager.default.fileExists(atPath: URL(fileURLWithPath: data).appendingPathComponent("history").path) {
            throw InputError("--data \(data) already holds a demo; choose an empty directory")
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { if data == nil { try? FileManager.default.removeItem(at: root) } }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let demo = FederationDemo(executable: executable, root: root, book: book)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let failures = try await replay(demo: demo, root: root, executable: executable, client: client)
            try? await client.shutdown()
            return failures
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func replay(demo: FederationDemo, root: URL, executable: URL, client: HTTPClient) async throws -> [String] {
        let book = demo.book
        print("\n== Three nodes: KR, JP and US as separate processes, launches at their real dates ==")
        let events = try Self.events()
        let real = try await demo.run(name: "history", book: book, agreements: nil, events: events, client: client)

        print("\n== Counterfactual nodes: the 2019 notice is never suspended ==")
        let counterfactualDirectory = try writeCounterfactualAgreements(into: root)
        let counterfactualBook = try BundledPolicy.load(directory: counterfactualDirectory)
        let later = events.filter { $0.instant >= Instant.parse("2019-08-01")! && $0.instant <= Instant.parse("2023-12-31")! }
        let counterfactual = try await demo.run(name: "counterfactual", book: counterfactualBook, agreements: counterfactualDirectory,
                                                events: later, client: client)
        var failures = real.failures + counterfactual.failures
        failures += try verifyAudit(root: root, executable: executable)
        let latencies = (real.latencies + counterfactual.latencies).sorted()
        if !latencies.isEmpty {
            let p50 = latencies[latencies.count / 2], p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
            print("\n\(latencies.count) reports delivered end to end (release → held by the recipient): p50 \(String(format: "%.0f", p50)) ms, p99 \(String(format: "%.0f", p99)) ms")
        }
        if data != nil { print("Nodes' data kept in \(root.path)") }
        return failures
    }

    /// Runs `accord audit verify` on every node directory.
    private func verifyAudit(root: URL, executable: URL) throws -> [String] {
        var failures: [String] = []
        print("\n== accord audit verify on every node ==")
        for run in ["history", "counterfactual"] {
            for party in ["kr", "jp", "us"] {
                let directory = root.appendingPathComponent(run).appendingPathComponent(party)
                let process = Process()
                process.executableURL = executable
                process.arguments = ["audit", "verify", "--data", directory.path]
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = pipe
                try process.run()
                let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                let summary = output.split(separator: "\n").first.map(String.init) ?? ""
                print("  \(run)/\(party): \(summary)")
                if process.terminationStatus != 0 { failures.append("audit verify failed for \(run)/\(party): \(output)") }
            }
        }
        return failures
    }

    /// Key dates of the history and every launch of the published record, in order.
    static func events() throws -> [FederationDemo.Event] {
        var events = [
            FederationDemo.Event(instant: Instant.parse("2014-06-01T12:00:00+09:00")!, title: "Before TISA: no route between Korea and Japan"),
            FederationDemo.Event(instant: Instant.parse("2015-06-01T12:00:00+09:00")!, title: "Under TISA: the US relays, with the originator's consent"),
            FederationDemo.Event(instant: Instant.parse("2016-11-23T12:00:00+09:00")!, title: "GSOMIA signed and in force"),
            FederationDemo.Event(instant: Instant.parse("2019-08-23T12:00:00+09:00")!, title: "Korea's notice of termination"),
            FederationDemo.Event(instant: Instant.parse("2019-11-22T17:00:00+09:00")!, title: "Seven hours before the lapse"),
            FederationDemo.Event(instant: Instant.parse("2019-11-23T12:00:00+09:00")!, title: "The day after: the notice was suspended at 18:00"),
            FederationDemo.Event(instant: Instant.parse("2023-03-21T12:00:00+09:00")!, title: "Both 2019 notes withdrawn"),
        ]
        guard let url = Bundle.module.url(forResource: "launches", withExtension: "csv") else { throw InputError("launches.csv is missing from this build") }
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 2, let date = Instant.parse("\(fields[0])T12:00:00+09:00") else { continue }
            events.append(FederationDemo.Event(instant: date, title: "Launch: \(fields[1])"))
        }
        return events.sorted { $0.instant < $1.instant }
    }

    /// A copy of the bundled agreements whose GSOMIA notes stop at the 2019 notice.
    private func writeCounterfactualAgreements(into root: URL) throws -> URL {
        guard let bundled = BundledPolicy.directory else { throw InputError("the bundled agreements are missing from this build") }
        let target = root.appendingPathComponent("counterfactual-agreements")
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: bundled, to: target)
        let notes = target.appendingPathComponent("notes/kr-jp-gsomia-2016.json")
        guard var file = try JSONSerialization.jsonObject(with: Data(contentsOf: notes)) as? [String: Any],
              let entries = file["notes"] as? [[String: Any]] else { throw InputError("cannot read \(notes.path)") }
        file["notes"] = entries.filter { !["suspension-of-notice", "withdrawal-of-notice"].contains($0["kind"] as? String ?? "") }
        try JSONSerialization.data(withJSONObject: file, options: [.prettyPrinted, .sortedKeys]).write(to: notes)
        return target
    }
}
