import AccordCore

extension MissileEvent {
    /// The event as an `x-accord-missile-event` SDO.
    public var object: STIXObject {
        func number(_ value: Double) -> JSONValue { JSONValue.number(exactly: value) ?? .null }
        func point(_ point: GeoPoint) -> [String: JSONValue] {
            ["latitude": number(point.latitude), "longitude": number(point.longitude)]
        }
        var properties: [String: JSONValue] = [
            "type": .string(MissileEventExtension.type), "spec_version": "2.1", "id": .string(id.description),
            "created": .string(created.text), "modified": .string(modified.text),
            "created_by_ref": .string(AccordSTIXIdentity.partyID(detectingParty).description),
            "detecting_party": .string(detectingParty.rawValue),
            "launch_time": .string(launchTime.text),
            "launch_point": .object(point(launchPoint)),
            "apogee_km": number(apogeeKm),
            "range_km": number(rangeKm),
            "extensions": .object([MissileEventExtension.id.description: ["extension_type": "new-sdo"]]),
        ]
        if let name { properties["name"] = .string(name) }
        if !trajectory.isEmpty {
            properties["trajectory"] = .array(trajectory.map { sample in
                var members = point(sample.point)
                members["time"] = .string(sample.time.text)
                members["altitude_km"] = number(sample.altitudeKm)
                return .object(members)
            })
        }
        if let impact {
            var members = point(impact.point)
            if let time = impact.time { members["time"] = .string(time.text) }
            members["semi_major_axis_km"] = number(impact.semiMajorAxisKm)
            members["semi_minor_axis_km"] = number(impact.semiMinorAxisKm)
            members["orientation_deg"] = number(impact.orientationDeg)
            members["confidence"] = number(impact.confidence)
            properties["predicted_impact"] = .object(members)
        }
        if !objectMarkingRefs.isEmpty { properties["object_marking_refs"] = .array(objectMarkingRefs.map { .string($0.description) }) }
        return AccordSTIXIdentity.build(properties)
    }

    /// Reads an `x-accord-missile-event` SDO; errors name the property at fault.
    public init(object: STIXObject) throws(STIXError) {
        guard object.type == MissileEventExtension.type else {
            throw STIXError(.invalidEvent, field: "type", "must be \(MissileEventExtension.type), not \(object.type)")
        }
        let extensionKey = MissileEventExtension.id.description
        guard object["extensions"]?.objectValue?[extensionKey]?.objectValue?["extension_type"]?.stringValue == "new-sdo" else {
            throw STIXError(.invalidEvent, field: "extensions", "must declare \(extensionKey) with extension_type new-sdo")
        }
        let p = object.properties
        func number(_ members: [String: JSONValue], _ name: String, _ field: String) throws(STIXError) -> Double {
            guard let value = members[name] else { throw STIXError(.missingProperty, field: field, "is required") }
            guard let number = value.doubleValue else { throw STIXError(.invalidProperty, field: field, "must be a number, not \(value.typeName)") }
            return number
        }
        func members(_ value: JSONValue?, _ field: String) throws(STIXError) -> [String: JSONValue] {
            guard let value else { throw STIXError(.missingProperty, field: field, "is required") }
            guard let members = value.objectValue else { throw STIXError(.invalidProperty, field: field, "must be an object, not \(value.typeName)") }
            return members
        }
        func geo(_ members: [String: JSONValue], _ field: String) throws(STIXError) -> GeoPoint {
            do {
                return try GeoPoint(latitude: try number(members, "latitude", "\(field).latitude"),
                                    longitude: try number(members, "longitude", "\(field).longitude"))
            } catch { throw error.field.hasPrefix(field) ? error : error.located(under: field) }
        }
        guard let partyText = p["detecting_party"]?.stringValue, let party = PartyCode(partyText) else {
            throw STIXError(.invalidProperty, field: "detecting_party", "must be a party code (2–8 upper-case letters)")
        }
        guard object.createdByRef == AccordSTIXIdentity.partyID(party) else {
            throw STIXError(.contradiction, field: "created_by_ref", "must be the identity of the detecting party \(party)")
        }
        let launchTime = try STIXTimestamp.read(p, "launch_time")
        let launchPoint = try geo(try members(p["launch_point"], "launch_point"), "launch_point")
        var samples: [Sample] = []
        if let value = p["trajectory"] {
            guard let items = value.arrayValue else { throw STIXError(.invalidProperty, field: "trajectory", "must be a list") }
            guard items.count <= Self.maximumSamples else {
                throw STIXError(.tooLarge, field: "trajectory", "has \(items.count) samples; at most \(Self.maximumSamples)")
            }
            for (index, item) in items.enumerated() {
                let field = "trajectory[\(index)]"
                let m = try members(item, field)
                let time = try STIXTimestamp.read(m["time"] ?? .null, field: "\(field).time")
                do {
                    samples.append(try Sample(time: time, point: try geo(m, field), altitudeKm: try number(m, "altitude_km", "\(field).altitude_km")))
                } catch { throw error.field.hasPrefix(field) ? error : error.located(under: field) }
            }
        }
        var impact: ImpactPrediction?
        if let value = p["predicted_impact"] {
            let field = "predicted_impact"
            let m = try members(value, field)
            let time = try m["time"].map { (value: JSONValue) throws(STIXError) in try STIXTimestamp.read(value, field: "\(field).time") }
            do {
                impact = try ImpactPrediction(
                    point: try geo(m, field), time: time,
                    semiMajorAxisKm: try number(m, "semi_major_axis_km", "\(field).semi_major_axis_km"),
                    semiMinorAxisKm: try number(m, "semi_minor_axis_km", "\(field).semi_minor_axis_km"),
                    orientationDeg: try number(m, "orientation_deg", "\(field).orientation_deg"),
                    confidence: try number(m, "confidence", "\(field).confidence"))
            } catch { throw error.field.hasPrefix(field) ? error : error.located(under: field) }
        }
        var name: String?
        if let value = p["name"] {
            guard let text = value.stringValue else { throw STIXError(.invalidProperty, field: "name", "must be a string") }
            name = text
        }
        guard let created = object.created, let modified = object.modified else {
            throw STIXError(.missingProperty, field: "created", "is required")
        }
        try self.init(
            id: object.id, created: created, modified: modified, name: name, detectingParty: party,
            launchTime: launchTime, launchPoint: launchPoint, trajectory: samples,
            apogeeKm: try number(p, "apogee_km", "apogee_km"), rangeKm: try number(p, "range_km", "range_km"),
            impact: impact, objectMarkingRefs: object.objectMarkingRefs)
    }

    /// A standard `location` SDO for the launch site (or any point), with a deterministic id.
    public func launchLocation(name siteName: String? = nil) -> STIXObject {
        var properties: [String: JSONValue] = [
            "type": "location", "spec_version": "2.1",
            "id": .string(STIXIdentifier.named(type: "location", namespace: AccordSTIXIdentity.namespace,
                                               name: "launch-point:\(id)").description),
            "created": .string(created.text), "modified": .string(modified.text),
            "created_by_ref": .string(AccordSTIXIdentity.partyID(detectingParty).description),
            "latitude": JSONValue.number(exactly: launchPoint.latitude) ?? .null,
            "longitude": JSONValue.number(exactly: launchPoint.longitude) ?? .null,
            "name": .string(siteName ?? "Launch point of \(name ?? id.description)"),
        ]
        if !objectMarkingRefs.isEmpty { properties["object_marking_refs"] = .array(objectMarkingRefs.map { .string($0.description) }) }
        return AccordSTIXIdentity.build(properties)
    }
}

/// A standard STIX `report` that wraps objects (missile events, their locations, notes).
public enum STIXReport {
    /// A `report` SDO referring to `objects`, created by `author`'s party identity and marked with `markings`.
    public static func make(
        id: STIXIdentifier, name: String, published: STIXTimestamp, author: PartyCode, objects: [STIXObject],
        markings: [STIXIdentifier] = [], description: String? = nil
    ) throws(STIXError) -> STIXObject {
        guard id.type == "report" else { throw STIXError(.invalidIdentifier, field: "id", "must be a report identifier") }
        guard !objects.isEmpty else { throw STIXError(.invalidProperty, field: "object_refs", "a report must refer to at least one object") }
        guard !name.isEmpty else { throw STIXError(.invalidProperty, field: "name", "must not be empty") }
        var properties: [String: JSONValue] = [
            "type": "report", "spec_version": "2.1", "id": .string(id.description),
            "created": .string(published.text), "modified": .string(published.text), "published": .string(published.text),
            "created_by_ref": .string(AccordSTIXIdentity.partyID(author).description),
            "name": .string(name), "report_types": ["threat-report"],
            "object_refs": .array(objects.map { .string($0.id.description) }),
        ]
        if let description { properties["description"] = .string(description) }
        if !markings.isEmpty { properties["object_marking_refs"] = .array(markings.map { .string($0.description) }) }
        return try STIXObject(properties: properties)
    }
}
