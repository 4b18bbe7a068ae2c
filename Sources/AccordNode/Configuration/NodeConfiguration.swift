import AccordCore
import Foundation

/// A node's configuration file (`"format": "accord.node/1"`, see `docs/node.md`). Paths are
/// relative to the file's directory. Every check happens at load: a node never starts half-configured.
public struct NodeConfiguration: Sendable, Equatable {
    /// Where a listener binds.
    public struct Listener: Sendable, Equatable, Codable {
        public let host: String
        public let port: Int
    }

    /// A peer node this node federates with.
    public struct Peer: Sendable, Equatable {
        /// The peer's party.
        public let party: PartyCode
        /// Base URL of the peer's federation listener (`https://127.0.0.1:7402`).
        public let url: URL
        /// The peer's pinned TLS certificate (DER file).
        public let certificate: URL
        /// The peer's signed key bundle (public keys).
        public let keyBundle: URL
    }

    /// Where the node keeps its state.
    public enum StoreLocation: Sendable, Equatable {
        /// An SQLite file (the embedded default).
        case sqlite(URL)
        /// A PostgreSQL server.
        case postgres(URL)
    }

    /// A user of this node's API.
    public struct UserEntry: Sendable, Equatable {
        public let id: String
        /// Clearance, a level code of the node's own scheme.
        public let clearance: String
        public let needToKnow: [Topic]
        /// SHA-256 (hex) of the user's API token; the token itself is never stored.
        public let tokenSHA256: String
        /// SHA-256 (hex) of the user's password for HTTP Basic (TAXII clients), if they have one.
        public var passwordSHA256: String? = nil
        /// What the user may do beyond reading and releasing (``Role``).
        public var roles: [Role] = []

        public init(id: String, clearance: String, needToKnow: [Topic], tokenSHA256: String, passwordSHA256: String? = nil,
                    roles: [Role] = []) {
            self.id = id
            self.clearance = clearance
            self.needToKnow = needToKnow
            self.tokenSHA256 = tokenSHA256
            self.passwordSHA256 = passwordSHA256
            self.roles = roles
        }
    }

    /// A power beyond an analyst's.
    public enum Role: String, Sendable, Equatable, CaseIterable {
        /// Issues the node's party's diplomatic notes (`POST /api/v1/notes`): a treaty officer.
        case notes
        /// Sees what waits in the outbox and withdraws an undelivered envelope (`/api/v1/outbox`): a node operator.
        case outbox
    }

    public let party: PartyCode
    /// Node-to-node listener (mutual TLS).
    public let federation: Listener
    /// Analyst API listener (tokens).
    public let api: Listener
    /// The node's identity file (private keys, 0600).
    public let identity: URL
    public let store: StoreLocation
    /// Directory of agreements (`nil`: the bundled ones).
    public let agreements: URL?
    public let peers: [Peer]
    public let users: [UserEntry]
    /// Limits of the TAXII server (the `"taxii"` object; absent fields keep their defaults).
    public let taxii: TAXIIOptions
    /// SHA-256 fingerprints (lower-case hex) of TLS certificates this node no longer trusts, even if pinned.
    public var revokedCertificates: Set<String> = []

    /// Reads and checks a configuration file.
    public static func load(from file: URL) throws(NodeConfigurationError) -> NodeConfiguration {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw NodeConfigurationError("cannot read \(file.path): \(error.localizedDescription)")
        }
        return try decode(data, relativeTo: file.deletingLastPathComponent())
    }

    /// Decodes and checks configuration JSON; relative paths resolve against `base`.
    public static func decode(_ data: Data, relativeTo base: URL) throws(NodeConfigurationError) -> NodeConfiguration {
        let file: ConfigurationFile
        do { file = try JSONDecoder().decode(ConfigurationFile.self, from: data) } catch {
            throw NodeConfigurationError(describe(error))
        }
        guard file.format == "accord.node/1" else { throw NodeConfigurationError("format is '\(file.format)', expected 'accord.node/1'") }
        guard let party = PartyCode(file.party) else { throw NodeConfigurationError("party '\(file.party)' is not a party code") }
        for (name, listener) in [("federation", file.federation), ("api", file.api)] where !(0...65_535).contains(listener.port) {
            throw NodeConfigurationError("\(name).port \(listener.port) is not a TCP port")
        }
        func path(_ text: String) -> URL {
            text.hasPrefix("/") ? URL(fileURLWithPath: text) : base.appendingPathComponent(text)
        }
        let store: StoreLocation
        if file.store.hasPrefix("sqlite:") {
            store = .sqlite(path(String(file.store.dropFirst("sqlite:".count))))
        } else if file.store.hasPrefix("postgres://") || file.store.hasPrefix("postgresql://"), let url = URL(string: file.store) {
            store = .postgres(url)
        } else {
            throw NodeConfigurationError("store '\(file.store)' is neither sqlite:<path> nor postgres://…")
        }
        var peers: [Peer] = []
        for entry in file.peers {
            guard let code = PartyCode(entry.party), code != party else {
                throw NodeConfigurationError("peer party '\(entry.party)' must be another party's code")
            }
            guard !peers.contains(where: { $0.party == code }) else { throw NodeConfigurationError("peer \(code) is listed twice") }
            guard let url = URL(string: entry.url), url.scheme == "https", url.host != nil else {
                throw NodeConfigurationError("peer \(code): url '\(entry.url)' must be https://host:port")
            }
            peers.append(Peer(party: code, url: url, certificate: path(entry.certificate), keyBundle: path(entry.keyBundle)))
        }
        var users: [UserEntry] = []
        for entry in file.users ?? [] {
            guard !entry.id.isEmpty, !users.contains(where: { $0.id == entry.id }) else {
                throw NodeConfigurationError("user id '\(entry.id)' is empty or listed twice")
            }
            guard Self.isSHA256Hex(entry.tokenSHA256) else {
                throw NodeConfigurationError("user \(entry.id): tokenSHA256 must be 64 hex digits")
            }
            var topics: [Topic] = []
            for text in entry.needToKnow {
                guard let topic = Topic(text) else { throw NodeConfigurationError("user \(entry.id): '\(text)' is not a topic") }
                topics.append(topic)
            }
            if let hash = entry.passwordSHA256, !Self.isSHA256Hex(hash) {
                throw NodeConfigurationError("user \(entry.id): passwordSHA256 must be 64 hex digits")
            }
            var roles: [Role] = []
            for text in entry.roles ?? [] {
                guard let role = Role(rawValue: text) else {
                    throw NodeConfigurationError("user \(entry.id): role '\(text)' is not one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                roles.append(role)
            }
            users.append(UserEntry(id: entry.id, clearance: entry.clearance, needToKnow: topics, tokenSHA256: entry.tokenSHA256.lowercased(),
                                   passwordSHA256: entry.passwordSHA256?.lowercased(), roles: roles))
        }
        var revoked: Set<String> = []
        for fingerprint in file.revokedCertificates ?? [] {
            guard Self.isSHA256Hex(fingerprint) else {
                throw NodeConfigurationError("revokedCertificates: '\(fingerprint.prefix(80))' is not a SHA-256 fingerprint (64 hex digits)")
            }
            revoked.insert(fingerprint.lowercased())
        }
        var configuration = NodeConfiguration(
            party: party, federation: file.federation, api: file.api, identity: path(file.identity), store: store,
            agreements: file.agreements.map(path), peers: peers, users: users, taxii: try taxii(file.taxii ?? [:]))
        configuration.revokedCertificates = revoked
        return configuration
    }

    /// 64 ASCII hex digits (`Character.isHexDigit` alone also takes fullwidth forms, which never match a digest).
    static func isSHA256Hex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The TAXII limits from the `"taxii"` object: known fields only, each a whole number within its bounds.
    private static func taxii(_ fields: [String: Double]) throws(NodeConfigurationError) -> TAXIIOptions {
        let known = TAXIIOptions.ceilings.map(\.field)
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw NodeConfigurationError("taxii.\(unknown.prefix(60)) is not a TAXII limit (\(known.joined(separator: ", ")))")
        }
        var values: [String: Int] = [:]
        for (field, ceiling) in TAXIIOptions.ceilings {
            guard let value = fields[field] else { continue }
            guard value >= 1, value <= Double(ceiling), value == value.rounded() else {
                let shown = value == value.rounded() && abs(value) < 1e18 ? String(Int64(value)) : String(value)
                throw NodeConfigurationError("taxii.\(field) \(shown) must be a whole number between 1 and \(ceiling)")
            }
            values[field] = Int(value)
        }
        var options = TAXIIOptions()
        if let value = values["maxContentLength"] { options.maxContentLength = value }
        if let value = values["maxObjects"] { options.maxObjects = value }
        if let value = values["defaultLimit"] { options.defaultLimit = value }
        if let value = values["maxLimit"] { options.maxLimit = value }
        if let value = values["maxStatuses"] { options.maxStatuses = value }
        if let problem = options.problem { throw NodeConfigurationError(problem) }
        return options
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "bad value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        @unknown default:
            return "\(error)"
        }
    }
}

/// A configuration file that cannot be used; the message names the field.
public struct NodeConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { "invalid node configuration: \(message)" }
}

private struct ConfigurationFile: Decodable {
    struct PeerEntry: Decodable {
        let party: String
        let url: String
        let certificate: String
        let keyBundle: String
    }
    struct UserEntry: Decodable {
        let id: String
        let clearance: String
        let needToKnow: [String]
        let tokenSHA256: String
        let passwordSHA256: String?
        let roles: [String]?
    }
    let format: String
    let party: String
    let federation: NodeConfiguration.Listener
    let api: NodeConfiguration.Listener
    let identity: String
    let store: String
    let agreements: String?
    let peers: [PeerEntry]
    let users: [UserEntry]?
    let taxii: [String: Double]?
    let revokedCertificates: [String]?
}
