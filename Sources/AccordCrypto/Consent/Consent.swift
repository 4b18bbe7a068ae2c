import Foundation

/// What a consent permits: one envelope, or a scope of information (topics, a level ceiling, a period).
public enum ConsentScope: Sendable, Equatable {
    /// Exactly this envelope (the id of the originator's envelope to the intermediary).
    case envelope(EnvelopeID)
    /// Information on these topics, at or below this level (canonical text of the originator's scheme),
    /// created within this period. The topic and level comparison is the caller's (AccordCore's) rule.
    case scope(topics: [String], levelCeiling: String, notBefore: Date, notAfter: Date)
}

/// The originator's signed permission for `intermediary` to pass information to `finalRecipient`.
public struct Consent: Sendable {
    static let tag = "accord.consent"
    static let signatureContext = "consent"

    /// Identifies the consent.
    public let id: ConsentID
    /// The party whose information it is, and who signs.
    public let originator: String
    /// The originator's key generation.
    public let originatorKeyID: KeyID
    /// The party allowed to pass the information on.
    public let intermediary: String
    /// The party it may be passed to.
    public let finalRecipient: String
    /// When it was issued.
    public let issuedAt: Date
    /// What it covers.
    public let scope: ConsentScope
    /// Hybrid signature of the originator.
    public let signature: HybridSignature

    /// Issues a consent signed by `identity` (the originator).
    public static func issue(
        by identity: NodeIdentity, intermediary: String, finalRecipient: String, scope: ConsentScope,
        issuedAt: Date, id: ConsentID = .random()
    ) throws -> Consent {
        for (value, field) in [(intermediary, "intermediary"), (finalRecipient, "final recipient")] {
            try Limits.check(value, field)
        }
        if case .scope(let topics, let ceiling, let notBefore, let notAfter) = scope {
            guard topics.count <= Limits.maxTopics else {
                throw AccordCryptoError(.oversized, "a consent scope has at most \(Limits.maxTopics) topics")
            }
            for topic in topics { try Limits.check(topic, "topic") }
            try Limits.check(ceiling, "level ceiling")
            guard notBefore <= notAfter else { throw AccordCryptoError(.invalidArgument, "consent period is empty") }
        }
        let unsigned = Consent(
            id: id, originator: identity.party, originatorKeyID: identity.keyID, intermediary: intermediary,
            finalRecipient: finalRecipient, issuedAt: issuedAt.accordNormalized, scope: normalized(scope),
            signature: HybridSignature(ed25519: [], mldsa: []))
        let signature = try identity.signingKey.sign(context: signatureContext, body: unsigned.toBeSigned)
        return Consent(
            id: id, originator: unsigned.originator, originatorKeyID: unsigned.originatorKeyID,
            intermediary: intermediary, finalRecipient: finalRecipient, issuedAt: unsigned.issuedAt,
            scope: unsigned.scope, signature: signature)
    }

    private static func normalized(_ scope: ConsentScope) -> ConsentScope {
        guard case .scope(let topics, let ceiling, let notBefore, let notAfter) = scope else { return scope }
        return .scope(topics: topics, levelCeiling: ceiling, notBefore: notBefore.accordNormalized, notAfter: notAfter.accordNormalized)
    }

    private init(
        id: ConsentID, originator: String, originatorKeyID: KeyID, intermediary: String, finalRecipient: String,
        issuedAt: Date, scope: ConsentScope, signature: HybridSignature
    ) {
        self.id = id
        self.originator = originator
        self.originatorKeyID = originatorKeyID
        self.intermediary = intermediary
        self.finalRecipient = finalRecipient
        self.issuedAt = issuedAt
        self.scope = scope
        self.signature = signature
    }

    var toBeSigned: [UInt8] {
        var writer = ByteWriter(capacity: 256)
        writer.tag(Self.tag)
        writer.u8(1)
        writer.fixed(id.bytes)
        writer.string(originator)
        writer.fixed(originatorKeyID.bytes)
        writer.string(intermediary)
        writer.string(finalRecipient)
        writer.time(issuedAt)
        switch scope {
        case .envelope(let envelopeID):
            writer.u8(1)
            writer.fixed(envelopeID.bytes)
        case .scope(let topics, let ceiling, let notBefore, let notAfter):
            writer.u8(2)
            writer.u16(UInt16(topics.count))
            for topic in topics { writer.string(topic) }
            writer.string(ceiling)
            writer.time(notBefore)
            writer.time(notAfter)
        }
        return writer.bytes
    }

    /// The canonical bytes: ``toBeSigned`` then the signature.
    public var encoded: [UInt8] { toBeSigned + signature.bytes }

    /// Parses a consent (its signature is checked by ``verify(directory:)``).
    public init<D: DataProtocol>(encoded data: D) throws {
        var reader = ByteReader(data, context: "consent")
        try reader.expectTag(Self.tag)
        try reader.expectVersion(1)
        id = try reader.identifier("consent id")
        originator = try reader.string("originator")
        originatorKeyID = try reader.identifier("originator key id")
        intermediary = try reader.string("intermediary")
        finalRecipient = try reader.string("final recipient")
        issuedAt = try reader.time("issuedAt")
        switch try reader.u8("scope kind") {
        case 1:
            scope = .envelope(try reader.identifier("envelope id"))
        case 2:
            let count = Int(try reader.u16("topic count"))
            guard count <= Limits.maxTopics else {
                throw AccordCryptoError(.oversized, "consent: \(count) topics; at most \(Limits.maxTopics)")
            }
            var topics: [String] = []
            for index in 0..<count { topics.append(try reader.string("topic \(index)")) }
            let ceiling = try reader.string("level ceiling")
            scope = .scope(
                topics: topics, levelCeiling: ceiling, notBefore: try reader.time("notBefore"),
                notAfter: try reader.time("notAfter"))
        case let other:
            throw AccordCryptoError(.malformed, "consent: unknown scope kind \(other)")
        }
        signature = try HybridSignature(bytes: try reader.fixed(HybridSignature.size, "signature"))
        try reader.finish()
    }

    /// Verifies the originator's signature with the bundle valid when the consent was issued.
    public func verify(directory: KeyDirectory) throws {
        let bundle = try directory.bundle(party: originator, keyID: originatorKeyID, validAt: issuedAt)
        try bundle.signingKey.verify(signature, context: Self.signatureContext, body: toBeSigned)
    }
}
