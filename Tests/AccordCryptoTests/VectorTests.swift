import Crypto
import Foundation
import Testing
@testable import AccordCrypto

/// Fixed inputs → expected bytes, so another implementation can interoperate.
///
/// Every expected value was derived independently of this code, in Python, from the layouts in `docs/envelope.md`
/// (the script is in its appendix): HKDF outputs, label binding, header bytes, leaf hash and AES-256-GCM ciphertext
/// and the Ed25519 key with `cryptography`; the ML-DSA-65 public key from its seed with `dilithium-py` (FIPS 204);
/// the X-Wing public key from its seed with `kyber-py` (ML-KEM-768) and `cryptography` (X25519) following the X-Wing
/// draft's seed expansion. Randomised signatures (ML-DSA-65 is hedged) are pinned by verification.
enum Vector {
    static let secret = [UInt8](0xA0...0xBF)
    static let epochID = [UInt8](1...16)
    static let envelopeID = (0..<16).map { UInt8(0xE0 + $0) }
    static let payload = Array("Launch detected 2023-11-14T22:13Z, apogee 6000 km".utf8)

    static let messageKey = "6ab5dcf706560ab2e4e99420b0eb121fa147749bbe0975e9d2e995bf486a09e7"
    static let nonceBase = "072be79596c1faacec260b1c"
    static let labelKey = "f75f80fbb1967c1e413c5f20466ab837f32979db354eaec452318ca6c3411e11"
    static let nonce5 = "072be79596c1faacec260b19"
    static let labelBinding = "2930190f6534a5254aad72c75aec0e0c08dc7ddec826e0c9b4603b3941c6aa97"
    static let payloadDigest = "77d01e5e3736b090133a301d0ac8270d12f1dd16ace295c00b9c102b9030c9e7"
    static let header = "166163636f72642e656e76656c6f70652d68656164657201e0e1e2e3e4e5e6e7e8e9eaebecedeeef00024b5200024b5200024a5000116b722d6a702d67736f6d69612d3230313600264b522f2f49492f2f52454c20544f204a502c55532f2f544f504943206e6b2d6d697373696c65002a4a502f2f5345435245542f2f52454c20544f204b522c55532f2f544f504943206e6b2d6d697373696c65000f6d697373696c652d7761726e696e670000018bcfe56800111111111111111111111111111111110102030405060708090a0b0c0d0e0f10072be79596c1faacec260b1977d01e5e3736b090133a301d0ac8270d12f1dd16ace295c00b9c102b9030c9e72930190f6534a5254aad72c75aec0e0c08dc7ddec826e0c9b4603b3941c6aa9700"
    static let ciphertext = "5ccbb87de6975c1b8d405c153eebe1bdb21744c01597c7f3fd33adc217f072b257b2dc8bf4df8a55e2286a6883e91a0995b4052a3f46af4ccce89d455270ca9fa5"
    static let headerLeafHash = "6a8fb52013e829c2398708debdf0021b0e1d0eafa145fe0111d87a061aea8b29"
    /// Ed25519 public key of the private key 0x10 × 32.
    static let krEd25519Public = "5c9c6df261c9cb840475776aaefcd944b405328fab28f9b3a95ef40490d3de84"
    /// SHA-256 of the ML-DSA-65 public key from seed 0x11 × 32.
    static let krMLDSAPublicSHA256 = "0575d15a041b8b573635522018f2d25d0cc1c1d6d5295da66c52e12bc29402fc"
    /// SHA-256 of the X-Wing public key from seed 0x12 × 32.
    static let krXWingPublicSHA256 = "928a15023535927e968e51a46014e8a2652dad720ca986851064d73e78720189"
    /// Key id of KR's fixture identity: SHA-256("accord.v1 key-id" ‖ Ed25519 ‖ ML-DSA-65 ‖ X-Wing public keys)[0..<16].
    static let krKeyID = "05fc9eaffcfe64eb04aca522d01cfae3"
}

@Suite struct VectorTests {
    let keys: EpochKeys

    init() throws {
        keys = try EpochKeys(secret: Vector.secret, epochID: EpochID(bytes: Vector.epochID))
    }

    func vectorHeader() throws -> EnvelopeHeader {
        let id = try EnvelopeID(bytes: Vector.envelopeID)
        return EnvelopeHeader(
            id: id, originator: "KR", sender: "KR", recipient: "JP", agreementID: "kr-jp-gsomia-2016",
            originatorLabel: World.krLabel, recipientLabel: World.jpLabel, purpose: "missile-warning",
            createdAt: Dates.now, senderKeyID: try KeyID(bytes: [UInt8](repeating: 0x11, count: 16)),
            epochID: try EpochID(bytes: Vector.epochID), nonce: keys.nonce(sequence: 5),
            payloadDigest: Array(SHA256.hash(data: Vector.payload)),
            labelBinding: keys.labelBinding(envelopeID: id, originatorLabel: World.krLabel, recipientLabel: World.jpLabel),
            relay: nil)
    }

    @Test func epochKeyDerivation() {
        #expect(keys.messageKeyBytes.hex == Vector.messageKey)
        #expect(keys.nonceBase.hex == Vector.nonceBase)
        #expect(keys.labelKeyBytes.hex == Vector.labelKey)
        #expect(keys.nonce(sequence: 5).hex == Vector.nonce5)
    }

    @Test func canonicalHeaderBytesAndLeafHash() throws {
        let header = try vectorHeader()
        #expect(header.labelBinding.hex == Vector.labelBinding)
        #expect(header.payloadDigest.hex == Vector.payloadDigest)
        #expect(header.encoded.hex == Vector.header)
        #expect(try EnvelopeHeader(encoded: [UInt8](hex: Vector.header)) == header)
        #expect(MerkleTree.leafHash(Array(SHA256.hash(data: header.encoded))).hex == Vector.headerLeafHash)
    }

    @Test func ciphertextUnderTheEpochKey() throws {
        let header = try vectorHeader()
        let sealed = try EnvelopeSealer.sealPayload(Vector.payload, headerBytes: header.encoded, keys: keys, nonce: header.nonce)
        #expect(sealed.hex == Vector.ciphertext)
    }

    @Test func fixedSeedsGiveFixedPublicKeys() {
        let kr = World.shared.kr
        #expect(kr.signingKey.publicKey.ed25519Bytes.hex == Vector.krEd25519Public)
        #expect(Array(SHA256.hash(data: kr.signingKey.publicKey.mldsaBytes)).hex == Vector.krMLDSAPublicSHA256)
        #expect(Array(SHA256.hash(data: kr.kemPublicKeyBytes)).hex == Vector.krXWingPublicSHA256)
        #expect(kr.keyID.description == Vector.krKeyID)
    }

    @Test func signaturesOverVectorsArePinnedByVerification() throws {
        let kr = World.shared.kr
        let tree = try MerkleTree(leaves: [Array(SHA256.hash(data: try vectorHeader().encoded))])
        #expect(tree.root.hex == Vector.headerLeafHash)
        let root = try SignedBatchRoot.sign(tree: tree, identity: kr, at: Dates.now)
        let parsed = try SignedBatchRoot(encoded: root.encoded)
        try parsed.verify(directory: World.shared.directory, validAt: Dates.now, cache: nil)
        // Ed25519 is deterministic, so its half is reproducible.
        let again = try SignedBatchRoot.sign(tree: tree, identity: kr, at: Dates.now)
        #expect(again.signature.ed25519 == root.signature.ed25519)
    }
}
