import AccordCore
import AccordSTIX
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import AccordNode

@Suite("TAXII limits from the node configuration, and statuses")
struct TAXIIConfigurationTests {
    let path = "/api1/collections/kr-jp-gsomia-2016/objects/"

    /// The options a configuration file with this `"taxii"` object gives.
    func configured(_ taxii: String) throws -> TAXIIOptions {
        let json = NodeConfigurationTests.validJSON.replacingOccurrences(of: #""agreements":null,"#, with: #""agreements":null,"taxii":\#(taxii),"#)
        return try NodeConfiguration.decode(Data(json.utf8), relativeTo: URL(fileURLWithPath: "/tmp")).taxii
    }

    @Test("a configured max_content_length is announced and enforced with a 413 TAXII error object; nothing is stored")
    func contentLength() async throws {
        let options = try configured(#"{"maxContentLength": 600}"#)
        #expect(options.maxContentLength == 600)
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        try await TAXIIFixture.app(federation, "KR", options: options).test(.router) { client in
            #expect(TAXIIFixture.json(try await client.taxii("/api1/", user: "kr-analyst").body)["max_content_length"] as? Int == 600)
            let response = try await client.taxii(path, .post, user: "kr-analyst", body: try TAXIIFixture.bundle())
            let error = TAXIIFixture.json(response.body)
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType] == TAXIIFixture.media)
            #expect(error["error_code"] as? String == "too-large", "\(error)")
            #expect(error["http_status"] as? String == "413")
            #expect((error["description"] as? String ?? "").contains("600 bytes"), "\(error)")
            #expect(TAXIIFixture.json(try await client.taxii(path, user: "kr-analyst").body).isEmpty)
        }
        // The same body under the default limit is accepted: the 413 came from the configured value.
        try await TAXIIFixture.app(federation, "KR").test(.router) { client in
            let response = try await client.taxii(path, .post, user: "kr-analyst", body: try TAXIIFixture.bundle())
            #expect(response.status == .accepted)
        }
    }

    @Test("a configured maximum of objects per POST is enforced with a 413 naming the field")
    func maxObjects() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        try await TAXIIFixture.app(federation, "KR", options: try configured(#"{"maxObjects": 3}"#)).test(.router) { client in
            let response = try await client.taxii(path, .post, user: "kr-analyst", body: try TAXIIFixture.bundle())  // 4 objects
            let error = TAXIIFixture.json(response.body)
            #expect(response.status == .contentTooLarge)
            #expect(error["error_code"] as? String == "too-large", "\(error)")
            #expect((error["details"] as? [String: Any])?["field"] as? String == "objects", "\(error)")
        }
    }

    @Test("configured page sizes: the default limit applies without `limit`, and `limit` is capped at the maximum")
    func pageSizes() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        try await TAXIIFixture.app(federation, "KR", options: try configured(#"{"defaultLimit": 1, "maxLimit": 2}"#)).test(.router) { client in
            #expect(try await client.taxii(path, .post, user: "kr-analyst", body: try TAXIIFixture.bundle()).status == .accepted)
            let first = TAXIIFixture.json(try await client.taxii(path, user: "kr-analyst").body)
            #expect((first["objects"] as? [Any])?.count == 1)
            #expect(first["more"] as? Bool == true)
            let capped = TAXIIFixture.json(try await client.taxii("\(path)?limit=100", user: "kr-analyst").body)
            #expect((capped["objects"] as? [Any])?.count == 2)
            #expect(capped["more"] as? Bool == true)
        }
    }

    @Test("only the most recent statuses are kept; after a restart a status is a 404 TAXII error object")
    func statuses() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let options = try configured(#"{"maxStatuses": 1}"#)
        let ids = try await TAXIIFixture.app(federation, "KR", options: options).test(.router) { client in
            var ids: [String] = []
            for _ in 0..<2 {
                let posted = try await client.taxii(path, .post, user: "kr-analyst", body: try TAXIIFixture.bundle())
                ids.append(TAXIIFixture.json(posted.body)["id"] as? String ?? "")
            }
            let dropped = try await client.taxii("/api1/status/\(ids[0])/", user: "kr-analyst")
            #expect(dropped.status == .notFound)
            #expect(TAXIIFixture.json(dropped.body)["error_code"] as? String == "not-found")
            let kept = try await client.taxii("/api1/status/\(ids[1])/", user: "kr-analyst")
            #expect(kept.status == .ok)
            #expect(TAXIIFixture.json(kept.body)["status"] as? String == "complete")
            #expect(try await client.taxii("/api1/status/\(ids[1])/", user: "kr-junior").status == .notFound)
            return ids
        }
        let restarted = try APIApplication.build(
            engine: try federation.restarted("KR"), users: TAXIIFixture.users["KR"]!, clock: NodeClock(), metrics: NodeMetrics(),
            host: "127.0.0.1", port: 0, taxii: options)
        try await restarted.test(.router) { client in
            let response = try await client.taxii("/api1/status/\(ids[1])/", user: "kr-analyst")
            let error = TAXIIFixture.json(response.body)
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == TAXIIFixture.media)
            #expect(error["http_status"] as? String == "404")
            #expect((error["description"] as? String ?? "").contains("until the node restarts"), "\(error)")
            // The objects themselves are in the store and survive.
            let objects = TAXIIFixture.json(try await client.taxii(path, user: "kr-analyst").body)["objects"] as? [Any]
            #expect(objects?.count == 4)
        }
    }

    @Test("the status log drops the oldest first and never holds more than its capacity")
    func statusLog() {
        var log = TAXIIStatusLog(capacity: 3)
        let statuses = (0..<10).map { TAXIIStatus(id: "s\($0)", requestTimestamp: STIXTimestamp("2017-06-01T00:00:00.000Z")!) }
        for status in statuses { log.keep(status, owner: "kim") }
        #expect(log.count == 3)
        #expect(log.status("s6", owner: "kim") == nil)
        #expect(log.status("s7", owner: "kim") == statuses[7])
        #expect(log.status("s9", owner: "kim") == statuses[9])
        #expect(log.status("s9", owner: "lee") == nil)
        log.keep(statuses[9], owner: "kim")  // the same id again replaces, it does not push another out
        #expect(log.status("s7", owner: "kim") == statuses[7])
    }
}
