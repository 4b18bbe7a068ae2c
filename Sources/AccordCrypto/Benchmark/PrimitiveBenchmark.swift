import Crypto
import Foundation

/// Raw costs of the primitives Accord builds on, for `accord bench crypto` (measure in a release build).
/// Lives here so the CLI needs no direct dependency on swift-crypto.
public enum PrimitiveBenchmark {
    /// One measured operation.
    public struct Result: Sendable {
        /// What was measured.
        public let name: String
        /// Mean wall-clock time per operation.
        public let microsecondsPerOperation: Double
    }

    /// Times `body` over `iterations` runs (after one warm-up run).
    public static func time(_ name: String, iterations: Int, _ body: () throws -> Void) rethrows -> Result {
        try body()
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<max(1, iterations) { try body() }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(name: name, microsecondsPerOperation: seconds * 1e6 / Double(max(1, iterations)))
    }

    /// Ed25519, ML-DSA-65, X-Wing HPKE, AES-256-GCM and SHA-256 on a message of `payloadSize` bytes.
    public static func run(iterations: Int, payloadSize: Int = 1024) throws -> [Result] {
        let message = [UInt8](repeating: 0x5A, count: payloadSize)
        let ed = Curve25519.Signing.PrivateKey()
        let edSignature = try ed.signature(for: message)
        let ml = try MLDSA65.PrivateKey()
        let mlSignature = try ml.signature(for: message)
        let kem = try XWingMLKEM768X25519.PrivateKey.generate()
        let suite = HPKE.Ciphersuite.XWingMLKEM768X25519_SHA256_AES_GCM_256
        var sender = try HPKE.Sender(recipientKey: kem.publicKey, ciphersuite: suite, info: Data())
        let hpkeCiphertext = try sender.seal(message)
        let encapsulated = sender.encapsulatedKey
        let key = SymmetricKey(size: .bits256)
        let box = try AES.GCM.seal(message, using: key)
        let slow = max(1, iterations / 20)
        return [
            try time("Ed25519 sign", iterations: iterations) { _ = try ed.signature(for: message) },
            time("Ed25519 verify", iterations: iterations) { _ = ed.publicKey.isValidSignature(edSignature, for: message) },
            try time("ML-DSA-65 sign", iterations: slow) { _ = try ml.signature(for: message) },
            time("ML-DSA-65 verify", iterations: slow) { _ = ml.publicKey.isValidSignature(mlSignature, for: message) },
            try time("X-Wing HPKE seal (encapsulate + seal \(payloadSize) B)", iterations: slow) {
                var sender = try HPKE.Sender(recipientKey: kem.publicKey, ciphersuite: suite, info: Data())
                _ = try sender.seal(message)
            },
            try time("X-Wing HPKE open (decapsulate + open \(payloadSize) B)", iterations: slow) {
                var recipient = try HPKE.Recipient(privateKey: kem, ciphersuite: suite, info: Data(), encapsulatedKey: encapsulated)
                _ = try recipient.open(hpkeCiphertext)
            },
            try time("AES-256-GCM seal \(payloadSize) B", iterations: iterations * 10) { _ = try AES.GCM.seal(message, using: key) },
            try time("AES-256-GCM open \(payloadSize) B", iterations: iterations * 10) { _ = try AES.GCM.open(box, using: key) },
            time("SHA-256 \(payloadSize) B", iterations: iterations * 10) { _ = SHA256.hash(data: message) },
        ]
    }
}
