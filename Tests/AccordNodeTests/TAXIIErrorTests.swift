import AccordCore
import AccordSQLite
import AccordSTIX
import AccordStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import AccordNode

@Suite("TAXII 2.1 bad input: an error object with a status and a description, nothing stored")
struct TAXIIErrorTests {
    let path = "/api1/collections/kr-jp-gsomia-2016/objects/"
    let uuid = "4e1f7c56-1c7a-4d3e-9d7a-1a2b3c4d5e09"

    /// Posts `body`, expects `status` and `code`, and checks the collection is still empty.
    func refuse(_ body: ByteBuffer, contentType: String = TAXIIFixture.media, options: TAXIIOptions = TAXIIOptions(),
                status: HTTPResponse.Status, code: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        try await TAXIIFixture.app(federation, "KR", options: options).test(.router) { client in
            let response = try await client.taxii(path, .post, user: "kr-analyst", body: body, contentType: contentType)
            let error = TAXIIFixture.json(response.body)
            #expect(response.status == status, "\(error)", sourceLocation: sourceLocation)
            #expect(response.headers[.contentType] == TAXIIFixture.media, sourceLocation: sourceLocation)
            #expect(error["error_code"] as? String == code, "\(error)", sourceLocation: sourceLocation)
            #expect(error["http_status"] as? String == String(status.code), sourceLocation: sourceLocation)
            #expect(((error["description"] as? String) ?? "").count > 10, sourceLocation: sourceLocation)
            let after = TAXIIFixture.json(try await client.taxii(path, user: "kr-analyst").body)
            #expect(after.isEmpty, "something was stored: \(after)", sourceLocation: sourceLocation)
        }
        #expect(try await federation.stores["KR"]!.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode("JP")!, limit: 10).isEmpty,
                sourceLocation: sourceLocation)
    }

    func with(_ label: String?, _ edit: (inout [String: JSONValue]) -> Void = { _ in }) throws -> ByteBuffer {
        var object = try TAXIIFixture.object(uuid: uuid, label: label).objectValue!
        edit(&object)
        var objects: [JSONValue] = [.object(object)]
        if let label { objects.insert(try TAXIIFixture.marking(label).json, at: 0) }
        return TAXIIFixture.envelope(objects)
    }

    @Test("malformed JSON is 400 malformed-json")
    func malformed() async throws {
        try await refuse(ByteBuffer(string: #"{"objects": [ {"type": "report",]}"#), status: .badRequest, code: "malformed-json")
    }

    @Test("a body that is not TAXII media is 415")
    func mediaType() async throws {
        try await refuse(try with(TAXIIFixture.high), contentType: "application/json", status: .unsupportedMediaType, code: "unsupported-media-type")
    }

    @Test("an object without a label is 400 missing-label")
    func unlabelled() async throws {
        try await refuse(try with(nil), status: .badRequest, code: "missing-label")
    }

    @Test("a label whose REL TO names no party of the collection's agreement is 400 contradiction")
    func contradiction() async throws {
        try await refuse(try with("KR//II//REL TO US//TOPIC nk-missile"), status: .badRequest, code: "contradiction")
    }

    @Test("another nation's label cannot be released by this node: 400 contradiction")
    func foreignLabel() async throws {
        try await refuse(try with("JP//GOKUHI//REL TO KR//TOPIC nk-missile"), status: .badRequest, code: "contradiction")
    }

    @Test("a body over max_content_length is 413")
    func oversize() async throws {
        try await refuse(try TAXIIFixture.bundle(), options: TAXIIOptions(maxContentLength: 512), status: .contentTooLarge, code: "too-large")
    }

    @Test("more objects than the configured limit is 413")
    func tooManyObjects() async throws {
        try await refuse(try TAXIIFixture.bundle(), options: TAXIIOptions(maxObjects: 2), status: .contentTooLarge, code: "too-large")
    }

    @Test("an invalid STIX id is 400 invalid-identifier")
    func invalidID() async throws {
        try await refuse(try with(TAXIIFixture.high) { $0["id"] = "report--not-a-uuid" }, status: .badRequest, code: "invalid-identifier")
    }

    @Test("an invalid timestamp is 400 invalid-timestamp")
    func invalidTimestamp() async throws {
        try await refuse(try with(TAXIIFixture.high) { $0["modified"] = "2017-13-01T00:00:00Z" }, status: .badRequest, code: "invalid-timestamp")
    }

    @Test("a forged marking (label and level disagree) is refused")
    func forgedMarking() async throws {
        var marking = try TAXIIFixture.marking(TAXIIFixture.high).json.objectValue!
        var extensions = marking["extensions"]!.objectValue!
        var body = extensions.values.first!.objectValue!
        body["level_code"] = "III"
        extensions[extensions.keys.first!] = .object(body)
        marking["extensions"] = .object(extensions)
        let object = try TAXIIFixture.object(uuid: uuid, label: TAXIIFixture.high)
        try await refuse(TAXIIFixture.envelope([.object(marking), object]), status: .badRequest, code: "contradiction")
    }

    @Test("a user not cleared for an object's label gets a failure with the reason; nothing is released")
    func notCleared() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        try await TAXIIFixture.app(federation, "KR").test(.router) { client in
            let response = try await client.taxii(path, .post, user: "kr-junior", body: try with(TAXIIFixture.high))
            let status = TAXIIFixture.json(response.body)
            #expect(response.status == .accepted)
            #expect(status["failure_count"] as? Int == 1)
            let message = (status["failures"] as? [[String: Any]])?.first?["message"] as? String ?? ""
            #expect(message.contains("clearance III is below II"), "\(message)")
            #expect(TAXIIFixture.json(try await client.taxii(path, user: "kr-analyst").body).isEmpty)
        }
    }

    @Test("a release the agreements deny (2015: the GSOMIA is not yet signed) fails with the decision's reasons")
    func denied() async throws {
        let federation = try await Federation(at: "2015-06-01T00:00:00Z")
        try await TAXIIFixture.app(federation, "KR").test(.router) { client in
            let status = TAXIIFixture.json(try await client.taxii(path, .post, user: "kr-analyst", body: try with(TAXIIFixture.high)).body)
            #expect(status["failure_count"] as? Int == 1, "\(status)")
            let message = (status["failures"] as? [[String: Any]])?.first?["message"] as? String ?? ""
            #expect(message.hasPrefix("not released: JP: denied: "), "\(message)")
        }
    }

    @Test("GET filters: a bad parameter is 400 invalid-filter; a forged cursor is 400 invalid-cursor; a wrong Accept is 406")
    func badQueries() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        try await TAXIIFixture.app(federation, "KR").test(.router) { client in
            #expect(try await client.taxii("\(path)?match[colour]=red", user: "kr-analyst").status == .badRequest)
            let cursor = TAXIIFixture.json(try await client.taxii("\(path)?next=abc.def", user: "kr-analyst").body)
            #expect(cursor["error_code"] as? String == "invalid-cursor")
            let accept = try await client.execute(uri: path, method: .get, headers: [.authorization: TAXIIFixture.basic("kr-analyst"), .accept: "text/html"])
            #expect(accept.status == .notAcceptable)
            #expect(try await client.taxii("/api1/collections/nope/objects/", user: "kr-analyst").status == .notFound)
            #expect(try await client.taxii("/api1/collections/received/objects/", .post, user: "kr-analyst", body: try with(TAXIIFixture.high)).status == .forbidden)
        }
    }
}
