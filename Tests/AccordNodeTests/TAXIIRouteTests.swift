import AccordCore
import AccordSQLite
import AccordSTIX
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import AccordNode

/// What TAXII tests share: a federation, users with passwords, labelled STIX objects.
enum TAXIIFixture {
    static let media = "application/taxii+json;version=2.1"

    static func sha(_ text: String) -> String { SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined() }

    static func user(_ id: String, _ clearance: String, _ topics: [String] = ["nk-missile"]) -> NodeConfiguration.UserEntry {
        NodeConfiguration.UserEntry(id: id, clearance: clearance, needToKnow: topics.compactMap(Topic.init), tokenSHA256: sha("token-\(id)"),
                                    passwordSHA256: sha("pw-\(id)"))
    }

    static let users: [String: [NodeConfiguration.UserEntry]] = [
        "KR": [user("kr-analyst", "II"), user("kr-junior", "III")],
        "JP": [user("jp-analyst", "GOKUHI")],
        "US": [user("us-analyst", "TOP_SECRET")],
    ]

    static func basic(_ id: String) -> String { "Basic " + Data("\(id):pw-\(id)".utf8).base64EncodedString() }

    static func app(_ federation: Federation, _ party: String, options: TAXIIOptions = TAXIIOptions()) throws -> some ApplicationProtocol {
        try APIApplication.build(engine: federation.nodes[party]!, users: users[party]!, clock: NodeClock(), metrics: NodeMetrics(),
                                 host: "127.0.0.1", port: 0, taxii: options)
    }

    static func marking(_ label: String) throws -> STIXObject {
        let book = try BundledPolicy.load()
        let parsed = try LabelParser(parties: book.parties).parse(label)
        return LabelMarking(label: parsed, book: book).object
    }

    /// A `report` (or `note`) marked with `label`.
    static func object(_ type: String = "report", uuid: String, label: String?, modified: String = "2017-06-01T00:00:00.000Z") throws -> JSONValue {
        var members: [String: JSONValue] = [
            "type": .string(type), "spec_version": "2.1", "id": .string("\(type)--\(uuid)"),
            "created": "2017-05-31T00:00:00.000Z", "modified": .string(modified),
        ]
        if type == "report" {
            members["name"] = "KN-15 launch"
            members["published"] = "2017-06-01T00:00:00.000Z"
            members["report_types"] = ["threat-report"]
            members["object_refs"] = ["location--0c1f55f5-3f1e-4d1b-8f1f-2b1c2f5d7a01"]
        } else {
            members["content"] = "observed"
            members["object_refs"] = ["location--0c1f55f5-3f1e-4d1b-8f1f-2b1c2f5d7a01"]
        }
        if let label { members["object_marking_refs"] = .array([.string(try marking(label).id.description)]) }
        return .object(members)
    }

    static func envelope(_ objects: [JSONValue]) -> ByteBuffer {
        ByteBuffer(bytes: JSONWriter.encode(.object(["objects": .array(objects)])))
    }

    static let high = "KR//II//REL TO JP//TOPIC nk-missile"
    static let low = "KR//III//REL TO JP//TOPIC nk-missile"

    /// Two objects at II and III with their markings.
    static func bundle() throws -> ByteBuffer {
        envelope([
            try marking(high).json, try marking(low).json,
            try object(uuid: "4e1f7c56-1c7a-4d3e-9d7a-1a2b3c4d5e01", label: high),
            try object("note", uuid: "4e1f7c56-1c7a-4d3e-9d7a-1a2b3c4d5e02", label: low),
        ])
    }

    static func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }
}

extension TestClientProtocol {
    func taxii(_ uri: String, _ method: HTTPRequest.Method = .get, user: String, body: ByteBuffer? = nil, contentType: String = TAXIIFixture.media)
        async throws -> TestResponse
    {
        var headers: HTTPFields = [.authorization: TAXIIFixture.basic(user), .accept: TAXIIFixture.media]
        if body != nil { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: method, headers: headers, body: body)
    }
}

@Suite("TAXII 2.1 routes")
struct TAXIIRouteTests {
    let kr = "/api1/collections/kr-jp-gsomia-2016"

    @Test("discovery, API root and collections answer TAXII media; a wrong password is a 401 TAXII error")
    func discovery() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        try await TAXIIFixture.app(federation, "KR").test(.router) { client in
            let discovery = try await client.taxii("/taxii2/", user: "kr-analyst")
            #expect(discovery.status == .ok)
            #expect(discovery.headers[.contentType] == TAXIIFixture.media)
            #expect((TAXIIFixture.json(discovery.body)["api_roots"] as? [String])?.first?.hasSuffix("/api1/") == true)
            let root = TAXIIFixture.json(try await client.taxii("/api1/", user: "kr-analyst").body)
            #expect(root["max_content_length"] as? Int == TAXIIOptions().maxContentLength)
            let collections = TAXIIFixture.json(try await client.taxii("/api1/collections/", user: "kr-analyst").body)["collections"] as? [[String: Any]] ?? []
            let aliases = Set(collections.compactMap { $0["alias"] as? String })
            #expect(aliases == ["kr-jp-gsomia-2016", "tisa-2014", "us-kr-1987", "received"])
            #expect(collections.first { $0["alias"] as? String == "received" }?["can_write"] as? Bool == false)
            let wrong = try await client.execute(uri: "/taxii2/", method: .get, headers: [.authorization: "Basic " + Data("kr-analyst:nope".utf8).base64EncodedString()])
            #expect(wrong.status == .unauthorized)
            #expect(TAXIIFixture.json(wrong.body)["http_status"] as? String == "401")
            let bearer = try await client.execute(uri: "/api1/collections/", method: .get, headers: [.authorization: "Bearer token-kr-junior"])
            #expect(bearer.status == .ok)
        }
    }

    @Test("POST releases per object with the decision in the status; readers see what clearance allows; JP sees its own level")
    func releaseAndRead() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        try await TAXIIFixture.app(federation, "KR").test(.router) { client in
            let posted = try await client.taxii("\(kr)/objects/", .post, user: "kr-analyst", body: try TAXIIFixture.bundle())
            #expect(posted.status == .accepted)
            let status = TAXIIFixture.json(posted.body)
            #expect(status["status"] as? String == "complete")
            #expect(status["success_count"] as? Int == 4, "\(status)")
            let messages = (status["successes"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            #expect(messages.contains { $0.contains("JP: released directly under kr-jp-gsomia-2016, marked JP 極秘") }, "\(messages)")
            let polled = TAXIIFixture.json(try await client.taxii("/api1/status/\(status["id"] as? String ?? "")/", user: "kr-analyst").body)
            #expect(polled["id"] as? String == status["id"] as? String)
            let all = try await client.taxii("\(kr)/objects/", user: "kr-analyst")
            #expect(all.headers[TAXIIRoutes.dateAddedFirst] != nil && all.headers[TAXIIRoutes.dateAddedLast] != nil)
            let seen = (TAXIIFixture.json(all.body)["objects"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
            #expect(seen.sorted() == ["marking-definition", "marking-definition", "note", "report"])
            let junior = (TAXIIFixture.json(try await client.taxii("\(kr)/objects/", user: "kr-junior").body)["objects"] as? [[String: Any]] ?? [])
            #expect(junior.compactMap { $0["type"] as? String }.sorted() == ["marking-definition", "note"])
            // Pagination: one at a time, following `next`.
            var next: String?
            var pages = 0
            repeat {
                let query = "limit=1&match[type]=report,note" + (next.map { "&next=\($0)" } ?? "")
                let page = TAXIIFixture.json(try await client.taxii("\(kr)/objects/?\(query)", user: "kr-analyst").body)
                #expect((page["objects"] as? [Any])?.count == 1)
                next = page["next"] as? String
                pages += 1
            } while next != nil && pages < 5
            #expect(pages == 2)
            let manifest = TAXIIFixture.json(try await client.taxii("\(kr)/manifest/?match[type]=report", user: "kr-analyst").body)
            #expect((manifest["objects"] as? [[String: Any]])?.first?["media_type"] as? String == "application/stix+json;version=2.1")
            let byID = try await client.taxii("\(kr)/objects/report--4e1f7c56-1c7a-4d3e-9d7a-1a2b3c4d5e01/", user: "kr-junior")
            #expect(byID.status == .notFound)
            let versions = TAXIIFixture.json(try await client.taxii("\(kr)/objects/report--4e1f7c56-1c7a-4d3e-9d7a-1a2b3c4d5e01/versions/", user: "kr-analyst").body)
            #expect(versions["versions"] as? [String] == ["2017-06-01T00:00:00.000Z"])
        }
        try await federation.deliver("KR", "JP")
        try await TAXIIFixture.app(federation, "JP").test(.router) { client in
            let received = TAXIIFixture.json(try await client.taxii("/api1/collections/received/objects/", user: "jp-analyst").body)
            let objects = received["objects"] as? [[String: Any]] ?? []
            #expect(objects.filter { ($0["type"] as? String) != "marking-definition" }.count == 2)
            let text = String(buffer: try await client.taxii("/api1/collections/received/objects/", user: "jp-analyst").body)
            #expect(text.contains(#""shown_to":{"level_code":"GOKUHI","level_native_name":"極秘","party":"JP"}"#))
            #expect(text.contains("KR//II//REL TO JP//TOPIC nk-missile (KR 군사II급비밀 / JP 極秘)"))
            #expect(text.contains("KR//III//REL TO JP//TOPIC nk-missile (KR 군사III급비밀 / JP 秘)"))
        }
        // Every read was audited on both nodes (KR: releases, sends and accesses; JP: receptions and accesses).
        #expect(try await federation.stores["JP"]!.auditSize() >= 4)
    }
}
