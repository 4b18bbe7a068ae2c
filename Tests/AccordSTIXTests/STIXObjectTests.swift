import Testing
@testable import AccordSTIX

@Suite struct STIXObjectTests {
    @Test func keepsUnknownPropertiesAndChecksCommonOnes() throws {
        var properties = indicatorProperties()
        properties["x_analyst_note"] = "kept as is"
        properties["object_marking_refs"] = ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]
        properties["created_by_ref"] = "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff"
        let object = try STIXObject(properties: properties)
        #expect(object.type == "indicator")
        #expect(object["x_analyst_note"] == "kept as is")
        #expect(object.version == stamp("2016-04-06T20:03:48Z"))
        #expect(object.objectMarkingRefs.map(\.description) == ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"])
    }

    @Test(arguments: [
        ("type", JSONValue.string("Indicator"), STIXError.Code.invalidProperty),
        ("type", .string("x"), .invalidProperty),
        ("type", .integer(3), .invalidProperty),
        ("id", .string("indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F"), .invalidIdentifier),
        ("id", .string("indicator--8e2e2d2b-17d4-4cbf-138f-98ee46b3cd3f"), .invalidIdentifier),
        ("id", .string("indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f"), .invalidIdentifier),
        ("id", .string("malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"), .invalidIdentifier),
        ("id", .string("indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"), .invalidIdentifier),
        ("spec_version", .string("2.0"), .invalidSpecVersion),
        ("created", .string("2016-04-06 20:03:48Z"), .invalidTimestamp),
        ("created", .string("2016-02-30T00:00:00Z"), .invalidTimestamp),
        ("created", .string("2016-04-06T20:03:48+09:00"), .invalidTimestamp),
        ("modified", .string("2016-04-06T20:03:47.999Z"), .invalidTimestamp),
        ("created_by_ref", .string("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"), .invalidIdentifier),
        ("object_marking_refs", .array([]), .invalidProperty),
        ("object_marking_refs", .array(["identity--f431f809-377b-45e0-aa1c-6a4751cae5ff"]), .invalidIdentifier),
        ("confidence", .integer(101), .invalidProperty),
        ("extensions", .object(["bad key": .object([:])]), .invalidProperty),
        ("bad-name", .string("x"), .invalidProperty),
    ])
    func refusesBadCommonProperty(name: String, value: JSONValue, code: STIXError.Code) {
        var properties = indicatorProperties()
        properties[name] = value
        let error = stixError { _ = try STIXObject(properties: properties) }
        #expect(error?.code == code)
        #expect(error?.field.hasPrefix(name) == true)
    }

    @Test(arguments: ["type", "id", "spec_version", "created", "modified"])
    func refusesMissingRequired(name: String) {
        var properties = indicatorProperties()
        properties[name] = nil
        let error = stixError { _ = try STIXObject(properties: properties) }
        #expect(error?.code == .missingProperty)
        #expect(error?.field == name)
    }

    @Test func observablesAndMarkingsFollowTheirOwnRules() throws {
        let address = try STIXObject(json: json(#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}"#))
        #expect(address.kind == .observable && address.version == nil)
        let withCreated = stixError {
            _ = try STIXObject(json: json(#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","created":"2016-01-01T00:00:00Z"}"#))
        }
        #expect(withCreated?.field == "created")
        let modifiedMarking = stixError {
            _ = try STIXObject(json: json(#"{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","created":"2017-01-20T00:00:00.000Z","modified":"2017-01-20T00:00:00.000Z"}"#))
        }
        #expect(modifiedMarking?.field == "modified")
    }

    @Test func timestampsCompareExactly() {
        #expect(stamp("2016-01-01T00:00:00.1Z") > stamp("2016-01-01T00:00:00Z"))
        #expect(stamp("2016-01-01T00:00:00.100Z") == stamp("2016-01-01T00:00:00.1Z"))
        #expect(stamp("2016-01-01T00:00:00.123456789Z").nanoseconds == 123_456_789)
        #expect(STIXTimestamp("2016-01-01T00:00:00.1234567891Z") == nil)
        #expect(STIXTimestamp("2016-01-01T24:00:00Z") == nil)
        #expect(STIXTimestamp(stamp("2019-11-22T09:00:00.250Z").date).text == "2019-11-22T09:00:00.250Z")
        #expect(STIXTimestamp(stamp("1969-12-31T23:59:59.500Z").date).text == "1969-12-31T23:59:59.500Z")
    }

    @Test func bundleDecodesWithLimitsAndNamesTheField() throws {
        let good = JSONWriter.encode(.object([
            "type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
            "objects": [.object(indicatorProperties()), .object(indicatorProperties(id: "indicator--1f2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"))],
        ]))
        let bundle = try STIXBundle.decode(good)
        #expect(bundle.objects.count == 2)
        #expect(try STIXBundle.decode(bundle.encoded()) == bundle)
        #expect(stixError { _ = try STIXBundle.decode(good, limits: .init(maxObjects: 1)) }?.code == .tooLarge)
        #expect(stixError { _ = try STIXBundle.decode(good, limits: .init(maxBytes: 100)) }?.code == .tooLarge)
        #expect(stixError { _ = try STIXBundle.decode(good, limits: .init(maxDepth: 2)) }?.code == .tooLarge)

        var broken = indicatorProperties()
        broken["created"] = "yesterday"
        let bad = JSONWriter.encode(.object(["type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
                                             "objects": [.object(indicatorProperties()), .object(broken)]]))
        let error = stixError { _ = try STIXBundle.decode(bad) }
        #expect(error?.field == "objects[1].created")
        #expect(error?.description.contains("'yesterday' is not a STIX timestamp") == true)

        let twice = JSONWriter.encode(.object(["type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
                                               "objects": [.object(indicatorProperties()), .object(indicatorProperties())]]))
        #expect(stixError { _ = try STIXBundle.decode(twice) }?.field == "objects[1]")
        let old = #"{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","spec_version":"2.0"}"#
        #expect(stixError { _ = try STIXBundle.decode(Array(old.utf8)) }?.code == .invalidSpecVersion)
    }
}

@Suite struct DigestTests {
    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }

    @Test func knownVectors() {
        #expect(hex(Digest.sha1(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex(Digest.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(Digest.sha256(Array(repeating: 0x61, count: 1000))) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        // RFC 4231 test case 2.
        #expect(hex(Digest.hmacSHA256(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func uuidV5MatchesRFC4122() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        #expect(UUIDv5.make(namespace: "6ba7b810-9dad-11d1-80b4-00c04fd430c8", name: "python.org") == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
        let id = STIXIdentifier.named(type: "marking-definition", namespace: AccordSTIXIdentity.namespace, name: "x")
        #expect(STIXIdentifier(id.description) == id)
    }
}
