import AccordCore
import Foundation
import Testing
@testable import AccordNode

@Suite("Node configuration")
struct NodeConfigurationTests {
    static let validJSON = """
        {"format":"accord.node/1","party":"KR","federation":{"host":"127.0.0.1","port":7401},"api":{"host":"127.0.0.1","port":7411},
         "identity":"identity.key","store":"sqlite:state/accord.sqlite","agreements":null,
         "peers":[{"party":"JP","url":"https://127.0.0.1:7402","certificate":"peers/JP.der","keyBundle":"peers/JP.bundle"}],
         "users":[{"id":"kim","clearance":"II","needToKnow":["nk-missile"],"tokenSHA256":"\(String(repeating: "ab", count: 32))"}]}
        """

    @Test("a valid file resolves relative paths against its directory")
    func valid() throws {
        let configuration = try NodeConfiguration.decode(Data(Self.validJSON.utf8), relativeTo: URL(fileURLWithPath: "/srv/kr"))
        #expect(configuration.party.rawValue == "KR")
        #expect(configuration.identity.path == "/srv/kr/identity.key")
        #expect(configuration.store == .sqlite(URL(fileURLWithPath: "/srv/kr/state/accord.sqlite")))
        #expect(configuration.peers.first?.certificate.path == "/srv/kr/peers/JP.der")
        #expect(configuration.users.first?.needToKnow.map(\.rawValue) == ["nk-missile"])
    }

    @Test("malformed configuration gives one line naming the problem", arguments: [
        ("{", "not valid JSON"),
        (#"{"format":"accord.node/1"}"#, "missing field 'party'"),
        (validJSON.replacingOccurrences(of: "accord.node/1", with: "accord.node/9"), "format"),
        (validJSON.replacingOccurrences(of: #""party":"KR""#, with: #""party":"korea""#), "party 'korea'"),
        (validJSON.replacingOccurrences(of: "7401", with: "70000"), "federation.port"),
        (validJSON.replacingOccurrences(of: "sqlite:state/accord.sqlite", with: "mysql://x"), "store"),
        (validJSON.replacingOccurrences(of: #""party":"JP""#, with: #""party":"KR""#), "another party"),
        (validJSON.replacingOccurrences(of: "https://127.0.0.1:7402", with: "http://127.0.0.1:7402"), "https"),
        (validJSON.replacingOccurrences(of: #""nk-missile""#, with: #""NK""#), "'NK' is not a topic"),
        (validJSON.replacingOccurrences(of: String(repeating: "ab", count: 32), with: "secret"), "tokenSHA256"),
    ])
    func malformed(json: String, fragment: String) {
        #expect {
            _ = try NodeConfiguration.decode(Data(json.utf8), relativeTo: URL(fileURLWithPath: "/tmp"))
        } throws: { error in
            let text = "\(error)"
            return text.contains(fragment) && !text.contains("\n")
        }
    }
}
