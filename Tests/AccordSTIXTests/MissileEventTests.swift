import AccordCore
import Testing
@testable import AccordSTIX

/// A launch from near Sinpo into the Sea of Japan, as KR's radars saw it.
func sampleEvent(markings: [STIXIdentifier] = []) throws -> MissileEvent {
    let launch = stamp("2019-10-02T07:11:00.000Z")
    return try MissileEvent(
        id: MissileEvent.makeID(detectingParty: KR, launchTime: launch), created: stamp("2019-10-02T07:20:00.000Z"),
        name: "SLBM launch off Wonsan", detectingParty: KR, launchTime: launch,
        launchPoint: .init(latitude: 39.8, longitude: 128.2),
        trajectory: [
            .init(time: stamp("2019-10-02T07:11:30Z"), point: .init(latitude: 39.9, longitude: 128.6), altitudeKm: 60.5),
            .init(time: stamp("2019-10-02T07:14:00Z"), point: .init(latitude: 40.3, longitude: 129.9), altitudeKm: 910),
            .init(time: stamp("2019-10-02T07:17:30Z"), point: .init(latitude: 40.6, longitude: 131.1), altitudeKm: 120.25),
        ],
        apogeeKm: 910, rangeKm: 450,
        impact: .init(point: .init(latitude: 40.7, longitude: 131.5), time: stamp("2019-10-02T07:18:10Z"),
                      semiMajorAxisKm: 12.5, semiMinorAxisKm: 4, orientationDeg: 75, confidence: 0.95),
        objectMarkingRefs: markings)
}

@Suite struct MissileEventTests {
    @Test func roundTripsThroughSTIXJSON() throws {
        let event = try sampleEvent(markings: [try LabelMarking(label: try label("KR//II//REL TO JP,US//TOPIC nk-missile")).id])
        let object = event.object
        #expect(object.type == "x-accord-missile-event")
        #expect(object.createdByRef == AccordSTIXIdentity.partyID(KR))
        let text = JSONWriter.encode(object.json)
        let back = try MissileEvent(object: STIXObject(json: JSONReader().parse(text)))
        #expect(back == event)
        #expect(JSONWriter.encode(back.object.json) == text)
    }

    @Test func locationAndReportUseStandardSDOs() throws {
        let event = try sampleEvent()
        let site = event.launchLocation(name: "Sinpo")
        #expect(site.type == "location" && site["latitude"]?.doubleValue == 39.8)
        let report = try STIXReport.make(id: STIXIdentifier("report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3")!, name: "Launch 2019-10-02",
                                         published: stamp("2019-10-02T08:00:00Z"), author: KR, objects: [event.object, site])
        #expect(report["object_refs"]?.arrayValue?.count == 2)
        #expect(stixError { _ = try STIXReport.make(id: report.id, name: "x", published: stamp("2019-10-02T08:00:00Z"), author: KR, objects: []) }?.field == "object_refs")
    }

    @Test func refusesOutOfRangeValues() throws {
        #expect(stixError { _ = try MissileEvent.GeoPoint(latitude: 91, longitude: 0) }?.field == "latitude")
        #expect(stixError { _ = try MissileEvent.GeoPoint(latitude: 0, longitude: -180.5) }?.field == "longitude")
        #expect(stixError { _ = try MissileEvent.GeoPoint(latitude: .nan, longitude: 0) }?.field == "latitude")
        let point = try MissileEvent.GeoPoint(latitude: 40, longitude: 130)
        #expect(stixError { _ = try MissileEvent.ImpactPrediction(point: point, semiMajorAxisKm: 2, semiMinorAxisKm: 3, orientationDeg: 0, confidence: 0.5) }?.field == "semi_major_axis_km")
        #expect(stixError { _ = try MissileEvent.ImpactPrediction(point: point, semiMajorAxisKm: 3, semiMinorAxisKm: 2, orientationDeg: 180, confidence: 0.5) }?.field == "orientation_deg")
        #expect(stixError { _ = try MissileEvent.ImpactPrediction(point: point, semiMajorAxisKm: 3, semiMinorAxisKm: 2, orientationDeg: 10, confidence: 1) }?.field == "confidence")
        #expect(stixError { _ = try MissileEvent.Sample(time: stamp("2019-10-02T07:11:30Z"), point: point, altitudeKm: -1) }?.field == "altitude_km")
    }

    @Test func refusesDisorderedTimesInJSON() throws {
        var properties = try sampleEvent().object.properties
        var samples = try #require(properties["trajectory"]?.arrayValue)
        samples.swapAt(0, 1)
        properties["trajectory"] = .array(samples)
        let error = stixError { _ = try MissileEvent(object: STIXObject(properties: properties)) }
        #expect(error?.code == .invalidEvent && error?.field == "trajectory[1].time")

        properties = try sampleEvent().object.properties
        properties["launch_point"] = ["latitude": 39.8, "longitude": "east"]
        #expect(stixError { _ = try MissileEvent(object: STIXObject(properties: properties)) }?.field == "launch_point.longitude")

        properties = try sampleEvent().object.properties
        properties["predicted_impact"] = ["latitude": 40, "longitude": 131, "semi_major_axis_km": 1, "semi_minor_axis_km": 1, "orientation_deg": 0, "confidence": 2]
        #expect(stixError { _ = try MissileEvent(object: STIXObject(properties: properties)) }?.field == "predicted_impact.confidence")

        properties = try sampleEvent().object.properties
        properties["created_by_ref"] = .string(AccordSTIXIdentity.partyID(JP).description)
        #expect(stixError { _ = try MissileEvent(object: STIXObject(properties: properties)) }?.code == .contradiction)
    }
}
