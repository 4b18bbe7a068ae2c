import AccordCrypto
import Crypto
import Foundation

/// A party's signed statement to another party's node: a diplomatic note or a compromise report
/// (`docs/node.md`, "Signed statements"). Binary form: the kind's tag (u8 length + ASCII), version
/// u8 = 1, three u32-length blobs — the signing party (ASCII), its key id (16 bytes), the statement's
/// JSON — and last the hybrid signature (u32 length + bytes) with the kind's context over every byte before it.
struct SignedStatement: Sendable, Equatable {
    enum Kind: String, Sendable, CaseIterable {
        case note
        case compromise

        var tag: [UInt8] { Array("accord.\(rawValue)".utf8) }
        /// The signature context (`note`, `compromise`).
        var context: String { rawValue }
    }

    /// Largest statement accepted (a note's summary or a report's detail, not a document).
    static let maximumBytes = 64 * 1024

    let kind: Kind
    let party: String
    let keyID: KeyID
    let body: [UInt8]
    let encoded: [UInt8]
    /// Length of the signed part of `encoded`.
    private let signedLength: Int
    private let signature: [UInt8]

    /// Signs `body` as `identity`'s party.
    init(_ kind: Kind, body: [UInt8], by identity: NodeIdentity) throws {
        var bytes = WireWriter.header(tag: kind.tag, version: 1)
        bytes += WireWriter.blob(Array(identity.party.utf8))
        bytes += WireWriter.blob(identity.keyID.bytes)
        bytes += WireWriter.blob(body)
        let signature = try identity.signingKey.sign(context: kind.context, body: bytes).bytes
        self.kind = kind
        self.party = identity.party
        self.keyID = identity.keyID
        self.body = body
        self.signedLength = bytes.count
        self.signature = signature
        self.encoded = bytes + WireWriter.blob(signature)
    }

    /// Parses the framing (not yet the signature: ``verify(directory:at:)`` needs the date the body gives).
    init(encoded bytes: [UInt8]) throws(NodeError) {
        guard bytes.count <= Self.maximumBytes else { throw NodeError(.malformed, "signed statement of \(bytes.count) bytes is over the limit") }
        guard let kind = Kind.allCases.first(where: { bytes.count > $0.tag.count && bytes[0] == $0.tag.count && Array(bytes[1...$0.tag.count]) == $0.tag }) else {
            throw NodeError(.malformed, "not a signed statement (accord.note or accord.compromise)")
        }
        var reader = WireReader(bytes, context: "signed \(kind.rawValue)")
        _ = try reader.expect(tag: kind.tag, versions: 1...1)
        let party = String(decoding: try reader.blob("party"), as: UTF8.self)
        let keyBytes = try reader.blob("key id")
        let body = try reader.blob(kind.rawValue)
        let signedLength = reader.consumed
        let signature = try reader.blob("signature")
        try reader.finish()
        do { self.keyID = try KeyID(bytes: keyBytes) } catch { throw NodeError(.malformed, "signed \(kind.rawValue): key id is not 16 bytes") }
        self.kind = kind
        self.party = party
        self.body = body
        self.encoded = bytes
        self.signedLength = signedLength
        self.signature = signature
    }

    /// Checks the hybrid signature with the party's pinned key `keyID`, which must be valid at `date`.
    func verify(directory: KeyDirectory, at date: Date) throws(NodeError) {
        do {
            let bundle = try directory.bundle(party: party, keyID: keyID, validAt: date)
            try bundle.signingKey.verify(try HybridSignature(bytes: signature), context: kind.context, body: Array(encoded[..<signedLength]))
        } catch {
            throw NodeError(.crypto, "\(kind.rawValue) signed by \(party): signature does not verify (\(error))")
        }
    }

    /// SHA-256 of the signed bytes: what statement receipts sign.
    var digest: [UInt8] { Array(SHA256.hash(data: encoded)) }

    /// The first 16 bytes of ``digest`` in hex: names the statement in outboxes.
    var shortID: String { digest.prefix(16).map { String(format: "%02x", $0) }.joined() }
}

/// A peer's signed acknowledgement that it holds a statement: its hybrid signature, context
/// `statement-receipt`, over the statement's SHA-256 digest (32 bytes) followed by the acknowledging party (ASCII).
enum StatementReceipt {
    static let context = "statement-receipt"

    static func body(digest: [UInt8], party: String) -> [UInt8] { digest + Array(party.utf8) }

    static func sign(digest: [UInt8], by identity: NodeIdentity) throws -> [UInt8] {
        try identity.signingKey.sign(context: context, body: body(digest: digest, party: identity.party)).bytes
    }

    static func verify(_ signature: [UInt8], digest: [UInt8], peer: String, directory: KeyDirectory, at date: Date) throws {
        let bundle = try directory.current(party: peer, at: date)
        try bundle.signingKey.verify(try HybridSignature(bytes: signature), context: context, body: body(digest: digest, party: peer))
    }
}
