import Foundation
import Testing
@testable import AccordCrypto

@Suite struct HybridSignatureTests {
    let key = World.shared.kr.signingKey
    let body = Array("the same domain-separated message".utf8)

    @Test func signatureVerifiesOnlyUnderItsContext() throws {
        let signature = try key.sign(context: "receipt", body: body)
        #expect(signature.bytes.count == HybridSignature.size)
        try key.publicKey.verify(signature, context: "receipt", body: body)
        #expect(errorCode { try key.publicKey.verify(signature, context: "consent", body: body) } == .signatureInvalid)
        #expect(errorCode { try key.publicKey.verify(signature, context: "receipt", body: body + [0]) } == .signatureInvalid)
    }

    @Test func onlyEd25519HalfValidIsItsOwnError() throws {
        let good = try key.sign(context: "receipt", body: body)
        let other = try key.sign(context: "receipt", body: body + [1])
        let mixed = HybridSignature(ed25519: good.ed25519, mldsa: other.mldsa)
        #expect(errorCode { try key.publicKey.verify(mixed, context: "receipt", body: body) } == .mldsaSignatureInvalid)
    }

    @Test func onlyMLDSAHalfValidIsItsOwnError() throws {
        let good = try key.sign(context: "receipt", body: body)
        let other = try key.sign(context: "receipt", body: body + [1])
        let mixed = HybridSignature(ed25519: other.ed25519, mldsa: good.mldsa)
        #expect(errorCode { try key.publicKey.verify(mixed, context: "receipt", body: body) } == .ed25519SignatureInvalid)
    }

    @Test func anotherKeyFailsBothHalves() throws {
        let signature = try key.sign(context: "receipt", body: body)
        let jp = World.shared.jp.signingKey.publicKey
        #expect(errorCode { try jp.verify(signature, context: "receipt", body: body) } == .signatureInvalid)
    }

    @Test(arguments: [0, 1, 3372, 3374])
    func wrongLengthSignatureBytesAreRejected(length: Int) {
        let code = errorCode { _ = try HybridSignature(bytes: [UInt8](repeating: 0, count: length)) }
        #expect(code == (length < HybridSignature.size ? .truncated : .oversized))
    }

    @Test func seedsGiveTheSamePublicKeys() throws {
        let again = try HybridSigningKey(ed25519Seed: [UInt8](repeating: 0x10, count: 32), mldsaSeed: [UInt8](repeating: 0x11, count: 32))
        #expect(again.publicKey.ed25519Bytes == key.publicKey.ed25519Bytes)
        #expect(again.publicKey.mldsaBytes == key.publicKey.mldsaBytes)
        #expect(errorCode { _ = try HybridSigningKey(ed25519Seed: [1, 2, 3], mldsaSeed: [1, 2, 3]) } == .malformed)
    }
}
