import Foundation

extension NodeIdentity {
    static let fileTag = "accord.identity"

    /// The key file's bytes: tag `accord.identity`, version 1, party, notBefore, notAfter, the four 32-byte
    /// seeds (Ed25519, ML-DSA-65, X-Wing, P-256) and the certificate DER (`u32` length).
    public func fileRepresentation() -> [UInt8] {
        var writer = ByteWriter(capacity: 1024)
        writer.tag(Self.fileTag)
        writer.u8(1)
        writer.string(party)
        writer.time(notBefore)
        writer.time(notAfter)
        let seeds = self.seeds
        for seed in [seeds.ed25519, seeds.mldsa, seeds.xwing, seeds.p256] { writer.fixed(seed) }
        writer.bytes(certificateDER)
        return writer.bytes
    }

    /// Parses a key file's bytes, rejecting anything malformed, truncated or with trailing bytes.
    public init<D: DataProtocol>(fileRepresentation data: D) throws {
        var reader = ByteReader(data, context: "identity file")
        try reader.expectTag(Self.fileTag)
        try reader.expectVersion(1)
        let party = try reader.string("party")
        let notBefore = try reader.time("notBefore")
        let notAfter = try reader.time("notAfter")
        let seeds = Seeds(
            ed25519: try reader.fixed(32, "Ed25519 seed"), mldsa: try reader.fixed(32, "ML-DSA-65 seed"),
            xwing: try reader.fixed(32, "X-Wing seed"), p256: try reader.fixed(32, "P-256 key"))
        let certificate = try reader.bytes("certificate", max: Limits.maxBlob)
        try reader.finish()
        try self.init(party: party, seeds: seeds, notBefore: notBefore, notAfter: notAfter, certificateDER: certificate)
    }

    /// Writes the key file with permissions 0600 (owner read/write only), replacing any previous file atomically.
    public func write(to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(
            atPath: temporary.path, contents: Data(fileRepresentation()),
            attributes: [.posixPermissions: 0o600])
        else {
            throw AccordCryptoError(.keyFile, "cannot create key file in \(url.deletingLastPathComponent().path)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw AccordCryptoError(.keyFile, "cannot move key file into place at \(url.path)")
        }
    }

    /// Loads a key file, refusing files readable by group or others, and malformed contents.
    public static func load(from url: URL) throws -> NodeIdentity {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: url.path) } catch {
            throw AccordCryptoError(.keyFile, "cannot read key file \(url.path)")
        }
        if let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue, permissions & 0o077 != 0 {
            throw AccordCryptoError(
                .keyFile, "key file \(url.path) has permissions \(String(permissions, radix: 8)); expected 600")
        }
        guard let size = (attributes[.size] as? NSNumber)?.intValue, size <= Limits.maxBlob * 2 else {
            throw AccordCryptoError(.oversized, "key file \(url.path) is too large")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw AccordCryptoError(.keyFile, "cannot read key file \(url.path)")
        }
        return try NodeIdentity(fileRepresentation: data)
    }
}
