import AccordCore
import AccordCrypto
import AccordNode
import AccordSQLite
import AccordSTIX
import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1

/// `accord bench taxii`: one node (KR) with its SQLite file (WAL, synchronous=FULL) in a temporary
/// directory and its analysts' listener on loopback; a TAXII client in the same process speaking
/// HTTP with Basic auth. POSTs envelopes of labelled reports to the KR–JP release collection (each
/// object released to JP: decision, seal, outbox, audit, stored object) and checks each status;
/// then reads the collection back page by page, following `next`.
struct BenchTAXII: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taxii", abstract: "TAXII 2.1 objects/s over HTTP: POST of envelopes (released), GET of pages following `next`.")

    @Option(help: "Objects posted, and then in the collection that is read.") var count = 5000
    @Option(help: "Labelled objects per POST (the envelope also carries their one marking-definition).") var batch = 100
    @Option(help: "Records per GET page (`limit`).") var page = 100
    @Option(help: "Times the whole collection is read, page by page.") var reads = 3

    static let media = "application/taxii+json;version=2.1"
    static let collection = "kr-jp-gsomia-2016"
    static let label = "KR//II//REL TO JP//TOPIC nk-missile"

    func validate() throws {
        guard batch > 0, batch < 10_000, count >= batch, page > 0, page <= 10_000, reads > 0 else {
            throw ValidationError("need 0 < batch <= count, batch < 10000 (the envelope also holds the marking), 0 < page <= 10000 and reads > 0")
        }
    }

    /// One measured phase: objects moved, requests made, wall-clock seconds, each request's milliseconds.
    struct Phase {
        var objects = 0
        var latencies: [Double] = []
        var seconds = 0.0

        func row(_ name: String) -> String {
            let sorted = latencies.sorted()
            func quantile(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
            return String(format: "| %@ | %d | %d | %.2f | %.0f | %.1f | %.1f |", name, objects, latencies.count, seconds,
                          Double(objects) / seconds, quantile(0.5), quantile(0.99))
        }
    }

    func run() async throws {
        let (batch, page, reads) = (self.batch, self.page, self.reads)
        let book = try BundledPolicy.load()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-bench-taxii-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let from = Instant.parse("2010-01-01")!, until = Instant.parse("2030-01-01")!
        var identities: [String: NodeIdentity] = [:]
        for party in ["KR", "JP", "US"] { identities[party] = try NodeIdentity.generate(party: party, notBefore: from, notAfter: until) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("KR.sqlite").path)
        try await store.migrate()
        let peers = try identities.filter { $0.key != "KR" }.map { try PartyKeyBundle(identity: $0.value) }
        let now = Instant.parse("2017-06-01T00:00:00Z")!  // GSOMIA in force: every object is released directly to JP
        let engine = try NodeEngine(identity: identities["KR"]!, peers: peers, book: book, store: store, clock: { now }, retryClock: Date.init)
        let password = NodeSetup.makeToken()
        let user = NodeConfiguration.UserEntry(id: "bench", clearance: "II", needToKnow: [Topic("nk-missile")!],
                                               tokenSHA256: NodeSetup.tokenDigest(NodeSetup.makeToken()), passwordSHA256: NodeSetup.tokenDigest(password))
        let ports = AsyncStream<Int>.makeStream()
        let app = try APIApplication.build(
            engine: engine, users: [user], clock: NodeClock(), metrics: NodeMetrics(), host: "127.0.0.1", port: 0,
            taxii: TAXIIOptions(maxObjects: max(1000, batch + 1), maxLimit: max(1000, page)), onRunning: { ports.continuation.yield($0) })
        let marking = LabelMarking(label: try LabelParser(parties: book.parties).parse(Self.label), book: book).object
        let bodies = (0..<(count / batch)).map { _ in Self.envelope(marking: marking, objects: batch) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let authorization = "Basic " + Data("bench:\(password)".utf8).base64EncodedString()
        try await withRunningServices([app]) {
            var iterator = ports.stream.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let http = TAXIIClient(client: client, base: "http://127.0.0.1:\(port)", authorization: authorization)
            print("TAXII 2.1 over HTTP on loopback, Basic auth; one node (KR), SQLite file (WAL, synchronous=FULL); "
                  + "collection \(Self.collection); reports of about 1 KiB labelled \(Self.label)")
            print("| measurement | objects | requests | seconds | objects/s | p50 ms | p99 ms |")
            print("|---|---|---|---|---|---|---|")
            let posted = try await Self.post(bodies, objects: batch, with: http)
            print(posted.row("POST envelopes of \(batch) (+1 marking), released to JP, status checked"))
            for pass in 1...reads {
                let read = try await Self.read(pageSize: page, expecting: bodies.count * batch, with: http)
                print(read.row("GET pages of \(page) following next, whole collection (pass \(pass))"))
            }
        }
        try await client.shutdown()
    }

    /// Posts each envelope, then asks for its status; a status that is not complete with every object a success stops the bench.
    static func post(_ bodies: [[UInt8]], objects: Int, with http: TAXIIClient) async throws -> Phase {
        var phase = Phase()
        let start = ContinuousClock.now
        for body in bodies {
            let begun = ContinuousClock.now
            let (code, answer) = try await http.send(.POST, "/api1/collections/\(collection)/objects/", body: body)
            guard code == 202, let id = answer["id"]?.stringValue else { throw BenchError("POST answered \(code): \(answer)") }
            let (statusCode, status) = try await http.send(.GET, "/api1/status/\(id)/")
            guard statusCode == 200, status["status"]?.stringValue == "complete", status["success_count"]?.integerValue == Int64(objects + 1),
                  status["failure_count"]?.integerValue == 0 else {
                throw BenchError("status \(id) is not complete with \(objects + 1) successes: \(statusCode) \(status)")
            }
            phase.latencies.append(milliseconds(since: begun))
            phase.objects += objects
        }
        phase.seconds = milliseconds(since: start) / 1000
        return phase
    }

    /// Reads the whole collection in pages of `pageSize`; counts records (objects and their marking-definitions).
    static func read(pageSize: Int, expecting objects: Int, with http: TAXIIClient) async throws -> Phase {
        var phase = Phase()
        var labelled = 0
        var next: String?
        let start = ContinuousClock.now
        repeat {
            let begun = ContinuousClock.now
            let query = "limit=\(pageSize)" + (next.map { "&next=\($0)" } ?? "")
            let (code, envelope) = try await http.send(.GET, "/api1/collections/\(collection)/objects/?\(query)")
            guard code == 200 else { throw BenchError("GET answered \(code): \(envelope)") }
            let records = envelope["objects"]?.arrayValue ?? []
            phase.objects += records.count
            labelled += records.filter { $0.objectValue?["type"]?.stringValue == "report" }.count
            next = envelope["more"]?.boolValue == true ? envelope["next"]?.stringValue : nil
            phase.latencies.append(milliseconds(since: begun))
        } while next != nil
        phase.seconds = milliseconds(since: start) / 1000
        guard labelled == objects else { throw BenchError("read \(labelled) reports, expected \(objects)") }
        return phase
    }

    /// An envelope of `objects` reports (about 1 KiB each) and the marking-definition they reference.
    static func envelope(marking: STIXObject, objects: Int) -> [UInt8] {
        let filler = String(repeating: "Observed launch from the east coast; trajectory and apogee consistent with earlier tests. ", count: 8)
        var items: [JSONValue] = [marking.json]
        for _ in 0..<objects {
            items.append(.object([
                "type": "report", "spec_version": "2.1", "id": .string("report--\(UUID().uuidString.lowercased())"),
                "created": "2017-05-31T00:00:00.000Z", "modified": "2017-05-31T00:00:00.000Z", "published": "2017-05-31T00:00:00.000Z",
                "name": "KN-15 launch", "description": .string(filler), "report_types": ["threat-report"],
                "object_refs": ["location--0c1f55f5-3f1e-4d1b-8f1f-2b1c2f5d7a01"], "object_marking_refs": [.string(marking.id.description)],
            ]))
        }
        return JSONWriter.encode(.object(["objects": .array(items)]))
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    /// A minimal TAXII client: Basic auth, TAXII media, the answer parsed as JSON.
    struct TAXIIClient: Sendable {
        let client: HTTPClient
        let base: String
        let authorization: String

        func send(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil) async throws -> (Int, [String: JSONValue]) {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            request.headers.add(name: "Authorization", value: authorization)
            request.headers.add(name: "Accept", value: BenchTAXII.media)
            if let body {
                request.headers.add(name: "Content-Type", value: BenchTAXII.media)
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            let response = try await client.execute(request, timeout: .seconds(120))
            let bytes = try await response.body.collect(upTo: 256 << 20)
            let json = try JSONReader(maxBytes: 256 << 20).parse(bytes.readableBytesView)
            return (Int(response.status.code), json.objectValue ?? [:])
        }
    }

    struct BenchError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
