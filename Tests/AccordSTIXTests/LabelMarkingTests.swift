import AccordCore
import Foundation
import Testing
@testable import AccordSTIX

@Suite struct LabelMarkingTests {
    @Test func labelBecomesMarkingWithEquivalentLevels() throws {
        let marking = LabelMarking(label: try label("KR//II//REL TO JP,US//TOPIC nk-missile", created: "2019-08-01T09:00:00.000Z"), book: book)
        #expect(marking.equivalentLevels.map(\.description) == ["JP 極秘", "US SECRET"])
        let object = marking.object
        #expect(object.type == "marking-definition")
        #expect(object["name"] == "KR//II//REL TO JP,US//TOPIC nk-missile")
        #expect(object.created == stamp("2019-08-01T09:00:00Z"))
        let body = try #require(object["extensions"]?.objectValue?[NationalClassificationExtension.id.description]?.objectValue)
        #expect(body["extension_type"] == "property-extension")
        #expect(body["level_native_name"] == "군사II급비밀")
        #expect(body["releasable_to"] == ["JP", "US"])
        #expect(body["topics"] == ["nk-missile"])
        #expect(body["caveats"] == nil)
    }

    @Test func markingIdIsDeterministic() throws {
        let a = LabelMarking(label: try label("KR//II//REL TO JP,US//TOPIC nk-missile"), book: book)
        let b = LabelMarking(label: try label("KR//군사II급비밀//REL TO JP, US//TOPIC nk-missile"), book: book)
        let c = LabelMarking(label: try label("KR//II//REL TO US,JP//TOPIC nk-missile"), book: book)
        let d = LabelMarking(label: try label("KR//II//REL TO JP,US//TOPIC nk-missile", created: "2020-01-01T00:00:00Z"), book: book)
        #expect(a.id == b.id)
        #expect(a.id != c.id && a.id != d.id)
        #expect(a.id.uuid.dropFirst(14).first == "5")
        #expect(JSONWriter.encode(a.object.json) == JSONWriter.encode(b.object.json))
    }

    @Test(arguments: [
        "KR//II//REL TO JP,US//TOPIC nk-missile",
        "JP//特定秘密//REL TO KR//TOPIC nk-missile,nk-nuclear",
        "JP//HI//REL TO KR,US",
        "US//TS//REL TO KR//CAVEAT ORCON",
        "KR//III//REL TO JP//TOPIC nk-missile//CAVEAT ORCON,NOCONTRACT",
    ])
    func roundTrips(text: String) throws {
        let original = LabelMarking(label: try label(text, created: "2023-03-21T00:00:00.125Z"), book: book)
        let reread = try STIXObject(json: JSONReader().parse(JSONWriter.encode(original.object.json)))
        let back = try LabelMarking(object: reread, parties: book.parties)
        #expect(back == original)
        #expect(back.label.text == original.label.text)
    }

    @Test func rendersForRecipientFromDecisionAndHolding() throws {
        let text = "KR//II//REL TO JP,US//TOPIC nk-missile"
        let original = try label(text, created: "2019-12-01T00:00:00Z")
        let decision = book.decide(ReleaseRequest(label: original, sender: KR, recipient: JP, purpose: "defence",
                                                  instant: stamp("2019-12-01T00:00:00Z").date), consents: [])
        let marking = try LabelMarking.forRecipient(JP, label: original, decision: decision)
        #expect(marking.displayText == "KR 군사II급비밀 / JP 極秘")
        #expect(marking.object["name"] == .string("\(text) (KR 군사II급비밀 / JP 極秘)"))
        #expect(marking.id != (try LabelMarking(label: original)).id)
        #expect(try LabelMarking(object: marking.object, parties: book.parties) == marking)

        let holding = try Holding(id: "h-1", objectID: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", label: original,
                                  decision: decision, holder: JP, receivedFrom: KR, purpose: "defence",
                                  received: stamp("2019-12-01T00:00:01Z").date, custody: .init(location: "Ichigaya", custodian: "J2"))
        #expect(try LabelMarking.forHolding(holding) == marking)

        let jpLevel = try #require(book.parties[JP]?.scheme.level(named: "HI"))
        #expect(stixError { _ = try LabelMarking(label: original, equivalentLevels: [PartyLevel(party: JP, level: jpLevel)],
                                                 shownTo: PartyLevel(party: JP, level: decision.recipientLevel!)) }?.field == "shown_to")
        #expect(stixError { _ = try LabelMarking.forRecipient(KR, label: original, decision: decision) }?.code == .contradiction)
        let denied = Decision.denied([])
        #expect(stixError { _ = try LabelMarking.forRecipient(JP, label: original, decision: denied) }?.code == .invalidMarking)
    }

    /// Builds a marking object with one extension field replaced, keeping the id honest where asked.
    private func tampered(_ field: String, _ value: JSONValue?) throws -> STIXObject {
        let marking = LabelMarking(label: try label("KR//II//REL TO JP,US//TOPIC nk-missile"), book: book)
        var properties = marking.object.properties
        let key = NationalClassificationExtension.id.description
        var extensions = try #require(properties["extensions"]?.objectValue)
        var body = try #require(extensions[key]?.objectValue)
        body[field] = value
        extensions[key] = .object(body)
        properties["extensions"] = .object(extensions)
        return try STIXObject(properties: properties)
    }

    @Test(arguments: [
        ("originator", Optional(JSONValue.string("JP")), STIXError.Code.contradiction),
        ("policy", .string("US"), .contradiction),
        ("level_code", .string("I"), .contradiction),
        ("level_native_name", .string("극비"), .contradiction),
        ("releasable_to", .array(["JP"]), .contradiction),
        ("topics", .array(["nk-nuclear"]), .contradiction),
        ("caveats", .array(["ORCON"]), .contradiction),
        ("label", .string("KR//II//REL TO ZZ"), .invalidLabel),
        ("label", .string("KR//II//REL TO JP,US//TOPIC nk-nuclear"), .contradiction),
        ("equivalent_levels", .array([["party": "JP", "level_code": "HI", "level_native_name": "極秘"]]), .contradiction),
        ("equivalent_levels", .array([["party": "CN", "level_code": "HI", "level_native_name": "秘"]]), .invalidProperty),
        ("shown_to", JSONValue.object(["party": "JP", "level_code": "HI", "level_native_name": "秘"]), .contradiction),
        ("label_created", .string("2020-01-01T00:00:00Z"), .contradiction),
        ("extension_type", .string("new-sdo"), .invalidMarking),
        ("x_extra", .string("?"), .invalidMarking),
        ("releasable_to", nil, .missingProperty),
    ])
    func refusesContradictions(field: String, value: JSONValue?, code: STIXError.Code) throws {
        let object = try tampered(field, value)
        let error = stixError { _ = try LabelMarking(object: object, parties: book.parties) }
        #expect(error?.code == code, "\(field): \(String(describing: error))")
    }

    @Test func refusesForeignIdAndName() throws {
        let marking = LabelMarking(label: try label("KR//II//REL TO JP,US//TOPIC nk-missile"), book: book)
        var properties = marking.object.properties
        properties["id"] = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
        #expect(stixError { _ = try LabelMarking(object: STIXObject(properties: properties), parties: book.parties) }?.field == "id")
        properties = marking.object.properties
        properties["name"] = "TLP:CLEAR"
        #expect(stixError { _ = try LabelMarking(object: STIXObject(properties: properties), parties: book.parties) }?.field == "name")
        properties = marking.object.properties
        properties["extensions"] = nil
        #expect(stixError { _ = try LabelMarking(object: STIXObject(properties: properties), parties: book.parties) }?.code == .invalidMarking)
    }
}
