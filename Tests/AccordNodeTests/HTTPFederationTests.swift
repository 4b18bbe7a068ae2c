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
        _ engine: NodeEngine, identity: NodeIdentity, peers: [NodeIdentity], _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let tls = TLSIdentity(certificateDER: identity.certificateDER, privateKeyDER: identity.tlsPrivateKeyDER)
        let ports = AsyncStream<Int>.makeStream()
        let app = try FederationApplication.build(
            engine: engine, tls: try FederationTLS.serverConfiguration(identity: tls, pinnedPeers: peers.map(\.certificateDER)),
            metrics: NodeMetrics(), host: "127.0.0.1", port: 0, onRunning: { ports.continuation.yield($0) })
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

    @Test("KR delivers to JP over HTTPS; while JP is down nothing is lost, and once it is back everything arrives once")
    func deliverAcrossRestart() async throws {
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
        let submissions = (0..<20).map {
            ReleaseSubmission(objectID: "report-\($0)", label: "KR//II//REL TO JP//TOPIC nk-missile", object: Array(repeating: 0x41, count: 1024))
        }
        _ = try await krEngine.release(submissions, by: analyst)

        // JP is down: nothing listens on the port.
        let deadPort = 1
        let down = try client(from: kr, to: jp, port: deadPort)
        await #expect(throws: (any Error).self) { _ = try await krEngine.deliver(to: PartyCode("JP")!) { try await down.send($0) } }
        try await down.shutdown()
        #expect(try await krStore.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode("JP")!, limit: 100).count == 20)

        // JP comes back; KR delivers once the backoff has passed, then a second round finds nothing to do.
        clock.set(Instant.parse("2017-06-01T00:01:00Z")!)
        try await withListener(jpEngine, identity: jp, peers: [kr]) { port in
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
