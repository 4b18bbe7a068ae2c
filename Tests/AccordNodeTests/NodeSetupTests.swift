import AccordCore
import AccordCrypto
import Foundation
import Testing
@testable import AccordNode

@Suite("Node setup")
struct NodeSetupTests {
    let book = try! BundledPolicy.load()

    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("accord-setup-\(UUID().uuidString)")
    }

    @Test("init writes keys 0600, a certificate, a key bundle and a configuration that loads; it never replaces keys")
    func initialise() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = NodeSetup.NewUser(id: "kim", clearance: "II", needToKnow: [Topic("nk-missile")!], token: "t0k3n")
        let configuration = try NodeSetup.initialise(
            directory: directory, party: PartyCode("KR")!, book: book, federationPort: 7401, apiPort: 7411, users: [user], now: Date())
        #expect(configuration.users.first?.tokenSHA256 == NodeSetup.tokenDigest("t0k3n"))
        let attributes = try FileManager.default.attributesOfItem(atPath: configuration.identity.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let identity = try NodeIdentity.load(from: configuration.identity)
        #expect(identity.party == "KR")
        #expect(throws: (any Error).self) {
            try NodeSetup.initialise(directory: directory, party: PartyCode("KR")!, book: self.book, federationPort: 1, apiPort: 2, users: [], now: Date())
        }
    }

    @Test("users are added with roles and a TAXII password, refused twice or with a foreign clearance, and removed")
    func users() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(NodeSetup.FileName.configuration)
        _ = try NodeSetup.initialise(directory: directory, party: PartyCode("KR")!, book: book, federationPort: 7401, apiPort: 7411,
                                     users: [], now: Date())
        let officer = NodeSetup.NewUser(id: "lee", clearance: "II", needToKnow: [], roles: [.notes], token: "t", password: "p")
        let added = try NodeSetup.addUser(configuration: file, officer, book: book)
        #expect(added.users.map(\.id) == ["lee"])
        #expect(added.users[0].roles == [.notes])
        #expect(added.users[0].tokenSHA256 == NodeSetup.tokenDigest("t") && added.users[0].passwordSHA256 == NodeSetup.tokenDigest("p"))
        #expect(throws: NodeConfigurationError.self) { try NodeSetup.addUser(configuration: file, officer, book: self.book) }
        #expect(throws: NodeConfigurationError.self) {
            try NodeSetup.addUser(configuration: file, NodeSetup.NewUser(id: "x", clearance: "SECRET", needToKnow: []), book: self.book)
        }
        #expect(try NodeSetup.removeUser(configuration: file, id: "lee").users.isEmpty)
        #expect(throws: NodeConfigurationError.self) { try NodeSetup.removeUser(configuration: file, id: "lee") }
    }

    @Test("an unknown role in the configuration is refused, naming the user")
    func unknownRole() throws {
        let json = #"{"format":"accord.node/1","party":"KR","federation":{"host":"127.0.0.1","port":1},"api":{"host":"127.0.0.1","port":2},"identity":"i","store":"sqlite:s","peers":[],"users":[{"id":"kim","clearance":"II","needToKnow":[],"tokenSHA256":"\#(String(repeating: "a", count: 64))","roles":["admin"]}]}"#
        #expect(throws: NodeConfigurationError.self) { try NodeConfiguration.decode(Data(json.utf8), relativeTo: URL(fileURLWithPath: "/tmp")) }
        do { _ = try NodeConfiguration.decode(Data(json.utf8), relativeTo: URL(fileURLWithPath: "/tmp")) } catch {
            #expect(error.message.contains("user kim: role 'admin'"))
        }
    }

    @Test("a clearance outside the party's scheme is refused")
    func badClearance() {
        let user = NodeSetup.NewUser(id: "kim", clearance: "SECRET", needToKnow: [])
        #expect(throws: NodeConfigurationError.self) {
            try NodeSetup.initialise(directory: temporaryDirectory(), party: PartyCode("KR")!, book: book, federationPort: 1, apiPort: 2,
                                     users: [user], now: Date())
        }
    }

    @Test("peer add pins a peer's certificate and bundle, and refuses a bundle of another party or certificate")
    func addPeer() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let kr = root.appendingPathComponent("kr"), jp = root.appendingPathComponent("jp"), us = root.appendingPathComponent("us")
        for (dir, party) in [(kr, "KR"), (jp, "JP"), (us, "US")] {
            _ = try NodeSetup.initialise(directory: dir, party: PartyCode(party)!, book: book, federationPort: 1, apiPort: 2, users: [], now: Date())
        }
        let config = kr.appendingPathComponent(NodeSetup.FileName.configuration)
        let pinned = try NodeSetup.addPeer(
            configuration: config, party: PartyCode("JP")!, url: URL(string: "https://127.0.0.1:7402")!,
            certificate: jp.appendingPathComponent("certificate.der"), keyBundle: jp.appendingPathComponent("key-bundle.bin"), now: Date())
        #expect(pinned.peers.map(\.party.rawValue) == ["JP"])
        #expect(throws: NodeConfigurationError.self) {
            try NodeSetup.addPeer(configuration: config, party: PartyCode("US")!, url: URL(string: "https://127.0.0.1:7403")!,
                                  certificate: jp.appendingPathComponent("certificate.der"), keyBundle: jp.appendingPathComponent("key-bundle.bin"), now: Date())
        }
        #expect(throws: NodeConfigurationError.self) {
            try NodeSetup.addPeer(configuration: config, party: PartyCode("US")!, url: URL(string: "https://127.0.0.1:7403")!,
                                  certificate: jp.appendingPathComponent("certificate.der"), keyBundle: us.appendingPathComponent("key-bundle.bin"), now: Date())
        }
    }
}
