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
        #expect(configuration.taxii == TAXIIOptions())
    }

    static func withTAXII(_ object: String) -> String {
        validJSON.replacingOccurrences(of: #""agreements":null,"#, with: #""agreements":null,"taxii":\#(object),"#)
    }

    static func withRevoked(_ list: String) -> String {
        validJSON.replacingOccurrences(of: #""agreements":null,"#, with: #""agreements":null,"revokedCertificates":\#(list),"#)
    }

    @Test("revoked certificates are SHA-256 fingerprints, kept lower-case; none by default")
    func revokedCertificates() throws {
        let fingerprint = String(repeating: "AB", count: 32)
        let configuration = try NodeConfiguration.decode(Data(Self.withRevoked(#"["\#(fingerprint)"]"#).utf8), relativeTo: URL(fileURLWithPath: "/tmp"))
        #expect(configuration.revokedCertificates == [fingerprint.lowercased()])
        #expect(try NodeConfiguration.decode(Data(Self.validJSON.utf8), relativeTo: URL(fileURLWithPath: "/tmp")).revokedCertificates.isEmpty)
    }

    @Test("the taxii object sets the limits it names; the others keep their defaults")
    func taxiiLimits() throws {
        let json = Self.withTAXII(#"{"maxContentLength": 1048576, "maxObjects": 200, "maxLimit": 500, "maxStatuses": 50}"#)
        let taxii = try NodeConfiguration.decode(Data(json.utf8), relativeTo: URL(fileURLWithPath: "/tmp")).taxii
        #expect(taxii == TAXIIOptions(maxContentLength: 1 << 20, maxObjects: 200, defaultLimit: 100, maxLimit: 500, maxStatuses: 50))
        let empty = try NodeConfiguration.decode(Data(Self.withTAXII("{}").utf8), relativeTo: URL(fileURLWithPath: "/tmp")).taxii
        #expect(empty == TAXIIOptions())
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
        (withTAXII(#"{"maxObjects": 0}"#), "taxii.maxObjects 0 must be a whole number between 1 and 10000"),
        (withTAXII(#"{"maxContentLength": -1}"#), "taxii.maxContentLength -1 must be a whole number between 1 and"),
        (withTAXII(#"{"maxContentLength": 1099511627776}"#), "taxii.maxContentLength 1099511627776 must be a whole number between 1 and 67108864"),
        (withTAXII(#"{"maxLimit": 100000}"#), "taxii.maxLimit"),
        (withTAXII(#"{"maxStatuses": 0}"#), "taxii.maxStatuses"),
        (withTAXII(#"{"defaultLimit": 500, "maxLimit": 100}"#), "taxii.defaultLimit 500 must not exceed taxii.maxLimit 100"),
        (withTAXII(#"{"maxObject": 5}"#), "taxii.maxObject is not a TAXII limit"),
        (withTAXII(#"{"maxObjects": "many"}"#), "wrong type at 'taxii.maxObjects'"),
        (withTAXII(#"{"maxObjects": 2.5}"#), "taxii.maxObjects 2.5 must be a whole number"),
        (withTAXII(#"{"maxStatuses": 1e300}"#), "taxii.maxStatuses 1e+300 must be a whole number"),
        (withTAXII("[]"), "wrong type at 'taxii'"),
        (withRevoked(#"["abc"]"#), "revokedCertificates: 'abc' is not a SHA-256 fingerprint (64 hex digits)"),
        (withRevoked(#"["\#(String(repeating: "Ａ", count: 64))"]"#), "is not a SHA-256 fingerprint"),
        (withRevoked(#""abc""#), "wrong type at 'revokedCertificates'"),
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
