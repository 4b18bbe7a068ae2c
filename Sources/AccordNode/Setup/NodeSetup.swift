import AccordCore
import AccordCrypto
import Crypto
import Foundation

/// Creates a node's directory: keys, certificate, public key bundle and configuration (`accord init`),
/// and pins peers into it (`accord peer add`).
public enum NodeSetup {
    /// Files `initialise` writes, relative to the node directory.
    public enum FileName {
        public static let configuration = "node.json"
        public static let identity = "identity.key"
        public static let certificate = "certificate.der"
        public static let keyBundle = "key-bundle.bin"
        public static let peers = "peers"
    }

    /// A user to create, and the token printed once for them.
    public struct NewUser: Sendable {
        public let id: String
        public let clearance: String
        public let needToKnow: [Topic]
        public let token: String
        public let roles: [NodeConfiguration.Role]
        /// A password for HTTP Basic (TAXII clients), printed once like the token; only its SHA-256 is stored.
        public let password: String?

        public init(id: String, clearance: String, needToKnow: [Topic], roles: [NodeConfiguration.Role] = [],
                    token: String = NodeSetup.makeToken(), password: String? = nil) {
            self.id = id
            self.clearance = clearance
            self.needToKnow = needToKnow
            self.roles = roles
            self.token = token
            self.password = password
        }
    }

    /// A fresh 256-bit API token, hex.
    public static func makeToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 hex of a token, as the configuration stores it.
    public static func tokenDigest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Creates `directory` with new keys valid from `now` for `years`, and a configuration using SQLite there.
    /// Refuses to overwrite an existing identity.
    public static func initialise(
        directory: URL, party: PartyCode, book: PolicyBook, federationPort: Int, apiPort: Int,
        users: [NewUser], now: Date, validFrom: Date? = nil, years: Int = 2, agreements: URL? = nil
    ) throws -> NodeConfiguration {
        guard let scheme = book.parties[party]?.scheme else { throw NodeConfigurationError("party \(party) is not in the party directory") }
        for user in users where scheme.level(named: user.clearance) == nil {
            throw NodeConfigurationError("user \(user.id): clearance '\(user.clearance)' is not a level of \(party)")
        }
        let fileManager = FileManager.default
        let identityURL = directory.appendingPathComponent(FileName.identity)
        guard !fileManager.fileExists(atPath: identityURL.path) else {
            throw NodeConfigurationError("\(identityURL.path) exists; refusing to replace a node's keys")
        }
        try fileManager.createDirectory(at: directory.appendingPathComponent(FileName.peers), withIntermediateDirectories: true)
        let notBefore = validFrom ?? now
        let identity = try NodeIdentity.generate(
            party: party.rawValue, notBefore: notBefore, notAfter: now.addingTimeInterval(Double(years) * 365.25 * 86_400))
        try identity.write(to: identityURL)
        try Data(identity.certificateDER).write(to: directory.appendingPathComponent(FileName.certificate))
        try Data(try PartyKeyBundle(identity: identity).encoded).write(to: directory.appendingPathComponent(FileName.keyBundle))
        var file: [String: Any] = [
            "format": "accord.node/1",
            "party": party.rawValue,
            "federation": ["host": "127.0.0.1", "port": federationPort],
            "api": ["host": "127.0.0.1", "port": apiPort],
            "identity": FileName.identity,
            "store": "sqlite:accord.sqlite",
            "peers": [Any](),
            "users": users.map(\.configurationEntry),
        ]
        if let agreements { file["agreements"] = agreements.path }
        let configurationURL = directory.appendingPathComponent(FileName.configuration)
        try JSONSerialization.data(withJSONObject: file, options: [.prettyPrinted, .sortedKeys]).write(to: configurationURL)
        return try NodeConfiguration.load(from: configurationURL)
    }

    /// Adds a user to a node's configuration (the node reads its users at start: restart it to apply).
    /// Refuses an id that exists and a clearance that is not a level of the node's party.
    public static func addUser(configuration configurationURL: URL, _ user: NewUser, book: PolicyBook) throws -> NodeConfiguration {
        let current = try NodeConfiguration.load(from: configurationURL)
        guard book.parties[current.party]?.scheme.level(named: user.clearance) != nil else {
            throw NodeConfigurationError("user \(user.id): clearance '\(user.clearance)' is not a level of \(current.party)")
        }
        guard !current.users.contains(where: { $0.id == user.id }) else {
            throw NodeConfigurationError("user \(user.id) exists; remove it first to issue a new token")
        }
        return try rewrite(configurationURL) { file in
            file["users"] = (file["users"] as? [[String: Any]] ?? []) + [user.configurationEntry]
        }
    }

    /// Removes a user from a node's configuration (their token stops working when the node restarts).
    public static func removeUser(configuration configurationURL: URL, id: String) throws -> NodeConfiguration {
        guard try NodeConfiguration.load(from: configurationURL).users.contains(where: { $0.id == id }) else {
            throw NodeConfigurationError("no user \(id)")
        }
        return try rewrite(configurationURL) { file in
            file["users"] = (file["users"] as? [[String: Any]] ?? []).filter { $0["id"] as? String != id }
        }
    }

    /// Edits the configuration file's JSON, writes it back atomically, and loads it again (so a bad edit is reported).
    private static func rewrite(_ url: URL, _ edit: (inout [String: Any]) -> Void) throws -> NodeConfiguration {
        guard var file = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw NodeConfigurationError("\(url.path) is not a JSON object")
        }
        edit(&file)
        let data = try JSONSerialization.data(withJSONObject: file, options: [.prettyPrinted, .sortedKeys])
        _ = try NodeConfiguration.decode(data, relativeTo: url.deletingLastPathComponent())
        try data.write(to: url, options: .atomic)
        return try NodeConfiguration.load(from: url)
    }

    /// Pins a peer: copies its certificate and key bundle into `peers/` (after checking that the bundle
    /// is validly self-signed, names the party and carries that certificate) and adds it to the configuration.
    public static func addPeer(
        configuration configurationURL: URL, party: PartyCode, url: URL, certificate: URL, keyBundle: URL, now: Date
    ) throws -> NodeConfiguration {
        let certificateDER = try Data(contentsOf: certificate)
        let bundle = try PartyKeyBundle(encoded: try Data(contentsOf: keyBundle))
        guard bundle.party == party.rawValue else {
            throw NodeConfigurationError("the key bundle is \(bundle.party)'s, not \(party)'s")
        }
        guard bundle.certificateDER == Array(certificateDER) else {
            throw NodeConfigurationError("the key bundle does not carry this certificate (fingerprint \(FederationTLS.fingerprint(Array(certificateDER))))")
        }
        try bundle.checkValid(at: now)
        let directory = configurationURL.deletingLastPathComponent()
        let peers = directory.appendingPathComponent(FileName.peers)
        try FileManager.default.createDirectory(at: peers, withIntermediateDirectories: true)
        try certificateDER.write(to: peers.appendingPathComponent("\(party).der"))
        try Data(bundle.encoded).write(to: peers.appendingPathComponent("\(party).bundle"))
        guard var file = try JSONSerialization.jsonObject(with: Data(contentsOf: configurationURL)) as? [String: Any] else {
            throw NodeConfigurationError("\(configurationURL.path) is not a JSON object")
        }
        var entries = (file["peers"] as? [[String: Any]] ?? []).filter { $0["party"] as? String != party.rawValue }
        entries.append(["party": party.rawValue, "url": url.absoluteString,
                        "certificate": "\(FileName.peers)/\(party).der", "keyBundle": "\(FileName.peers)/\(party).bundle"])
        file["peers"] = entries
        try JSONSerialization.data(withJSONObject: file, options: [.prettyPrinted, .sortedKeys]).write(to: configurationURL)
        return try NodeConfiguration.load(from: configurationURL)
    }
}

extension NodeSetup.NewUser {
    /// The user's entry in the configuration file: the token's digest only.
    var configurationEntry: [String: Any] {
        var entry: [String: Any] = ["id": id, "clearance": clearance, "needToKnow": needToKnow.map(\.rawValue),
                                    "tokenSHA256": NodeSetup.tokenDigest(token)]
        if !roles.isEmpty { entry["roles"] = roles.map(\.rawValue) }
        if let password { entry["passwordSHA256"] = NodeSetup.tokenDigest(password) }
        return entry
    }
}
