import Testing
@testable import AccordSTIX

@Suite struct TAXIIFilterTests {
    @Test func parsesEveryFilter() throws {
        let filter = try TAXIIFilter.parse(queryString:
            "added_after=2016-02-01T00:00:01.000Z&match%5Btype%5D=indicator,report&match[version]=first,2016-01-01T01:01:01.000Z"
            + "&match[id]=indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f&match[spec_version]=2.1&limit=50&next=abc")
        #expect(filter.addedAfter == stamp("2016-02-01T00:00:01Z"))
        #expect(filter.types == ["indicator", "report"])
        #expect(filter.versions == [.first, .at(stamp("2016-01-01T01:01:01Z"))])
        #expect(filter.ids?.count == 1)
        #expect(filter.specVersions == ["2.1"])
        #expect(filter.limit == 50 && filter.next == "abc")
        #expect(try TAXIIFilter.parse(queryString: "") == TAXIIFilter())
    }

    @Test(arguments: [
        ("added_after=yesterday", "added_after", STIXError.Code.invalidFilter),
        ("limit=0", "limit", .invalidFilter),
        ("limit=-3", "limit", .invalidFilter),
        ("limit=ten", "limit", .invalidFilter),
        ("match[id]=indicator--nope", "match[id]", .invalidFilter),
        ("match[type]=Indicator", "match[type]", .invalidFilter),
        ("match[type]=indicator,,report", "match[type]", .invalidFilter),
        ("match[version]=latest", "match[version]", .invalidFilter),
        ("match[spec_version]=two", "match[spec_version]", .invalidFilter),
        ("match[colour]=red", "match[colour]", .invalidFilter),
        ("limit=5&limit=6", "limit", .invalidFilter),
        ("next=", "next", .invalidCursor),
        ("match[id]=%E0%A4%A", "query", .invalidFilter),
    ])
    func refusesBadParameters(query: String, field: String, code: STIXError.Code) {
        let error = stixError { _ = try TAXIIFilter.parse(queryString: query) }
        #expect(error?.code == code)
        #expect(error?.field == field)
    }

    @Test func mediaTypes() {
        #expect(TAXIIMediaType.matches("application/taxii+json; version=2.1", TAXIIMediaType.taxii))
        #expect(TAXIIMediaType.matches("Application/STIX+JSON;version=2.1;charset=utf-8", TAXIIMediaType.stix))
        #expect(!TAXIIMediaType.matches("application/stix+json;version=2.0", TAXIIMediaType.stix))
        #expect(!TAXIIMediaType.matches("application/json", TAXIIMediaType.stix))
        #expect(TAXIIMediaType.accepts("text/html, application/taxii+json", TAXIIMediaType.taxii))
        #expect(TAXIIMediaType.accepts("*/*", TAXIIMediaType.taxii))
        #expect(!TAXIIMediaType.accepts("application/taxii+json;version=2.0", TAXIIMediaType.taxii))
    }
}

@Suite struct TAXIIPagerTests {
    let pager: TAXIIPager

    init() throws { pager = try TAXIIPager(key: Array("0123456789abcdef0123456789abcdef".utf8), defaultLimit: 2, maxLimit: 3) }

    /// Three indicators; the first in three versions. Added one second apart, in this order.
    func records() throws -> [TAXIIRecord] {
        let a = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
        let b = "indicator--1f2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
        let c = "report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3"
        var reportProperties = indicatorProperties(id: c)
        reportProperties["type"] = "report"
        let objects = [
            try STIXObject(properties: indicatorProperties(id: a, modified: "2016-04-06T20:03:48.000Z")),
            try STIXObject(properties: indicatorProperties(id: b)),
            try STIXObject(properties: indicatorProperties(id: a, modified: "2016-05-01T00:00:00.000Z")),
            try STIXObject(properties: reportProperties),
            try STIXObject(properties: indicatorProperties(id: a, modified: "2016-06-01T00:00:00.000Z")),
        ]
        return objects.enumerated().map { TAXIIRecord(object: $1, dateAdded: stamp("2020-01-01T00:00:0\($0)Z")) }.reversed()
    }

    @Test func selectsVersionsAsTheSpecSays() throws {
        let all = try records()
        func versions(_ query: String) throws -> [String] {
            try TAXIIPager.select(all, filter: TAXIIFilter.parse(queryString: query))
                .filter { $0.object.id.uuid.hasPrefix("8e2e") }.map(\.version.text).sorted()
        }
        #expect(try versions("") == ["2016-06-01T00:00:00.000Z"])
        #expect(try versions("match[version]=first") == ["2016-04-06T20:03:48.000Z"])
        #expect(try versions("match[version]=all").count == 3)
        #expect(try versions("match[version]=first,last").count == 2)
        #expect(try versions("match[version]=2016-05-01T00:00:00Z") == ["2016-05-01T00:00:00.000Z"])
        // added_after is strict, and version selection applies to what remains.
        #expect(try versions("added_after=2020-01-01T00:00:02Z&match[version]=first") == ["2016-06-01T00:00:00.000Z"])
        #expect(try TAXIIPager.select(all, filter: TAXIIFilter.parse(queryString: "match[type]=report")).count == 1)
        #expect(try TAXIIPager.select(all, filter: TAXIIFilter.parse(queryString: "match[spec_version]=2.0")).isEmpty)
    }

    @Test func pagesInDateAddedOrderWithTamperCheckedCursors() throws {
        let all = try records()
        let filter = try TAXIIFilter.parse(queryString: "match[version]=all")
        var seen: [STIXTimestamp] = []
        var current = filter
        var pages = 0
        while true {
            let page = try pager.page(all, filter: current)
            pages += 1
            seen += page.records.map(\.dateAdded)
            #expect(page.dateAddedFirst == page.records.first?.dateAdded)
            guard page.more, let next = page.next else { #expect(page.next == nil); break }
            current.next = next
        }
        #expect(pages == 3)
        #expect(seen == (0..<5).map { stamp("2020-01-01T00:00:0\($0)Z") })

        let first = try pager.page(all, filter: filter)
        let cursor = try #require(first.next)
        var forged = filter
        forged.next = String(cursor.dropLast()) + (cursor.hasSuffix("A") ? "B" : "A")
        #expect(stixError { _ = try pager.page(all, filter: forged) }?.code == .invalidCursor)
        var otherFilter = try TAXIIFilter.parse(queryString: "match[type]=indicator")
        otherFilter.next = cursor
        #expect(stixError { _ = try pager.page(all, filter: otherFilter) }?.code == .invalidCursor)
        let otherKey = try TAXIIPager(key: Array(repeating: 7, count: 32))
        var same = filter
        same.next = cursor
        #expect(stixError { _ = try otherKey.page(all, filter: same) }?.code == .invalidCursor)
        // A different limit may follow the same cursor.
        same.limit = 10
        #expect(try pager.page(all, filter: same).records.count == 3)
    }

    @Test func limitIsCappedAndResourcesHaveTheirShape() throws {
        let page = try pager.page(try records(), filter: TAXIIFilter(versions: [.all], limit: 50))
        #expect(page.records.count == 3 && page.more)
        let manifest = try #require(page.manifestJSON.objectValue)
        #expect(manifest["more"] == true)
        #expect(manifest["objects"]?.arrayValue?.first?.objectValue?["media_type"] == .string(TAXIIMediaType.stix))
        #expect(try pager.page([], filter: TAXIIFilter()).envelope.json == [:])
        #expect(page.versionsJSON.objectValue?["versions"]?.arrayValue?.count == 3)
    }

    @Test func statusAndErrorObjects() throws {
        let status = TAXIIStatus(id: "2d086da7-4bdc-4f91-900e-d77486753710", requestTimestamp: stamp("2016-11-02T12:34:34.123456Z"),
                                 successes: [.init(id: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", version: "2016-04-06T20:03:48.000Z")],
                                 failures: [.init(id: "indicator--1f2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", version: "2016-04-06T20:03:48.000Z",
                                                  message: "denied: no agreement in force")])
        let json = try #require(status.json.objectValue)
        #expect(json["status"] == "complete" && json["total_count"] == 2 && json["failure_count"] == 1 && json["pending_count"] == 0)
        #expect(json["failures"]?.arrayValue?.first?.objectValue?["message"] == "denied: no agreement in force")

        let error = stixError { _ = try STIXBundle.decode(Array("[".utf8), limits: .init(maxBytes: 0)) }
        let object = TAXIIErrorObject(try #require(error))
        let body = try #require(object.json.objectValue)
        #expect(body["http_status"] == "413" && body["error_code"] == "too-large")
        #expect(TAXIIErrorObject(STIXError(.invalidTimestamp, field: "objects[0].created", "x")).json.objectValue?["details"] == ["field": "objects[0].created"])
    }

    @Test func envelopeDecodesPostedObjects() throws {
        let body = JSONWriter.encode(["objects": [.object(indicatorProperties())]])
        #expect(try TAXIIEnvelope.decode(body).objects.count == 1)
        let bundle = JSONWriter.encode(["type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"])
        #expect(stixError { _ = try TAXIIEnvelope.decode(bundle) }?.field == "type")
        var bad = indicatorProperties()
        bad["id"] = "indicator--0"
        #expect(stixError { _ = try TAXIIEnvelope.decode(JSONWriter.encode(["objects": [.object(bad)]])) }?.field == "objects[0].id")
    }
}
