import AccordCore
import AccordNode
import ArgumentParser
import Foundation

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a node: keys (hybrid Ed25519 + ML-DSA-65, X-Wing), TLS certificate, key bundle, configuration.",
        discussion: """
            Example: accord init --party KR --dir kr-node --user kim:II:nk-missile,nk-nuclear
            Then give peers certificate.der and key-bundle.bin, and pin theirs with `accord peer add`.
            """
    )

    @Option(help: "The party this node speaks for.") var party: String
    @Option(help: "The node's directory (created).") var dir: String
    @Option(help: "Federation (mutual TLS) port.") var federationPort = 7401
    @Option(help: "Analyst API port.") var apiPort = 7411
    @Option(help: "Years the keys are valid (from now).") var years = 2
    @Option(help: "Keys valid from this instant (default: now); an earlier date lets a node replay history on a simulated clock.")
    var validFrom: String?
    @Option(name: .customLong("user"), help: "A user as id:clearance:topic,topic[:role,role] (repeatable); their token is printed once.")
    var users: [String] = []
    @OptionGroup var policy: PolicyOptions

    func run() async throws {
        let book = try policy.load()
        let code = try parseParty(party, option: "--party", book: book)
        let newUsers = try users.map { try parseNewUser($0, option: "--user") }
        let directory = URL(fileURLWithPath: dir)
        let configuration: NodeConfiguration
        do {
            configuration = try NodeSetup.initialise(
                directory: directory, party: code, book: book, federationPort: federationPort, apiPort: apiPort,
                users: newUsers, now: Date(), validFrom: try validFrom.map { try parseInstant($0, option: "--valid-from") }, years: years)
        } catch {
            throw InputError("\(error)")
        }
        print("Created \(code) node in \(directory.path)")
        print("  configuration   \(NodeSetup.FileName.configuration)")
        print("  keys (0600)     \(NodeSetup.FileName.identity)")
        print("  certificate     \(NodeSetup.FileName.certificate)  (give to peers; fingerprint below)")
        print("  key bundle      \(NodeSetup.FileName.keyBundle)  (give to peers)")
        if let der = try? Data(contentsOf: directory.appendingPathComponent(NodeSetup.FileName.certificate)) {
            print("  fingerprint     \(FederationTLS.fingerprint(Array(der)))")
        }
        print("  federation      https://\(configuration.federation.host):\(configuration.federation.port)")
        for user in newUsers { print("  token for \(user.id): \(user.token)  (shown once)") }
    }
}

/// Reads `id:clearance:topic,topic[:role,role]`.
func parseNewUser(_ text: String, option: String, password: String? = nil) throws -> NodeSetup.NewUser {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard (3...4).contains(parts.count), !parts[0].isEmpty else { throw InputError("\(option) '\(text)' is not id:clearance:topic,topic[:role,role]") }
    let topics = try parts[2].split(separator: ",").map { item -> Topic in
        guard let topic = Topic(item) else { throw InputError("\(option) '\(text)': '\(item)' is not a topic") }
        return topic
    }
    let roles = try (parts.count == 4 ? parts[3].split(separator: ",") : []).map { item -> NodeConfiguration.Role in
        guard let role = NodeConfiguration.Role(rawValue: String(item)) else {
            throw InputError("\(option) '\(text)': '\(item)' is not a role (\(NodeConfiguration.Role.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return role
    }
    return NodeSetup.NewUser(id: String(parts[0]), clearance: String(parts[1]), needToKnow: topics, roles: roles, password: password)
}

struct PeerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer", abstract: "Manage the peers a node federates with.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pin a peer's certificate and key bundle.")

        @Option(help: "The node's configuration file.") var config: String
        @Option(help: "The peer's party.") var party: String
        @Option(help: "The peer's federation URL (https://host:port).") var url: String
        @Option(help: "The peer's certificate.der.") var certificate: String
        @Option(help: "The peer's key-bundle.bin.") var keyBundle: String

        func run() async throws {
            guard let code = PartyCode(party) else { throw InputError("--party '\(party)' is not a party code") }
            guard let peerURL = URL(string: url) else { throw InputError("--url '\(url)' is not a URL") }
            do {
                let configuration = try NodeSetup.addPeer(
                    configuration: URL(fileURLWithPath: config), party: code, url: peerURL,
                    certificate: URL(fileURLWithPath: certificate), keyBundle: URL(fileURLWithPath: keyBundle), now: Date())
                print("Pinned \(code) at \(peerURL); \(configuration.party) now federates with \(configuration.peers.map(\.party.rawValue).joined(separator: ", ")).")
            } catch {
                throw InputError("\(error)")
            }
        }
    }
}
