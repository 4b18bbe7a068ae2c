import AccordCore
import Crypto
import Foundation
import NIOSSL

/// A node's TLS certificate and key for node-to-node transport.
public struct TLSIdentity: Sendable {
    /// The certificate, DER.
    public let certificateDER: [UInt8]
    /// The P-256 private key, PKCS #8 DER.
    public let privateKeyDER: [UInt8]

    public init(certificateDER: [UInt8], privateKeyDER: [UInt8]) {
        self.certificateDER = certificateDER
        self.privateKeyDER = privateKeyDER
    }
}

/// Mutual TLS between nodes: each side presents its own self-signed certificate and trusts exactly
/// the certificates pinned for its peers (exchanged when an agreement is signed). A certificate
/// that is not pinned fails the handshake; no certificate authority is involved.
public enum FederationTLS {
    /// SHA-256 fingerprint of a DER certificate, lower-case hex: how peers are named in configuration.
    public static func fingerprint(_ der: [UInt8]) -> String {
        SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
    }

    /// The peers' certificates to pin, and apart the peers whose pinned certificate is revoked (its
    /// fingerprint is in `revoked`): a revoked certificate is trusted in neither direction, so its
    /// holder fails the handshake here and this node does not connect to it.
    public static func pinnable(
        _ certificates: [PartyCode: [UInt8]], revoked: Set<String>
    ) -> (pinned: [PartyCode: [UInt8]], revoked: [(party: PartyCode, fingerprint: String)]) {
        var pinned: [PartyCode: [UInt8]] = [:]
        var refused: [(party: PartyCode, fingerprint: String)] = []
        for (party, der) in certificates.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let fingerprint = fingerprint(der)
            if revoked.contains(fingerprint) { refused.append((party, fingerprint)) } else { pinned[party] = der }
        }
        return (pinned, refused)
    }

    /// Server side: present `identity`, require a client certificate, accept only `pinnedPeers`.
    public static func serverConfiguration(identity: TLSIdentity, pinnedPeers: [[UInt8]]) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: identity.certificateDER, format: .der))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: identity.privateKeyDER, format: .der)))
        try pin(&configuration, peers: pinnedPeers)
        return configuration
    }

    /// Client side: present `identity` and accept the server only if its certificate is pinned.
    public static func clientConfiguration(identity: TLSIdentity, pinnedPeers: [[UInt8]]) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateChain = [.certificate(try NIOSSLCertificate(bytes: identity.certificateDER, format: .der))]
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: identity.privateKeyDER, format: .der))
        try pin(&configuration, peers: pinnedPeers)
        return configuration
    }

    private static func pin(_ configuration: inout TLSConfiguration, peers: [[UInt8]]) throws {
        configuration.minimumTLSVersion = .tlsv13
        // Peers are addressed by loopback or private addresses their certificates do not name; the pin is the check.
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates(try peers.map { try NIOSSLCertificate(bytes: $0, format: .der) })
        configuration.additionalTrustRoots = []
    }
}
