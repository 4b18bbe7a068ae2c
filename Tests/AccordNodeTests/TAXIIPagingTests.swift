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

@Suite("TAXII paging: following `next` gives exactly the unpaged listing")
struct TAXIIPagingTests {
    let path = "/api1/collections/kr-jp-gsomia-2016/objects/"

    /// `(type, id, modified)` of each record, in order.
    static func records(_ envelope: [String: Any]) -> [String] {
        (envelope["objects"] as? [[String: Any]] ?? []).map { "\($0["type"] ?? "")|\($0["id"] ?? "")|\($0["modified"] ?? $0["created"] ?? "")" }
    }

    /// The records of `query` read page by page, following `next` (stopping after `atMost` records).
    static func paged(_ client: some TestClientProtocol, _ query: String, atMost: Int) async throws -> [String] {
        var paged: [String] = []
        var next: String?
        repeat {
            let page = TAXIIFixture.json(try await client.taxii(query + (next.map { "&next=\($0)" } ?? ""), user: "kr-analyst").body)
            paged += records(page)
            next = page["next"] as? String
        } while next != nil && paged.count < atMost
        return paged
    }

    @Test("pages of one, with an object whose older version was added last", arguments: ["", "match[version]=first", "match[version]=all"])
    func pagesMatchTheListing(versions: String) async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let (a, b, c) = ("4e1f7c56-1c7a-4d3e-9d7a-1a2b3c4d5e11", "4e1f7c56-1c7a-4d3e-9d7a-1a2b3c4d5e12", "4e1f7c56-1c7a-4d3e-9d7a-1a2b3c4d5e13")
        let first = TAXIIFixture.envelope([
            try TAXIIFixture.marking(TAXIIFixture.high).json, try TAXIIFixture.marking(TAXIIFixture.low).json,
            try TAXIIFixture.object(uuid: a, label: TAXIIFixture.high, modified: "2017-06-01T00:00:00.000Z"),
            try TAXIIFixture.object("note", uuid: b, label: TAXIIFixture.low),
        ])
        let second = TAXIIFixture.envelope([
            try TAXIIFixture.marking(TAXIIFixture.high).json,
            try TAXIIFixture.object(uuid: a, label: TAXIIFixture.high, modified: "2017-05-31T12:00:00.000Z"),
            try TAXIIFixture.object(uuid: c, label: TAXIIFixture.high),
        ])
        try await TAXIIFixture.app(federation, "KR").test(.router) { client in
            for body in [first, second] {
                #expect(try await client.taxii(path, .post, user: "kr-analyst", body: body).status == .accepted)
            }
            let filter = versions.isEmpty ? "" : "&\(versions)"
            let listing = Self.records(TAXIIFixture.json(try await client.taxii("\(path)?limit=1000\(filter)", user: "kr-analyst").body))
            #expect(try await Self.paged(client, "\(path)?limit=1\(filter)", atMost: 20) == listing)
            // Two markings, B, C, and A once (last: 06-01; first: 05-31) or twice (all).
            #expect(listing.count == (versions == "match[version]=all" ? 6 : 5), "\(listing)")
            let versionsOfA = listing.filter { $0.contains(a) }.map { $0.split(separator: "|").last.map(String.init) ?? "" }
            switch versions {
            case "": #expect(versionsOfA == ["2017-06-01T00:00:00.000Z"])
            case "match[version]=first": #expect(versionsOfA == ["2017-05-31T12:00:00.000Z"])
            default: #expect(versionsOfA.sorted() == ["2017-05-31T12:00:00.000Z", "2017-06-01T00:00:00.000Z"])
            }
        }
    }

    @Test("one version per object: only the page's rows are decoded, and pages of one or two still give the listing",
          arguments: ["", "match[type]=note", "match[type]=report,marking-definition", "match[version]=all"])
    func windowedPagesMatchTheListing(filter: String) async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        var built = [try TAXIIFixture.marking(TAXIIFixture.high).json, try TAXIIFixture.marking(TAXIIFixture.low).json]
        for index in 0..<7 {
            let uuid = String(format: "4e1f7c56-1c7a-4d3e-9d7a-1a2b3c4d5e%02d", index)
            built.append(try TAXIIFixture.object(index % 3 == 0 ? "note" : "report", uuid: uuid, label: index % 2 == 0 ? TAXIIFixture.high : TAXIIFixture.low))
        }
        let objects = built
        try await TAXIIFixture.app(federation, "KR").test(.router) { client in
            #expect(try await client.taxii(path, .post, user: "kr-analyst", body: TAXIIFixture.envelope(objects)).status == .accepted)
            let extra = filter.isEmpty ? "" : "&\(filter)"
            let listing = Self.records(TAXIIFixture.json(try await client.taxii("\(path)?limit=1000\(extra)", user: "kr-analyst").body))
            #expect(!listing.isEmpty)
            for size in [1, 2] {
                #expect(try await Self.paged(client, "\(path)?limit=\(size)\(extra)", atMost: 40) == listing, "pages of \(size)")
            }
        }
        // The window: every matching row is one version, so a page of two from the start spans (at most) four rows;
        // a filter the rows cannot answer (spec_version needs the objects) has no window.
        let collection = try #require(TAXIICatalog(party: PartyCode("KR")!, book: federation.book).entry("kr-jp-gsomia-2016")?.id)
        let stored = try await federation.stores["KR"]!.objects(collection: collection, query: ObjectQuery())
        #expect(stored.count == 7)
        let scheme = federation.book.parties[PartyCode("KR")!]!.scheme
        var labels = TAXIILabelCache(parser: LabelParser(parties: federation.book.parties), scheme: scheme)
        let user = federation.user("KR", clearance: "II", topics: ["nk-missile"])
        let window = TAXIIService.pageWindow(stored, for: user, filter: try TAXIIFilter.parse(queryString: filter), limit: 2, after: nil,
                                             labels: &labels, party: PartyCode("KR")!)
        #expect(window?.count == (filter == "match[type]=note" ? 3 : 4))  // there are only three notes
        #expect(TAXIIService.pageWindow(stored, for: user, filter: try TAXIIFilter.parse(queryString: "match[spec_version]=2.1"), limit: 2,
                                        after: nil, labels: &labels, party: PartyCode("KR")!) == nil)
    }

    @Test("reading only the page's window gives the pages reading every row gives, for every filter, user and cursor")
    func windowedReadingEqualsFullReading() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        var objects = [try TAXIIFixture.marking(TAXIIFixture.high).json, try TAXIIFixture.marking(TAXIIFixture.low).json]
        for index in 0..<11 {
            let uuid = String(format: "4e1f7c56-1c7a-4d3e-9d7a-1a2b3c4d5f%02d", index)
            objects.append(try TAXIIFixture.object(index % 3 == 0 ? "note" : "report", uuid: uuid, label: index % 4 == 1 ? TAXIIFixture.low : TAXIIFixture.high))
        }
        // Two posts, so that the low label's first object comes after some high ones.
        let parts: [[JSONValue]] = [Array(objects.prefix(6)), Array(objects.prefix(2)) + Array(objects.dropFirst(6))]
        try await TAXIIFixture.app(federation, "KR").test(.router) { client in
            for part in parts {
                let response = try await client.taxii(path, .post, user: "kr-analyst", body: TAXIIFixture.envelope(part))
                #expect(response.status == .accepted)
            }
        }
        let engine = federation.nodes["KR"]!
        let service = try TAXIIService(engine: engine, options: TAXIIOptions())
        let entry = try service.collection("kr-jp-gsomia-2016")
        let stored = try await engine.store.objects(collection: entry.id, query: ObjectQuery())
        #expect(stored.count == 11)
        let middle = TAXIIService.stamp(stored[4].dateAdded).text
        let users = [federation.user("KR", clearance: "II", topics: ["nk-missile"]), federation.user("KR", clearance: "III", topics: ["nk-missile"]),
                     federation.user("KR", clearance: "II", topics: [])]
        // An `added_after` between two microseconds (nanoseconds given) keeps the later one only.
        let between = String(middle.dropLast()) + "500Z"
        let filters = ["added_after=\(between)", "", "match[type]=note", "match[type]=report,marking-definition", "match[type]=marking-definition", "match[version]=first",
                       "match[version]=all", "added_after=\(middle)", "added_after=\(middle)&match[type]=report"]
        var pages = 0
        for user in users {
            for query in filters {
                for limit in [1, 3, 100] {
                    var next: String?
                    repeat {
                        let filter = try TAXIIFilter.parse(queryString: "limit=\(limit)" + (query.isEmpty ? "" : "&\(query)") + (next.map { "&next=\($0)" } ?? ""))
                        let windowed = try service.pager.page(try await service.records(entry, for: user, filter: filter), filter: filter)
                        let full = try service.pager.page(try await service.records(entry, for: user, filter: filter, windowed: false), filter: filter)
                        #expect(windowed == full, "\(user.clearance.code) \(query) limit \(limit)")
                        next = full.next
                        pages += 1
                    } while next != nil && pages < 2000
                }
            }
        }
        #expect(pages > 100)
    }

    @Test("the cursor hint reads the date added of a cursor the pager made, and nothing from other text")
    func cursorHint() throws {
        let pager = try TAXIIPager(key: Array(repeating: 7, count: 32))
        let stamp = STIXTimestamp("2026-12-02T01:00:00.123456Z")!
        let records = (0..<2).map { index in
            TAXIIRecord(object: try! STIXObject(json: try! TAXIIFixture.object(uuid: "4e1f7c56-1c7a-4d3e-9d7a-1a2b3c4d5e2\(index)", label: nil)),
                        dateAdded: stamp)
        }
        let page = try pager.page(records, filter: TAXIIFilter(limit: 1))
        #expect(TAXIIService.cursorDateAdded(try #require(page.next)) == stamp)
        for text in ["", ".", "abc.def", "MXwy.x", String(repeating: "A", count: 4096)] { #expect(TAXIIService.cursorDateAdded(text) == nil) }
    }
}
