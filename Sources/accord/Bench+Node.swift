import AccordCore
import AccordCrypto
import AccordNode
import AccordPostgres
import AccordSQLite
import AccordStore
import ArgumentParser
import Foundation
import Hummingbird
import ServiceLifecycle
import Synchronization

/// `accord bench node`: three nodes (KR, JP, US) in this process, each with its own SQLite file
/// (WAL, synchronous=FULL) — or its own PostgreSQL database with `--postgres` — and its own federation
/// listener on loopback with mutual TLS; 1 KiB payloads.
struct BenchNode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "node", abstract: "Delivered envelopes per second, direct and relayed, and latency.")

    @Option(help: "Envelopes per throughput run.") var count = 5000
    @Option(help: "Envelopes released per batch (one seal batch, one transaction).") var batch = 250
    @Option(help: "Single-envelope round trips for latency.") var samples = 200
    @Option(help: "Seconds of load at half the measured direct rate, for latency under load.") var loadSeconds = 5.0
    @Option(help: "Envelopes/s for the latency under load instead of half the direct rate measured (to compare builds at one load).")
    var loadRate: Double?
    @Option(help: "Envelopes per release call under load (default: what makes a call every 10 ms). Calls go out on schedule, each in its own task, whether or not earlier ones have returned.")
    var loadCallSize: Int?
    @Option(help: "Use PostgreSQL: a server URL (postgres://user@host:port/db); the bench creates and drops databases accord_bench_kr, _jp, _us there.")
    var postgres: String?
    @Option(help: "Keep the SQLite stores in this directory (created; must not exist) for inspection, instead of a temporary one.")
    var keep: String?

    func validate() throws {
        if let loadRate, !(1...100_000).contains(loadRate) { throw ValidationError("--load-rate must be 1 to 100000 envelopes/s") }
        if let loadCallSize, !(1...10_000).contains(loadCallSize) { throw ValidationError("--load-call-size must be 1 to 10000 envelopes") }
    }

    /// The nodes' clock: set to a date at the start of each phase, then advancing in real time from it, as a node's does
    /// (tree heads once a second, hourly epochs, time-ordered envelope ids).
    final class Clock: Sendable {
        private let origin = Mutex((date: Instant.parse("2017-06-01T00:00:00Z")!, at: ContinuousClock.now))
        func read() -> Date {
            origin.withLock { origin in
                let elapsed = ContinuousClock.now - origin.at
                return origin.date.addingTimeInterval(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }
        }
        func set(_ text: String) { origin.withLock { $0 = (Instant.parse(text)!, ContinuousClock.now) } }
    }

    struct Node: Sendable {
        let identity: NodeIdentity
        let engine: NodeEngine
        let store: any NodeStore
    }

    func run() async throws {
        let book = try BundledPolicy.load()
        let directory = keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("accord-bench-\(UUID().uuidString.prefix(8))")
        guard keep == nil || !FileManager.default.fileExists(atPath: directory.path) else {
            throw ValidationError("--keep \(directory.path) already exists; name a new directory")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: directory) } }
        let clock = Clock()
        let from = Instant.parse("2010-01-01")!, until = Instant.parse("2030-01-01")!
        var identities: [String: NodeIdentity] = [:]
        for party in ["KR", "JP", "US"] { identities[party] = try NodeIdentity.generate(party: party, notBefore: from, notAfter: until) }
        try await withStores(["KR", "JP", "US"], directory: directory) { stores in
            var built: [String: Node] = [:]
            for (party, identity) in identities {
                let store = stores[party]!
                try await store.migrate()
                let peers = try identities.filter { $0.key != party }.map { try PartyKeyBundle(identity: $0.value) }
                built[party] = Node(identity: identity, engine: try NodeEngine(identity: identity, peers: peers, book: book, store: store,
                                                                              clock: { clock.read() }, retryClock: Date.init), store: store)
            }
            try await measure(nodes: built, book: book, clock: clock)
        }
    }

    /// One store per party: SQLite files in `directory`, or fresh PostgreSQL databases with `--postgres`.
    private func withStores(
        _ parties: [String], directory: URL, opened: [String: any NodeStore] = [:], _ body: ([String: any NodeStore]) async throws -> Void
    ) async throws {
        guard let party = parties.first else { return try await body(opened) }
        var opened = opened
        guard let server = postgres else {
            opened[party] = try SQLiteStore(path: directory.appendingPathComponent("\(party).sqlite").path)
            return try await withStores(Array(parties.dropFirst()), directory: directory, opened: opened, body)
        }
        let name = "accord_bench_\(party.lowercased())"
        let url = try await PostgresStore.recreateDatabase(name, serverURL: server)
        do {
            try await PostgresStore.withStore(url: url) { store in
                opened[party] = store
                try await withStores(Array(parties.dropFirst()), directory: directory, opened: opened, body)
            }
        } catch {
            try? await PostgresStore.dropDatabase(name, serverURL: server)
            throw error
        }
        try await PostgresStore.dropDatabase(name, serverURL: server)
    }

    private func measure(nodes: [String: Node], book: PolicyBook, clock: Clock) async throws {
        let batch = self.batch, count = self.count, samples = self.samples
        try await withListeners(nodes) { clients in
            let kr = nodes["KR"]!.engine
            let analyst = User(id: "bench", party: PartyCode("KR")!, clearance: book.parties[PartyCode("KR")!]!.scheme.level(named: "II")!,
                               needToKnow: [Topic("nk-missile")!])
            let payload = Array(repeating: UInt8(0x42), count: 1024)
            @Sendable func submissions(_ n: Int, _ tag: String) -> [ReleaseSubmission] {
                (0..<n).map { ReleaseSubmission(objectID: "\(tag)-\($0)", label: "KR//II//REL TO JP,US//TOPIC nk-missile", object: payload,
                                                 purpose: "missile-warning", recipients: [PartyCode("JP")!]) }
            }
            print("Three nodes in one process, \(postgres == nil ? "SQLite files with durable commits" : "PostgreSQL databases (one per node)"), mutual TLS on loopback, 1 KiB payloads")
            // Direct (2017): KR → JP.
            clock.set("2017-06-01T00:00:00Z")
            let direct = try await throughput(count: count, hops: [("KR", "JP")], nodes: nodes, clients: clients) { index in
                _ = try await kr.release(submissions(batch, "d\(index)"), by: analyst)
            }
            print("  direct KR→JP:        \(Int(direct)) envelopes/s delivered (\(count) envelopes, batches of \(batch))")
            // Relayed (2015): KR → US → JP.
            clock.set("2015-06-01T00:00:00Z")
            let relayed = try await throughput(count: count, hops: [("KR", "US"), ("US", "JP")], nodes: nodes, clients: clients) { index in
                _ = try await kr.release(submissions(batch, "r\(index)"), by: analyst)
            }
            print("  relayed KR→US→JP:    \(Int(relayed)) envelopes/s delivered to JP")
            // Latency under load: release calls on a schedule at half the direct rate measured above (a call every 10 ms
            // unless --load-call-size says otherwise), each in its own task: a slow call does not delay the next.
            clock.set("2017-06-02T00:00:00Z")
            let rate = loadRate ?? direct / 2
            let callSize = loadCallSize ?? max(1, Int((rate / 100).rounded()))
            let totalsBefore = kr.releaseTotals
            let loaded = try await loadedLatency(rate: rate, callSize: callSize, seconds: loadSeconds, engine: kr, client: clients["KR→JP"]!) { index, n in
                try await kr.release(submissions(n, "h\(index)"), by: analyst).flatMap { $0.compactMap(\.envelopeID) }
            }
            func p(_ values: [Double], _ percent: Int) -> Double { values.isEmpty ? .nan : values[min(values.count - 1, values.count * percent / 100)] }
            print(String(format: "  latency at %@ (%d envelopes/s for %.0f s in calls of %d, %d envelopes): p50 %.2f ms, p99 %.2f ms",
                         loadRate == nil ? "half the direct rate" : "the rate asked", Int(rate), loadSeconds, callSize, loaded.total.count,
                         p(loaded.total, 50), p(loaded.total, 99)))
            for (name, values) in [("release call (from when it was due)", loaded.release), ("waiting in the outbox", loaded.queued),
                                   ("round on the wire (peer's receive included)", loaded.wire), ("recording the receipts", loaded.recording)] {
                print(String(format: "    %@: p50 %.2f ms, p99 %.2f ms", name, p(values, 50), p(values, 99)))
            }
            print(String(format: "    %d rounds, envelopes per round p50 %.0f, max %.0f", loaded.roundSizes.count, p(loaded.roundSizes, 50), loaded.roundSizes.last ?? 0))
            let totals = kr.releaseTotals
            print("    \(totals.calls - totalsBefore.calls) release calls sealed and written in \(totals.batches - totalsBefore.batches) batches")
            // Latency, one envelope at a time, direct.
            clock.set("2017-06-03T00:00:00Z")
            var latencies: [Double] = []
            for index in 0..<samples {
                let start = ContinuousClock.now
                _ = try await kr.release(submissions(1, "l\(index)"), by: analyst)
                _ = try await kr.deliver(to: PartyCode("JP")!) { try await clients["KR→JP"]!.send($0) }
                let elapsed = ContinuousClock.now - start
                latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            }
            latencies.sort()
            print(String(format: "  latency, one envelope release → signed receipt back (unloaded): p50 %.2f ms, p99 %.2f ms",
                         latencies[latencies.count / 2], latencies[latencies.count * 99 / 100]))
        }
    }

    /// Where a loaded envelope's time goes, each phase per envelope in milliseconds, sorted: the release call, the wait
    /// in the outbox (release returned → its round sent; 0 when a round took it before the call returned), the round on
    /// the wire (sent → the peer's answer: TLS, HTTP and the peer's receive step), and recording the receipts.
    struct LoadedLatency {
        var total: [Double] = []
        var release: [Double] = []
        var queued: [Double] = []
        var wire: [Double] = []
        var recording: [Double] = []
        var roundSizes: [Double] = []
    }

    /// Releases at `rate` envelopes/s for `seconds`, in calls of `callSize` envelopes made on schedule (each in its own
    /// task), while a loop delivers KR→JP; returns each envelope's latency, from the instant its call was due to the
    /// signed receipt back (so a late call counts its lateness), and its phases.
    private func loadedLatency(
        rate: Double, callSize: Int, seconds: Double, engine: NodeEngine, client: PeerClient,
        release: @escaping @Sendable (Int, Int) async throws -> [String]
    ) async throws -> LoadedLatency {
        typealias Instant = ContinuousClock.Instant
        final class Tracker: Sendable {
            /// Each id's release call: when it was due and when it returned.
            let released = Mutex<[String: (start: Instant, end: Instant)]>([:])
            /// Each round on the wire, in order: sent, answered.
            let rounds = Mutex<[(sent: Instant, answered: Instant)]>([])
            /// Each id's round (an index into `rounds`, which are recorded in the order they were sent) and when
            /// its receipt was recorded (a round can deliver an id before its release call has returned).
            let delivered = Mutex<[String: (round: Int, at: Instant)]>([:])
            let recordedRounds = Mutex(0)
        }
        let tracker = Tracker()
        let produced = BenchFlag()
        let interval = Duration.nanoseconds(Int64(Double(callSize) / rate * 1e9))
        let calls = max(1, Int(seconds * rate / Double(callSize)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                let origin = ContinuousClock.now
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<calls {
                        let due = origin + interval * index
                        try await Task.sleep(until: due)
                        group.addTask {
                            let ids = try await release(index, callSize)
                            let end = ContinuousClock.now
                            tracker.released.withLock { map in for id in ids { map[id] = (due, end) } }
                        }
                    }
                    try await group.waitForAll()
                }
                produced.value.withLock { $0 = true }
            }
            group.addTask {
                while true {
                    // Each round's envelopes count as delivered when that round's receipts are recorded.
                    let report = try await engine.deliverAll(to: PartyCode("JP")!, recorded: { round in
                        let now = ContinuousClock.now
                        let index = tracker.recordedRounds.withLock { count in
                            defer { count += 1 }
                            return count
                        }
                        tracker.delivered.withLock { map in for id in round.deliveredIDs { map[id] = (index, now) } }
                    }) { transmission in
                        let sent = ContinuousClock.now
                        let answer = try await client.send(transmission)
                        let answered = ContinuousClock.now
                        tracker.rounds.withLock { $0.append((sent, answered)) }
                        return answer
                    }
                    if report.attempted == 0 {
                        if produced.value.withLock({ $0 }) {
                            let outstanding = tracker.released.withLock { Set($0.keys) }
                            if tracker.delivered.withLock({ map in outstanding.allSatisfy { map[$0] != nil } }) { return }
                        }
                        await engine.waitForOutbox(to: PartyCode("JP")!, timeout: .milliseconds(5))
                    }
                }
            }
            try await group.waitForAll()
        }
        func milliseconds(_ from: Instant, _ to: Instant) -> Double {
            let elapsed = to - from
            return max(0, Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        let delivered = tracker.delivered.withLock { $0 }
        let rounds = tracker.rounds.withLock { $0 }
        var result = LoadedLatency()
        var sizes: [Int: Int] = [:]
        for (id, call) in tracker.released.withLock({ $0 }) {
            guard let receipt = delivered[id], receipt.round < rounds.count else { continue }
            let round = rounds[receipt.round]
            sizes[receipt.round, default: 0] += 1
            result.total.append(milliseconds(call.start, receipt.at))
            result.release.append(milliseconds(call.start, call.end))
            result.queued.append(milliseconds(call.end, round.sent))
            result.wire.append(milliseconds(round.sent, round.answered))
            result.recording.append(milliseconds(round.answered, receipt.at))
        }
        result.roundSizes = sizes.values.map(Double.init)
        for path in [\LoadedLatency.total, \.release, \.queued, \.wire, \.recording, \.roundSizes] { result[keyPath: path].sort() }
        return result
    }

    /// Releases `count` envelopes in batches and drains every hop until the last one is delivered; envelopes/s end to end.
    private func throughput(
        count: Int, hops: [(String, String)], nodes: [String: Node], clients: [String: PeerClient], release: @escaping @Sendable (Int) async throws -> Void
    ) async throws -> Double {
        let start = ContinuousClock.now
        let produced = BenchFlag()
        let senders = hops.map(\.0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for index in 0..<(count / batch) { try await release(index) }
                produced.value.withLock { $0 = true }
            }
            for (from, to) in hops {
                group.addTask {
                    let engine = nodes[from]!.engine, client = clients["\(from)→\(to)"]!
                    while true {
                        let report = try await engine.deliverAll(to: PartyCode(to)!) { try await client.send($0) }
                        guard report.attempted == 0 else { continue }
                        // Done when nothing more will come: the producer finished and every hop before is drained.
                        var drained = produced.value.withLock { $0 }
                        for sender in senders where drained {
                            drained = try await nodes[sender]!.store.pendingRoutes().isEmpty
                        }
                        if drained { return }
                        await engine.waitForOutbox(to: PartyCode(to)!, timeout: .milliseconds(5))
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        return Double(count / batch * batch) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Starts every node's federation listener and a client for each directed pair; runs `body`; stops them.
    private func withListeners(_ nodes: [String: Node], _ body: @escaping @Sendable ([String: PeerClient]) async throws -> Void) async throws {
        var apps: [any Service] = []
        var streams: [String: AsyncStream<Int>] = [:]
        for (party, node) in nodes {
            let tls = TLSIdentity(certificateDER: node.identity.certificateDER, privateKeyDER: node.identity.tlsPrivateKeyDER)
            let pinned = nodes.filter { $0.key != party }.map(\.value.identity.certificateDER)
            let stream = AsyncStream<Int>.makeStream()
            apps.append(try FederationApplication.build(
                engine: node.engine, tls: try FederationTLS.serverConfiguration(identity: tls, pinnedPeers: pinned), metrics: NodeMetrics(),
                host: "127.0.0.1", port: 0, onRunning: { stream.continuation.yield($0) }))
            streams[party] = stream.stream
        }
        let started = streams
        try await withRunningServices(apps) {
            var ports: [String: Int] = [:]
            for (party, stream) in started {
                var iterator = stream.makeAsyncIterator()
                guard let port = await iterator.next() else { throw CancellationError() }
                ports[party] = port
            }
            var clients: [String: PeerClient] = [:]
            for (from, node) in nodes {
                let tls = TLSIdentity(certificateDER: node.identity.certificateDER, privateKeyDER: node.identity.tlsPrivateKeyDER)
                for (to, peer) in nodes where to != from {
                    clients["\(from)→\(to)"] = PeerClient(
                        party: PartyCode(to)!, url: URL(string: "https://127.0.0.1:\(ports[to]!)")!,
                        tls: try FederationTLS.clientConfiguration(identity: tls, pinnedPeers: [peer.identity.certificateDER]))
                }
            }
            do { try await body(clients) } catch {
                for client in clients.values { try? await client.shutdown() }
                throw error
            }
            for client in clients.values { try? await client.shutdown() }
        }
    }
}
