import AccordCore
import Foundation
import Hummingbird
import HummingbirdTLS
import NIOCore
import NIOSSL
import Prometheus

/// The node-to-node listener: mutual TLS with pinned peers, one route that takes transmissions (envelopes and notes).
public enum FederationApplication {
    /// Builds the listener. Peers whose certificates are not pinned fail the TLS handshake.
    public static func build(
        engine: NodeEngine, tls: TLSConfiguration, metrics: NodeMetrics, host: String, port: Int,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let router = Router()
        router.get("/health") { _, _ in "ok" }
        router.get("/metrics") { _, _ in await metrics.scrape(engine) }
        router.post("/federation/v1/transmissions") { request, _ -> Response in
            let body = try await request.body.collect(upTo: Transmission.maximumBytes)
            let transmission: Transmission
            do { transmission = try Transmission(encoded: Array(buffer: body)) } catch let error as NodeError {
                throw HTTPError(.badRequest, message: error.message)
            }
            let start = ContinuousClock.now
            let results = await engine.receive(transmission)
            metrics.receiveDuration.record(ContinuousClock.now - start)
            for result in results {
                switch result {
                case .receipt: metrics.envelopesReceived.increment()
                case .refused: metrics.envelopesRefused.increment()
                case .statementReceipt: metrics.statementsReceived.increment()
                }
            }
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: .init(byteBuffer: ByteBuffer(bytes: results.encoded)))
        }
        return Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname(host, port: port), serverName: "accord-\(engine.party)-federation"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) })
    }
}
