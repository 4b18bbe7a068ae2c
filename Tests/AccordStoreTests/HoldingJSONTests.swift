import AccordCore
import AccordStore
import Foundation
import Testing

/// `StoredValue.holdingJSON` writes holding snapshots directly; these tests hold it to what `JSONEncoder`
/// writes and `JSONDecoder` reads.
@Suite("Holding snapshots as JSON")
struct HoldingJSONTests {
    /// The snapshot's fields, to build snapshots of any content through `JSONDecoder`.
    struct Fields: Codable {
        struct Entry: Codable { var at: Date; var what: String }
        var id, objectID, holder, receivedFrom, purpose, label, localLevel, location, custodian, status: String
        var agreements: [String]
        var received: Date
        var labelCreated, disposedAt: Date?
        var disposedBy, disposalRecord: String?
        var record: [Entry]
    }

    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state ^ (state >> 29)
        }
    }

    static let pieces = ["a", "KR", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "한국어", "極秘", "🚀", " ", "é", "\u{2028}", "}", "\u{8}", "\u{C}", "\u{FEFF}"]

    func text(_ random: inout Random) -> String {
        (0..<Int.random(in: 0...6, using: &random)).map { _ in Self.pieces.randomElement(using: &random)! }.joined()
    }

    func date(_ random: inout Random) -> Date {
        let special: [Double] = [0, -0.0, 5e-324, 1e-5, 1e16, 1.7976931348623157e308, -1e300, 2.2250738585072014e-308, 0.1, 1e21]
        switch Int.random(in: 0..<5, using: &random) {
        case 4: return Date(timeIntervalSinceReferenceDate: special.randomElement(using: &random)!)
        case 0: return Date(timeIntervalSinceReferenceDate: Double(Int.random(in: -2_000_000_000...2_000_000_000, using: &random)))
        case 1: return Date(timeIntervalSinceReferenceDate: Double.random(in: -1e9...1e9, using: &random))
        case 2: return Date(timeIntervalSinceReferenceDate: Double.random(in: -1...1, using: &random) * 1e-7)
        default: return Date(timeIntervalSince1970: Double(Int.random(in: 0...2_000_000_000_000, using: &random)) / 1000)
        }
    }

    func snapshot(_ random: inout Random) throws -> Holding.Snapshot {
        let parties = ["KR", "JP", "US"]
        let fields = Fields(
            id: text(&random), objectID: text(&random), holder: parties.randomElement(using: &random)!,
            receivedFrom: parties.randomElement(using: &random)!, purpose: text(&random), label: text(&random),
            localLevel: text(&random), location: text(&random), custodian: text(&random), status: text(&random),
            agreements: (0..<Int.random(in: 0...3, using: &random)).map { _ in text(&random) }, received: date(&random),
            labelCreated: Bool.random(using: &random) ? date(&random) : nil, disposedAt: Bool.random(using: &random) ? date(&random) : nil,
            disposedBy: Bool.random(using: &random) ? text(&random) : nil, disposalRecord: Bool.random(using: &random) ? text(&random) : nil,
            record: (0..<Int.random(in: 0...3, using: &random)).map { _ in Fields.Entry(at: date(&random), what: text(&random)) })
        return try JSONDecoder().decode(Holding.Snapshot.self, from: JSONEncoder().encode(fields))
    }

    @Test("random snapshots: the direct writer's document is JSONEncoder's, byte for byte, and decodes to the same snapshot")
    func sameAsJSONEncoder() throws {
        var random = Random(state: 0xACC0_4D)
        for _ in 0..<2000 {
            let snapshot = try snapshot(&random)
            let direct = try StoredValue.holdingJSON(snapshot)
            #expect(try JSONDecoder().decode(Holding.Snapshot.self, from: Data(direct.utf8)) == snapshot)
            #expect(direct == (try StoredValue.json(snapshot, "holding")))
        }
    }

    @Test("a snapshot's document, byte for byte: sorted keys, absent optionals left out, escapes")
    func vector() throws {
        let fields = Fields(
            id: "h1", objectID: "report-1", holder: "JP", receivedFrom: "KR", purpose: "missile-warning",
            label: "KR//II//REL TO JP//TOPIC nk-missile", localLevel: "GOKUHI", location: "MOD/Tokyo \"vault\"",
            custodian: "c\\1\n", status: "held", agreements: ["kr-jp-gsomia-2016"], received: Date(timeIntervalSinceReferenceDate: 518_400_000),
            labelCreated: nil, disposedAt: nil, disposedBy: nil, disposalRecord: nil,
            record: [Fields.Entry(at: Date(timeIntervalSinceReferenceDate: 518_400_000.25), what: "received\u{1}")])
        let snapshot = try JSONDecoder().decode(Holding.Snapshot.self, from: JSONEncoder().encode(fields))
        #expect(try StoredValue.holdingJSON(snapshot) == #"{"agreements":["kr-jp-gsomia-2016"],"custodian":"c\\1\n","holder":"JP","id":"h1","#
            + #""label":"KR//II//REL TO JP//TOPIC nk-missile","localLevel":"GOKUHI","location":"MOD/Tokyo \"vault\"","objectID":"report-1","#
            + #""purpose":"missile-warning","received":518400000,"receivedFrom":"KR","record":[{"at":518400000.25,"what":"received\u0001"}],"#
            + #""status":"held"}"#)
    }
}
