import AccordAudit
import AccordCore
import AccordCrypto
import AccordPostgres
import AccordSQLite
import AccordStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// Everything `accord serve` runs: the store, the engine, both listeners and the outbox worker.
public enum NodeRuntime {
    /// Loads a node from its configuration and runs it until SIGINT/SIGTERM.
    /// - Parameter simulatedStart: start the clock at this instant and let `POST /api/v1/clock` move it.
    public static func run(configuration: NodeConfiguration, simulatedStart: Date?, logger: Logger) async throws {
        switch configuration.store {
        case .sqlite(let url):
            let store = try SQLiteStore(path: url.path)
            try await run(configuration: configuration, store: store, simulatedStart: simulatedStart, logger: logger)
        case .postgres(let url):
            try await PostgresStore.withStore(url: url.absoluteString) { store in
                try await run(configuration: configuration, store: store, simulatedStart: simulatedStart, logger: logger)
            }
        }
    }

    static func run(configuration: NodeConfiguration, store: any NodeStore, simulatedStart: Date?, logger: Logger) async throws {
        try await store.migrate()
        let book: PolicyBook
        do {
            book = try configuration.agreements.map { try BundledPolicy.load(directory: $0) } ?? BundledPolicy.load()
        } catch { throw NodeConfigurationError("agreements: \(error)") }
        let identity = try NodeIdentity.load(from: configuration.identity)
        guard identity.party == configuration.party.rawValue else {
            throw NodeConfigurationError("identity \(configuration.identity.lastPathComponent) is \(identity.party)'s, not \(configuration.party)'s")
        }
        var bundles: [PartyKeyBundle] = []
        var certificates: [PartyCode: [UInt8]] = [:]
        for peer in configuration.peers {
            bundles.append(try PartyKeyBundle(encoded: try Data(contentsOf: peer.keyBundle)))
            certificates[peer.party] = Array(try Data(contentsOf: peer.certificate))
        }
        let clock = NodeClock(simulatedStart: simulatedStart)
        let engine = try NodeEngine(identity: identity, peers: bundles, book: book, store: store, clock: { clock.now() },
                                    retryClock: Date.init, logger: logger)
        try await engine.restoreNotes()
        let pinned = await trusted(certificates, revoked: configuration.revokedCertificates, engine: engine, logger: logger)
        let metrics = NodeMetrics()
        metrics.track(peers: configuration.peers.map(\.party), revoked: configuration.peers.map(\.party).filter { pinned[$0] == nil })
        let tls = TLSIdentity(certificateDER: identity.certificateDER, privateKeyDER: identity.tlsPrivateKeyDER)
        let federation = try FederationApplication.build(
            engine: engine, tls: try FederationTLS.serverConfiguration(identity: tls, pinnedPeers: Array(pinned.values)),
            metrics: metrics, host: configuration.federation.host, port: configuration.federation.port)
        let api = try APIApplication.build(
            engine: engine, users: configuration.users, clock: clock, metrics: metrics,
            host: configuration.api.host, port: configuration.api.port, taxii: configuration.taxii)
        let clients = try configuration.peers.compactMap { peer in
            try pinned[peer.party].map { der in
                PeerClient(party: peer.party, url: peer.url, tls: try FederationTLS.clientConfiguration(identity: tls, pinnedPeers: [der]))
            }
        }
        let worker = OutboxWorker(engine: engine, peers: clients, metrics: metrics, logger: logger)
        logger.info("node starting", metadata: [
            "accord.party": "\(configuration.party)", "accord.federation": "\(configuration.federation.host):\(configuration.federation.port)",
            "accord.api": "\(configuration.api.host):\(configuration.api.port)", "accord.clock": "\(simulatedStart == nil ? "real" : "simulated")",
        ])
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: federation), .init(service: api), .init(service: worker)],
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            for client in clients { try? await client.shutdown() }
            throw error
        }
        for client in clients { try? await client.shutdown() }
        // A last signed tree head, so that nothing logged before the stop can be cut off unnoticed.
        do { try await engine.signTreeHead() } catch { logger.error("cannot sign the final tree head", metadata: ["accord.error": "\(error)"]) }
    }

    /// The peers' certificates to pin. A revoked one is trusted in neither direction: its holder fails the handshake,
    /// and rows for that peer wait in the outbox until the operator pins a new certificate. Said at every start, and
    /// audited as a security event.
    static func trusted(
        _ certificates: [PartyCode: [UInt8]], revoked: Set<String>, engine: NodeEngine, logger: Logger
    ) async -> [PartyCode: [UInt8]] {
        let (pinned, refused) = FederationTLS.pinnable(certificates, revoked: revoked)
        let known = Set(certificates.values.map(FederationTLS.fingerprint))
        for fingerprint in revoked.subtracting(known).sorted() {
            logger.warning("a revoked certificate matches no pinned peer", metadata: ["accord.fingerprint": "\(fingerprint)"])
        }
        for peer in refused {
            let detail = "\(peer.party)'s pinned certificate \(peer.fingerprint) is revoked (revokedCertificates): not trusted, nothing is sent to \(peer.party)"
            logger.error("peer certificate revoked", metadata: ["accord.peer": "\(peer.party)", "accord.fingerprint": "\(peer.fingerprint)"])
            await engine.audit(.securityEvent(kind: .unknownPeer, peer: peer.party.rawValue, envelopeID: nil, detail: detail))
        }
        return pinned
    }
}
