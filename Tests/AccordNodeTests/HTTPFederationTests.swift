import AccordCore
import AccordCrypto
import AccordSQLite
import AccordStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Testing
@testable import AccordNode

@Suite("Federation over HTTPS with mutual TLS")
struct HTTPFederationTests {
    /// Starts `engine`'s federation listener pinning `peers`, runs `body` with its port, then stops it.
    func withListener(
        _ engine: NodeEngine, identity: NodeIdentity, peers: [NodeIdentity], metrics: NodeMetrics = NodeMetrics(),
        _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let tls = TLSIdentity(certificateDER: identity.certificateDER, privateKeyDER: identity.tlsPrivateKeyDER)
        let ports = AsyncStream<Int>.makeStream()
        let app = try FederationApplication.build(
            engine: engine, tls: try FederationTLS.serverConfiguration(identity: tls, pinnedPeers: peers.map(\.certificateDER)),
            metrics: metrics, host: "127.0.0.1", port: 0, onRunning: { ports.continuation.yield($0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.stream.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            defer { group.cancelAll() }
            try await body(port)
        }
    }

    func client(from identity: NodeIdentity, to peer: NodeIdentity, port: Int) throws -> PeerClient {
        let tls = TLSIdentity(certificateDER: identity.certificateDER, privateKeyDER: identity.tlsPrivateKeyDER)
        return PeerClient(party: PartyCode(peer.party)!, url: URL(string: "https://127.0.0.1:\(port)")!,
                          tls: try FederationTLS.clientConfiguration(identity: tls, pinnedPeers: [peer.certificateDER]))
    }

    /// KR and JP nodes on SQLite files in a temporary directory, at 2017-06-01, and a KR analyst.
    struct Pair {
        let kr: NodeIdentity, jp: NodeIdentity
        let krEngine: NodeEngine, jpEngine: NodeEngine
        let krStore: SQLiteStore, jpStore: SQLiteStore
        let clock: TestClock
        let analyst: User
    }

    func withPair(_ body: (Pair) async throws -> Void) async throws {
        let book = try BundledPolicy.load()
        let from = Instant.parse("2010-01-01")!, until = Instant.parse("2030-01-01")!
        let kr = try NodeIdentity.generate(party: "KR", notBefore: from, notAfter: until)
        let jp = try NodeIdentity.generate(party: "JP", notBefore: from, notAfter: until)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let krStore = try SQLiteStore(path: directory.appendingPathComponent("kr.sqlite").path)
        let jpStore = try SQLiteStore(path: directory.appendingPathComponent("jp.sqlite").path)
        try await krStore.migrate()
        try await jpStore.migrate()
        let clock = TestClock(Instant.parse("2017-06-01T00:00:00Z")!)
        let krEngine = try NodeEngine(identity: kr, peers: [try PartyKeyBundle(identity: jp)], book: book, store: krStore, clock: { clock.read() })
        let jpEngine = try NodeEngine(identity: jp, peers: [try PartyKeyBundle(identity: kr)], book: book, store: jpStore, clock: { clock.read() })
        let analyst = User(id: "a", party: PartyCode("KR")!, clearance: book.parties[PartyCode("KR")!]!.scheme.level(named: "II")!,
                           needToKnow: [Topic("nk-missile")!])
        try await body(Pair(kr: kr, jp: jp, krEngine: krEngine, jpEngine: jpEngine, krStore: krStore, jpStore: jpStore, clock: clock, analyst: analyst))
    }

    static func submissions(_ count: Int) -> [ReleaseSubmission] {
        (0..<count).map {
            ReleaseSubmission(objectID: "report-\($0)", label: "KR//II//REL TO JP//TOPIC nk-missile", object: Array(repeating: 0x41, count: 1024))
        }
    }

    @Test("KR delivers to JP over HTTPS; while JP is down nothing is lost, and once it is back everything arrives once")
    func deliverAcrossRestart() async throws {
        try await withPair { pair in
            let (kr, jp, krEngine, krStore, jpStore) = (pair.kr, pair.jp, pair.krEngine, pair.krStore, pair.jpStore)
            _ = try await krEngine.release(Self.submissions(20), by: pair.analyst)

            // JP is down: nothing listens on the port.
            let deadPort = 1
            let down = try client(from: kr, to: jp, port: deadPort)
            await #expect(throws: (any Error).self) { _ = try await krEngine.deliver(to: PartyCode("JP")!) { try await down.send($0) } }
            try await down.shutdown()
            #expect(try await krStore.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode("JP")!, limit: 100).count == 20)

            // JP comes back; KR delivers once the backoff has passed, then a second round finds nothing to do.
            pair.clock.set(Instant.parse("2017-06-01T00:01:00Z")!)
            try await withListener(pair.jpEngine, identity: jp, peers: [kr]) { port in
                let up = try client(from: kr, to: jp, port: port)
                let report = try await krEngine.deliver(to: PartyCode("JP")!) { try await up.send($0) }
                #expect(report.delivered == 20)
                let again = try await krEngine.deliver(to: PartyCode("JP")!) { try await up.send($0) }
                #expect(again.attempted == 0)
                try await up.shutdown()
            }
            #expect(try await jpStore.holdings(holder: PartyCode("JP")!).count == 20)
        }
    }

    @Test("the outbox worker delivers on its own; /metrics counts the envelopes and times each side's steps")
    func workerAndMetrics() async throws {
        try await withPair { pair in
            let (krMetrics, jpMetrics) = (NodeMetrics(), NodeMetrics())
            krMetrics.track(peers: [PartyCode("JP")!, PartyCode("US")!], revoked: [PartyCode("US")!])
            _ = try await pair.krEngine.release(Self.submissions(3), by: pair.analyst)
            // Rows waiting for JP are counted at each scrape; a configured peer with none reads 0; a revoked one is flagged.
            let waiting = await krMetrics.scrape(pair.krEngine)
            #expect(waiting.contains(#"accord_outbox_pending{peer="JP"} 3"#) && waiting.contains(#"accord_outbox_pending{peer="US"} 0"#), "\(waiting)")
            #expect(waiting.contains(#"accord_peer_revoked{peer="US"} 1"#) && waiting.contains(#"accord_peer_revoked{peer="JP"} 0"#), "\(waiting)")
            try await withListener(pair.jpEngine, identity: pair.jp, peers: [pair.kr], metrics: jpMetrics) { port in
                let up = try client(from: pair.kr, to: pair.jp, port: port)
                let worker = OutboxWorker(engine: pair.krEngine, peers: [up], metrics: krMetrics, interval: .milliseconds(20),
                                          logger: Logger(label: "test"))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await worker.run() }
                    _ = try await pair.krEngine.release(Self.submissions(9), by: pair.analyst)
                    // The release rang the worker's doorbell; wait (at most 30 s) until JP holds everything.
                    for _ in 0..<600 where try await pair.jpStore.holdings(holder: nil).count < 12 { try await Task.sleep(for: .milliseconds(50)) }
                    group.cancelAll()
                }
                try await up.shutdown()
            }
            #expect(try await pair.jpStore.holdings(holder: nil).count == 12)
            let kr = await krMetrics.scrape(pair.krEngine), jp = jpMetrics.emit()
            #expect(kr.contains(#"accord_outbox_pending{peer="JP"} 0"#), "\(kr)")
            #expect(kr.contains(#"accord_outbox_oldest_seconds{peer="JP"} 0"#), "\(kr)")
            // The age of the oldest waiting row, on the node's clock (a peer down for 90 s).
            let queued = Date(timeIntervalSince1970: 1_496_275_200)
            krMetrics.updateOutbox([OutboxRoute(sender: PartyCode("KR")!, recipient: PartyCode("JP")!, pending: 2, earliestAttempt: queued,
                                                oldestCreated: queued)], sender: PartyCode("KR")!, now: queued.addingTimeInterval(90))
            #expect(krMetrics.emit().contains(#"accord_outbox_oldest_seconds{peer="JP"} 90"#), "\(krMetrics.emit())")
            #expect(kr.contains("accord_envelopes_delivered_total 12"), "\(kr)")
            // Two release calls one after the other: two batches. Combined calls show as fewer batches than calls, and
            // the counters follow the engine's totals at each scrape, never counting one twice.
            #expect(kr.contains("accord_release_calls_total 2\n") && kr.contains("accord_release_batches_total 2\n"), "\(kr)")
            krMetrics.updateReleaseTotals(ReleaseTotals(calls: 10, batches: 4))
            krMetrics.updateReleaseTotals(ReleaseTotals(calls: 10, batches: 4))
            #expect(krMetrics.emit().contains("accord_release_calls_total 10\n") && krMetrics.emit().contains("accord_release_batches_total 4\n"))
            #expect(kr.contains(#"accord_delivery_send_seconds_count{peer="JP"}"#), "\(kr)")
            #expect(jp.contains("accord_envelopes_received_total 12"), "\(jp)")
            let receives = jp.split(separator: "\n").first { $0.hasPrefix("accord_receive_seconds_count ") }
            #expect(receives.flatMap { Int($0.split(separator: " ").last!) }.map { $0 >= 1 } == true, "\(jp)")
        }
    }
}
