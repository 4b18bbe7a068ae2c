import AccordCore
import AccordCrypto
import AccordSQLite
import AccordStore
import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import SwiftASN1
import Testing
import X509
@testable import AccordNode

/// A self-signed P-256 certificate, as a node makes for itself.
func makeTLSIdentity(_ name: String) throws -> TLSIdentity {
    let key = P256.Signing.PrivateKey()
    let subject = try DistinguishedName { CommonName(name) }
    let now = Date()
    let certificate = try Certificate(
        version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
        notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400),
        issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
        extensions: try Certificate.Extensions { Critical(BasicConstraints.notCertificateAuthority) },
        issuerPrivateKey: .init(key))
    var serializer = DER.Serializer()
    try serializer.serialize(certificate)
    return TLSIdentity(certificateDER: serializer.serializedBytes, privateKeyDER: Array(key.derRepresentation))
}

@Suite("Federation mutual TLS")
struct FederationTLSTests {
    /// Runs a TLS server that pins `pinned`, hands its port to `body`, then shuts down.
    func withServer(identity: TLSIdentity, pinned: [TLSIdentity], _ body: @Sendable (Int) async throws -> Void) async throws {
        let router = Router()
        router.get("/health") { _, _ in "ok" }
        let tls = try FederationTLS.serverConfiguration(identity: identity, pinnedPeers: pinned.map(\.certificateDER))
        let port = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.continuation.yield(channel.localAddress?.port ?? 0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var ports = port.stream.makeAsyncIterator()
            let bound = await ports.next() ?? 0
            defer { group.cancelAll() }
            try await body(bound)
        }
    }

    func get(port: Int, client identity: TLSIdentity, pinning server: TLSIdentity) async throws -> String {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = try FederationTLS.clientConfiguration(identity: identity, pinnedPeers: [server.certificateDER])
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(5))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let response = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(port)/health"), timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 1024)
            try await client.shutdown()
            return String(buffer: body)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test("a pinned peer gets through; an unpinned client or server certificate fails the handshake")
    func pinning() async throws {
        let kr = try makeTLSIdentity("KR node"), jp = try makeTLSIdentity("JP node"), stranger = try makeTLSIdentity("stranger")
        try await withServer(identity: kr, pinned: [jp]) { port in
            let answer = try await get(port: port, client: jp, pinning: kr)
            #expect(answer == "ok")
            await #expect(throws: (any Error).self) { try await get(port: port, client: stranger, pinning: kr) }
            // The client refuses a server whose certificate it did not pin.
            await #expect(throws: (any Error).self) { try await get(port: port, client: jp, pinning: stranger) }
        }
    }

    @Test("a revoked peer certificate is not pinned: its holder fails the handshake, the others get through, and the node audits it")
    func revoked() async throws {
        let kr = try makeTLSIdentity("KR node"), jp = try makeTLSIdentity("JP node"), us = try makeTLSIdentity("US node")
        let jpFingerprint = FederationTLS.fingerprint(jp.certificateDER)
        let certificates = [PartyCode("JP")!: jp.certificateDER, PartyCode("US")!: us.certificateDER]
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let engine = federation.nodes["KR"]!
        let before = try await federation.stores["KR"]!.auditSize()
        let pinned = await NodeRuntime.trusted(certificates, revoked: [jpFingerprint], engine: engine, logger: Logger(label: "test"))
        #expect(pinned.keys.map(\.rawValue) == ["US"])
        let entries = try await federation.stores["KR"]!.auditLeaves(in: before..<(try await federation.stores["KR"]!.auditSize()))
        let text = entries.map { String(decoding: $0.entry, as: UTF8.self) }.joined()
        #expect(entries.count == 1 && text.contains(jpFingerprint) && text.contains("revoked"))
        try await withServer(identity: kr, pinned: pinned.values.map { TLSIdentity(certificateDER: $0, privateKeyDER: []) }) { port in
            let answer = try await get(port: port, client: us, pinning: kr)
            #expect(answer == "ok")
            await #expect(throws: (any Error).self) { try await get(port: port, client: jp, pinning: kr) }
        }
        // Nothing revoked: both pinned, nothing audited.
        #expect(FederationTLS.pinnable(certificates, revoked: []).pinned.count == 2)
    }

    @Test("node identities' own certificates work for pinned mutual TLS")
    func nodeIdentities() async throws {
        let now = Date()
        func tls(_ party: String) throws -> TLSIdentity {
            let identity = try NodeIdentity.generate(party: party, notBefore: now.addingTimeInterval(-60), notAfter: now.addingTimeInterval(3600))
            return TLSIdentity(certificateDER: identity.certificateDER, privateKeyDER: identity.tlsPrivateKeyDER)
        }
        let us = try tls("US"), kr = try tls("KR")
        try await withServer(identity: us, pinned: [kr]) { port in
            let answer = try await get(port: port, client: kr, pinning: us)
            #expect(answer == "ok")
        }
    }

    @Test("fingerprints are SHA-256 of the DER bytes, lower-case hex")
    func fingerprint() {
        // FIPS 180-2 test vector: SHA-256("abc").
        #expect(FederationTLS.fingerprint(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
