import AccordCore

extension LabelMarking {
    /// Reads an Accord national-classification marking back into a label, checking that every field
    /// of the extension agrees with the label text (read with ``LabelParser``), with the party
    /// directory's schemes, and with the marking's deterministic id. Any disagreement is a
    /// ``STIXError/Code/contradiction`` naming the field.
    public init(object: STIXObject, parties: PartyDirectory) throws(STIXError) {
        typealias P = NationalClassificationExtension.Property
        let extensionKey = NationalClassificationExtension.id.description
        let root = "extensions.\(extensionKey)"
        guard object.type == "marking-definition" else {
            throw STIXError(.invalidMarking, field: "type", "a label marking is a marking-definition, not a \(object.type)")
        }
        guard let body = object["extensions"]?.objectValue?[extensionKey]?.objectValue else {
            throw STIXError(.invalidMarking, field: "extensions", "has no Accord national-classification extension (\(extensionKey))")
        }
        for name in body.keys where !P.all.contains(name) {
            throw STIXError(.invalidMarking, field: "\(root).\(name.prefix(60))", "is not a property of the national-classification extension")
        }
        func string(_ name: String) throws(STIXError) -> String {
            guard let value = body[name] else { throw STIXError(.missingProperty, field: "\(root).\(name)", "is required") }
            guard let text = value.stringValue else {
                throw STIXError(.invalidProperty, field: "\(root).\(name)", "must be a string, not \(value.typeName)")
            }
            return text
        }
        func strings(_ name: String) throws(STIXError) -> [String] {
            guard let value = body[name] else { return [] }
            guard let items = value.arrayValue, !items.isEmpty else {
                throw STIXError(.invalidProperty, field: "\(root).\(name)", "must be a non-empty list of strings")
            }
            var texts: [String] = []
            for (index, item) in items.enumerated() {
                guard let text = item.stringValue else {
                    throw STIXError(.invalidProperty, field: "\(root).\(name)[\(index)]", "must be a string, not \(item.typeName)")
                }
                texts.append(text)
            }
            return texts
        }
        func agree(_ name: String, _ written: some Equatable & CustomStringConvertible, _ expected: some Equatable & CustomStringConvertible) throws(STIXError) {
            guard "\(written)" == "\(expected)" else {
                throw STIXError(.contradiction, field: "\(root).\(name)",
                                "says \(excerpt(written.description)) but the label says \(excerpt(expected.description))")
            }
        }

        guard try string(P.extensionType) == "property-extension" else {
            throw STIXError(.invalidMarking, field: "\(root).\(P.extensionType)", "must be \"property-extension\"")
        }
        let text = try string(P.label)
        var label: Label
        do { label = try LabelParser(parties: parties).parse(text) } catch {
            throw STIXError(.invalidLabel, field: "\(root).\(P.label)", error.message)
        }
        try agree(P.originator, try string(P.originator), label.originator.rawValue)
        try agree(P.policy, try string(P.policy), label.originator.rawValue)
        try agree(P.levelCode, try string(P.levelCode), label.level.code)
        try agree(P.levelNativeName, try string(P.levelNativeName), label.level.nativeName)
        guard body[P.releasableTo] != nil else { throw STIXError(.missingProperty, field: "\(root).\(P.releasableTo)", "is required") }
        try agree(P.releasableTo, try strings(P.releasableTo).joined(separator: ","), label.releasableTo.map(\.rawValue).joined(separator: ","))
        try agree(P.topics, try strings(P.topics).joined(separator: ","), label.topics.map(\.rawValue).joined(separator: ","))
        try agree(P.caveats, try strings(P.caveats).joined(separator: ","), label.caveats.joined(separator: ","))
        if let value = body[P.labelCreated] {
            let stamp = try STIXTimestamp.read(value, field: "\(root).\(P.labelCreated)")
            guard stamp == object.created else {
                throw STIXError(.contradiction, field: "\(root).\(P.labelCreated)", "is \(stamp) but the marking was created \(object.created?.text ?? "never")")
            }
            label = label.created(at: stamp.date)
        }

        var equivalents: [PartyLevel] = []
        if let value = body[P.equivalentLevels] {
            guard let items = value.arrayValue, !items.isEmpty else {
                throw STIXError(.invalidProperty, field: "\(root).\(P.equivalentLevels)", "must be a non-empty list")
            }
            for (index, item) in items.enumerated() {
                let level = try Self.readPartyLevel(item, field: "\(root).\(P.equivalentLevels)[\(index)]", label: label, parties: parties)
                guard !equivalents.contains(where: { $0.party == level.party }) else {
                    throw STIXError(.contradiction, field: "\(root).\(P.equivalentLevels)[\(index)]", "gives \(level.party) a second level")
                }
                equivalents.append(level)
            }
        }
        var shownTo: PartyLevel?
        if let value = body[P.shownTo] {
            let level = try Self.readPartyLevel(value, field: "\(root).\(P.shownTo)", label: label, parties: parties)
            if let listed = equivalents.first(where: { $0.party == level.party }), listed.level != level.level {
                throw STIXError(.contradiction, field: "\(root).\(P.shownTo)",
                                "shows \(level.party) \(level.level.code) but equivalent_levels gives \(listed.level.code)")
            }
            shownTo = level
        }

        try self.init(label: label, equivalentLevels: equivalents, shownTo: shownTo)
        if let name = object["name"], name.stringValue != self.object["name"]?.stringValue {
            throw STIXError(.contradiction, field: "name", "\(excerpt(name.stringValue ?? name.typeName)) does not match the label \(excerpt(label.text))")
        }
        guard object.id == id else {
            throw STIXError(.contradiction, field: "id", "is \(object.id) but this label's marking is \(id)")
        }
    }

    private static func readPartyLevel(_ value: JSONValue, field: String, label: Label, parties: PartyDirectory) throws(STIXError) -> PartyLevel {
        guard let members = value.objectValue else { throw STIXError(.invalidProperty, field: field, "must be an object") }
        for name in members.keys where !["party", "level_code", "level_native_name"].contains(name) {
            throw STIXError(.invalidMarking, field: "\(field).\(name.prefix(60))", "is not expected here (party, level_code, level_native_name)")
        }
        guard let partyText = members["party"]?.stringValue, let code = PartyCode(partyText), let party = parties[code] else {
            throw STIXError(.invalidProperty, field: "\(field).party", "must be a known party code")
        }
        guard label.releasableTo.contains(code) else {
            throw STIXError(.contradiction, field: "\(field).party", "\(code) is not in the label's REL TO")
        }
        guard let levelCode = members["level_code"]?.stringValue, let level = party.scheme.level(named: levelCode), level.code == levelCode else {
            throw STIXError(.invalidProperty, field: "\(field).level_code", "must be the ASCII code of a level of \(code)")
        }
        guard members["level_native_name"]?.stringValue == level.nativeName else {
            throw STIXError(.contradiction, field: "\(field).level_native_name", "must be \(level.nativeName), the native name of \(code) \(level.code)")
        }
        return PartyLevel(party: code, level: level)
    }
}
