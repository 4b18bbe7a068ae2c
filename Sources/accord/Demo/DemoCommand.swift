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
            separate processes on loopback (SQLite each, in a temporary directory unless --data is given);
            on a simulated clock each diplomatic note is signed by its party's node on its date and sent to
            the other parties' nodes, which decide with the notes they hold; it replays North Korean
            launches at their real dates, and checks every route,
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
        // The nodes start with the agreements and the notes dated before the replay; every later note is
        // signed and sent by its party's node on its date, and each node decides with the notes it holds.
        let start = events[0].instant
        let real = try await demo.run(name: "history", book: book, agreements: try writeAgreements(into: root, name: "history", notesBefore: start),
                                      events: Self.merge(events, notes: Self.notes(of: book, from: start)), client: client)

        print("\n== Counterfactual nodes: the 2019 notice is never suspended ==")
        let counterfactualBook = try Self.counterfactual(book)
        let from = Instant.parse("2019-08-01")!
        let later = events.filter { $0.instant >= from && $0.instant <= Instant.parse("2023-12-31")! }
        let counterfactual = try await demo.run(
            name: "counterfactual", book: counterfactualBook, agreements: try writeAgreements(into: root, name: "counterfactual", notesBefore: from),
            events: Self.merge(later, notes: Self.notes(of: counterfactualBook, from: from)), client: client)
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

    /// The book as if Korea had never suspended (nor withdrawn) its 2019 notice.
    static func counterfactual(_ book: PolicyBook) throws -> PolicyBook {
        let id = "kr-jp-gsomia-2016"
        guard let history = book.history(id) else { throw InputError("the agreements have no \(id)") }
        return try book.replacingNotes(of: id, with: history.notes.filter {
            if case .suspensionOfNotice = $0.kind { return false }
            if case .withdrawalOfNotice = $0.kind { return false }
            return true
        })
    }

    /// Every note of `book` dated at or after `start`, in date order: what the nodes send each other live.
    static func notes(of book: PolicyBook, from start: Date) -> [Note] {
        book.histories.flatMap(\.notes).filter { $0.date >= start }.enumerated()
            .sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
    }

    /// The events with one more per note, at its date (a note comes before a launch at the same instant).
    static func merge(_ events: [FederationDemo.Event], notes: [Note]) -> [FederationDemo.Event] {
        let noteEvents = notes.map { FederationDemo.Event(instant: $0.date, title: "Note from \($0.from): \($0.summary)", note: $0) }
        return (noteEvents + events).enumerated()
            .sorted { ($0.element.instant, $0.offset) < ($1.element.instant, $1.offset) }.map(\.element)
    }

    /// A copy of the bundled agreements for the nodes, keeping in the notes files only the notes dated
    /// before `notesBefore` (the record the nodes start from); the later ones travel between the nodes.
    private func writeAgreements(into root: URL, name: String, notesBefore: Date) throws -> URL {
        guard let bundled = BundledPolicy.directory else { throw InputError("the bundled agreements are missing from this build") }
        let live = Set(Self.notes(of: try BundledPolicy.load(), from: notesBefore).map { "\($0.agreement)/\($0.id)" })
        let target = root.appendingPathComponent("\(name)-agreements")
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: bundled, to: target)
        let folder = target.appendingPathComponent("notes")
        for url in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) where url.pathExtension == "json" {
            guard var file = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any],
                  let agreement = file["agreement"] as? String, let entries = file["notes"] as? [[String: Any]] else {
                throw InputError("cannot read \(url.path)")
            }
            file["notes"] = entries.filter { !live.contains("\(agreement)/\($0["id"] as? String ?? "")") }
            try JSONSerialization.data(withJSONObject: file, options: [.prettyPrinted, .sortedKeys]).write(to: url)
        }
        return target
    }
}
