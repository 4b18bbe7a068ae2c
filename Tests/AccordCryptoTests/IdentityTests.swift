import Crypto
import Foundation
import Testing
@testable import AccordCrypto

@Suite struct IdentityTests {
    let world = World.shared

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("accord-crypto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func keyFileIsWrittenOwnerOnlyAndLoadsBack() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("kr.key")
        try world.kr.write(to: file)
        let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
        #expect(permissions?.intValue == 0o600)
        let loaded = try NodeIdentity.load(from: file)
        #expect(loaded.keyID == world.kr.keyID)
        #expect(loaded.certificateDER == world.kr.certificateDER)
        #expect(loaded.notAfter == world.kr.notAfter)
        let signature = try loaded.signingKey.sign(context: "receipt", body: [1, 2, 3])
        try world.kr.signingKey.publicKey.verify(signature, context: "receipt", body: [1, 2, 3])
    }

    @Test func keyFileReadableByOthersIsRefused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("kr.key")
        try world.kr.write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        #expect(errorCode { _ = try NodeIdentity.load(from: file) } == .keyFile)
        #expect(errorCode { _ = try NodeIdentity.load(from: directory.appendingPathComponent("missing.key")) } == .keyFile)
    }

    @Test func malformedKeyFilesAreTypedErrors() throws {
        let bytes = world.kr.fileRepresentation()
        #expect(errorCode { _ = try NodeIdentity(fileRepresentation: bytes.dropLast(10)) } == .truncated)
        #expect(errorCode { _ = try NodeIdentity(fileRepresentation: bytes + [0]) } == .trailingBytes)
        #expect(errorCode { _ = try NodeIdentity(fileRepresentation: [UInt8]()) } == .truncated)
        var otherCertificate = world.kr.fileRepresentation()
        let jpCert = world.jp.certificateDER
        otherCertificate.replaceSubrange((otherCertificate.count - jpCert.count)..., with: jpCert)
        if world.kr.certificateDER.count == jpCert.count {
            #expect(errorCode { _ = try NodeIdentity(fileRepresentation: otherCertificate) } == .malformed)
        }
        var garbledCertificate = bytes
        garbledCertificate[bytes.count - world.kr.certificateDER.count] ^= 0xFF
        #expect(errorCode { _ = try NodeIdentity(fileRepresentation: garbledCertificate) } == .malformed)
    }

    @Test func certificateIsSelfSignedP256NamingTheParty() throws {
        let text = String(decoding: world.kr.certificateDER, as: UTF8.self)
        #expect(text.contains("accord-node-KR"))
        #expect(world.kr.certificateFingerprint == Array(SHA256.hash(data: world.kr.certificateDER)))
        let bundle = try PartyKeyBundle(identity: world.kr)
        #expect(bundle.certificateFingerprint == world.kr.certificateFingerprint)
    }

    @Test func keyBundleRoundTripsAndItsSignatureIsChecked() throws {
        let bundle = try PartyKeyBundle(identity: world.jp)
        let parsed = try PartyKeyBundle(encoded: bundle.encoded)
        #expect(parsed.keyID == world.jp.keyID)
        #expect(parsed.kemPublicKeyBytes == world.jp.kemPublicKeyBytes)
        var tampered = bundle.encoded
        let at = try #require(firstRange(of: bundle.certificateDER, in: tampered))
        tampered[at + 40] ^= 0x01
        #expect(errorCode { _ = try PartyKeyBundle(encoded: tampered) } == .signatureInvalid)
        var wrongKey = bundle.encoded
        wrongKey[1 + Int(wrongKey[0]) + 1 + 2 + 2 + 16 + 3] ^= 0x01  // a byte of the Ed25519 public key
        let code = errorCode { _ = try PartyKeyBundle(encoded: wrongKey) }
        #expect(code == .malformed)
        #expect(errorCode { _ = try PartyKeyBundle(encoded: bundle.encoded.dropLast()) } == .truncated)
        #expect(errorCode { _ = try PartyKeyBundle(encoded: bundle.encoded + [0]) } == .trailingBytes)
    }

    @Test func directoryPicksTheBundleValidAtTheTimeAndReportsExpiry() throws {
        let old = try NodeIdentity(party: "KR", seeds: World.seeds(0x60), notBefore: Dates.signed2016, notAfter: Dates.normalised2023, certificateDER: nil)
        let new = try NodeIdentity(party: "KR", seeds: World.seeds(0x70), notBefore: Dates.normalised2023, notAfter: Dates.end2030, certificateDER: nil)
        let directory = KeyDirectory([try PartyKeyBundle(identity: new), try PartyKeyBundle(identity: old)])
        #expect(try directory.current(party: "KR", at: Dates.signed2016.addingTimeInterval(1)).keyID == old.keyID)
        #expect(try directory.current(party: "KR", at: Dates.now).keyID == new.keyID)
        _ = try directory.bundle(party: "KR", keyID: old.keyID, validAt: Dates.signed2016)
        #expect(errorCode { _ = try directory.bundle(party: "KR", keyID: old.keyID, validAt: Dates.now) } == .keyExpired)
        #expect(errorCode { _ = try directory.bundle(party: "KR", keyID: new.keyID, validAt: Dates.signed2016) } == .keyNotYetValid)
        #expect(errorCode { _ = try directory.bundle(party: "JP", keyID: new.keyID, validAt: Dates.now) } == .unknownKey)
        #expect(errorCode { _ = try directory.current(party: "KR", at: Dates.end2030.addingTimeInterval(1)) } == .keyExpired)
    }

    @Test func identityArgumentsAreChecked() {
        #expect(errorCode { _ = try NodeIdentity(party: "", seeds: World.seeds(1), notBefore: Dates.signed2016, notAfter: Dates.end2030, certificateDER: nil) } == .invalidArgument)
        #expect(errorCode { _ = try NodeIdentity(party: "KR", seeds: World.seeds(1), notBefore: Dates.end2030, notAfter: Dates.signed2016, certificateDER: nil) } == .invalidArgument)
        var short = World.seeds(1)
        short.xwing = [1]
        #expect(errorCode { _ = try NodeIdentity(party: "KR", seeds: short, notBefore: Dates.signed2016, notAfter: Dates.end2030, certificateDER: nil) } == .malformed)
    }
}
