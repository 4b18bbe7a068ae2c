import Crypto

extension NodeIdentity {
    /// The TLS certificate's P-256 private key, PKCS #8 DER, for the transport layer (NIOSSL).
    public var tlsPrivateKeyDER: [UInt8] { Array(tlsKey.derRepresentation) }
}
