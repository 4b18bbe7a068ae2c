import AccordCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Sends transmissions to one peer over mutual TLS, trusting only that peer's pinned certificate.
public final class PeerClient: Sendable {
    public let party: PartyCode
    let url: URL
    let client: HTTPClient

    public init(party: PartyCode, url: URL, tls: TLSConfiguration) {
        self.party = party
        self.url = url
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tls
        configuration.timeout = .init(connect: .seconds(2), read: .seconds(30))
        configuration.connectionPool = .init(idleTimeout: .seconds(60))
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Posts one transmission and decodes the peer's per-envelope answer.
    public func send(_ transmission: Transmission) async throws -> PeerAnswer {
        var request = HTTPClientRequest(url: url.appendingPathComponent("federation/v1/transmissions").absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.body = .bytes(ByteBuffer(bytes: transmission.encoded))
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        guard response.status == .ok else {
            throw NodeError(.refused, "\(party) answered HTTP \(response.status.code): \(String(buffer: body).prefix(300))")
        }
        return try PeerAnswer(encoded: Array(buffer: body))
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }
}
