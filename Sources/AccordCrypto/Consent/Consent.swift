import Crypto
import Foundation

/// What a consent permits: one envelope, or a scope of information (topics, a level ceiling, a period).
public enum ConsentScope: Sendable, Equatable {
    /// Exactly this envelope (the id of the originator's envelope to the intermediary).
    case envelope(EnvelopeID)
    /// Information on these topics, at or below this level (canonical text of the originator's scheme),
    /// created within this period. The topic and level comparison is the caller's (AccordCore's) rule.
    case scope(topics: [String], levelCeiling: String, notBefore: Date, notAfter: Date)
}

/// How a consent is signed: on its own (version 1), or as a leaf of a batch whose Merkle root the
/// originator signed once (version 2: one signature for every consent of one release).
public enum ConsentAuthentication: Sendable, Equatable {
    case signature(HybridSignature)
    case batch(proof: BatchProof, root: ConsentRoot)
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
    /// The originator's hybrid signature, on the consent or on its batch's root.
    public let authentication: ConsentAuthentication
    /// 1: signed alone; 2: batch-signed.
    var version: UInt8 { if case .batch = authentication { 2 } else { 1 } }

    /// Issues a consent signed by `identity` (the originator).
    public static func issue(
        by identity: NodeIdentity, intermediary: String, finalRecipient: String, scope: ConsentScope,
        issuedAt: Date, id: ConsentID = .random()
    ) throws -> Consent {
        let unsigned = try unsignedConsent(by: identity, intermediary: intermediary, finalRecipient: finalRecipient, scope: scope,
                                           issuedAt: issuedAt, id: id, version: 1)
        let signature = try identity.signingKey.sign(context: signatureContext, body: unsigned.toBeSigned)
        return unsigned.with(.signature(signature))
    }

    /// What one consent of a batch permits.
    public struct Request: Sendable {
        public let intermediary: String
        public let finalRecipient: String
        public let scope: ConsentScope
        public let id: ConsentID

        public init(intermediary: String, finalRecipient: String, scope: ConsentScope, id: ConsentID = .random()) {
            self.intermediary = intermediary
            self.finalRecipient = finalRecipient
            self.scope = scope
            self.id = id
        }
    }

    /// Issues consents as one batch (version 2): each is a leaf of a Merkle tree whose root `identity`
    /// signs once; each consent carries its inclusion proof and the signed root. A verifier that keeps a
    /// ``VerifiedRootCache`` checks the root's hybrid signature once for the whole batch.
    public static func issueBatch(by identity: NodeIdentity, _ requests: [Request], issuedAt: Date) throws -> [Consent] {
        guard !requests.isEmpty else { return [] }
        let unsigned = try requests.map { request in
            try unsignedConsent(by: identity, intermediary: request.intermediary, finalRecipient: request.finalRecipient,
                                scope: request.scope, issuedAt: issuedAt, id: request.id, version: 2)
        }
        let tree = try MerkleTree(leaves: unsigned.map { Array(SHA256.hash(data: $0.toBeSigned)) })
        let root = try ConsentRoot.sign(tree: tree, identity: identity, at: issuedAt)
        return unsigned.enumerated().map { index, consent in
            consent.with(.batch(proof: BatchProof(leafIndex: UInt32(index), treeSize: UInt32(tree.size), path: tree.inclusionPath(for: index)),
                                root: root))
        }
    }

    private static func unsignedConsent(
        by identity: NodeIdentity, intermediary: String, finalRecipient: String, scope: ConsentScope, issuedAt: Date, id: ConsentID,
        version: UInt8
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
        // The placeholder only selects the version that `toBeSigned` writes.
        let placeholder: ConsentAuthentication = version == 1
            ? .signature(HybridSignature(ed25519: [], mldsa: []))
            : .batch(proof: BatchProof(leafIndex: 0, treeSize: 1, path: []),
                     root: ConsentRoot(signer: "", keyID: identity.keyID, signedAt: issuedAt, treeSize: 1, root: [],
                                       signature: HybridSignature(ed25519: [], mldsa: [])))
        return Consent(
            id: id, originator: identity.party, originatorKeyID: identity.keyID, intermediary: intermediary,
            finalRecipient: finalRecipient, issuedAt: issuedAt.accordNormalized, scope: normalized(scope), authentication: placeholder)
    }

    private func with(_ authentication: ConsentAuthentication) -> Consent {
        Consent(id: id, originator: originator, originatorKeyID: originatorKeyID, intermediary: intermediary, finalRecipient: finalRecipient,
                issuedAt: issuedAt, scope: scope, authentication: authentication)
    }

    private static func normalized(_ scope: ConsentScope) -> ConsentScope {
        guard case .scope(let topics, let ceiling, let notBefore, let notAfter) = scope else { return scope }
        return .scope(topics: topics, levelCeiling: ceiling, notBefore: notBefore.accordNormalized, notAfter: notAfter.accordNormalized)
    }

    private init(
        id: ConsentID, originator: String, originatorKeyID: KeyID, intermediary: String, finalRecipient: String,
        issuedAt: Date, scope: ConsentScope, authentication: ConsentAuthentication
    ) {
        self.id = id
        self.originator = originator
        self.originatorKeyID = originatorKeyID
        self.intermediary = intermediary
        self.finalRecipient = finalRecipient
        self.issuedAt = issuedAt
        self.scope = scope
        self.authentication = authentication
    }

    var toBeSigned: [UInt8] {
        var writer = ByteWriter(capacity: 256)
        writer.tag(Self.tag)
        writer.u8(version)
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

    /// The canonical bytes: ``toBeSigned``, then the signature (version 1) or the inclusion proof and
    /// the signed batch root (version 2).
    public var encoded: [UInt8] {
        switch authentication {
        case .signature(let signature): return toBeSigned + signature.bytes
        case .batch(let proof, let root): return root.leafEncoding(toBeSigned, proof: proof)
        }
    }

    /// The detached form of a batch-signed consent (version 2): ``toBeSigned`` and the inclusion proof,
    /// without the signed root, which is named by digest beside it (a relay attachment of a version-3
    /// envelope, `docs/envelope.md`). Nil for a consent signed alone, which has no root to leave out.
    var detachedEncoding: (bytes: [UInt8], root: ConsentRoot)? {
        guard case .batch(let proof, let root) = authentication else { return nil }
        var writer = ByteWriter(capacity: 320 + 32 * proof.path.count)
        writer.fixed(toBeSigned)
        proof.write(to: &writer)
        return (writer.bytes, root)
    }

    /// Parses a consent (its signature is checked by ``verify(directory:)``).
    public init<D: DataProtocol>(encoded data: D) throws {
        try self.init(reading: data, detachedRoot: nil)
    }

    /// Parses the detached form of a batch-signed consent (``detachedEncoding``) with the root it was detached from.
    init<D: DataProtocol>(detached data: D, root: ConsentRoot) throws {
        try self.init(reading: data, detachedRoot: root)
    }

    private init<D: DataProtocol>(reading data: D, detachedRoot: ConsentRoot?) throws {
        var reader = ByteReader(data, context: "consent")
        try reader.expectTag(Self.tag)
        let version = try reader.u8("version")
        guard version == 1 || version == 2 else { throw AccordCryptoError(.unsupportedVersion, "consent: version \(version) is not 1 or 2") }
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
        if version == 1 {
            guard detachedRoot == nil else {
                throw AccordCryptoError(.wrongStructure, "consent: a consent signed alone has no detached form")
            }
            authentication = .signature(try HybridSignature(bytes: try reader.fixed(HybridSignature.size, "signature")))
        } else {
            let proof = try BatchProof.read(from: &reader)
            authentication = .batch(proof: proof, root: try detachedRoot ?? ConsentRoot.read(from: &reader))
        }
        try reader.finish()
    }

    /// Verifies the originator's signature with the bundle valid when the consent was issued. For a
    /// batch-signed consent: the inclusion proof leads from this consent to the root, and the root is
    /// signed by the originator's same key (checked once per root when `cache` is given).
    public func verify(directory: KeyDirectory, cache: VerifiedRootCache? = nil) throws {
        switch authentication {
        case .signature(let signature):
            let bundle = try directory.bundle(party: originator, keyID: originatorKeyID, validAt: issuedAt)
            try bundle.signingKey.verify(signature, context: Self.signatureContext, body: toBeSigned)
        case .batch(let proof, let root):
            guard root.signer == originator, root.keyID == originatorKeyID else {
                throw AccordCryptoError(.signatureInvalid, "consent \(id): its batch root is signed by \(root.signer), not the originator \(originator)")
            }
            guard proof.treeSize == root.treeSize, proof.root(forHeader: toBeSigned) == root.root else {
                throw AccordCryptoError(.signatureInvalid, "consent \(id) is not in the batch its root signs")
            }
            try root.verify(directory: directory, validAt: issuedAt, cache: cache)
        }
    }
}
