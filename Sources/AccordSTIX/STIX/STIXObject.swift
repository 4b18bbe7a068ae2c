/// One STIX 2.1 object of any type, keeping every property it came with (analysts post any SDO,
/// SRO, SCO or custom object) while the common properties are checked strictly on the way in:
/// `type`, `spec_version`, `id`, `created`, `modified`, `created_by_ref`, `object_marking_refs`,
/// `granular_markings`, `extensions` and the property-name syntax.
public struct STIXObject: Hashable, Sendable {
    /// What part of STIX the object's type belongs to; it decides which common properties it needs.
    public enum Kind: String, Sendable {
        /// Domain and relationship objects, including custom (extension-defined) ones: need `created` and `modified`.
        case domain
        /// Cyber-observable objects (`ipv4-addr`, `file`, …): no `created`/`modified`; `spec_version` optional.
        case observable
        /// `marking-definition`: `created` but never `modified` (marking definitions never change).
        case markingDefinition = "marking-definition"
    }

    /// Every property, as received or built.
    public let properties: [String: JSONValue]
    /// The object's identifier (its type is ``type``).
    public let id: STIXIdentifier
    /// The part of STIX the type belongs to.
    public let kind: Kind
    /// `created`, absent only for observables.
    public let created: STIXTimestamp?
    /// `modified`, absent for observables and marking definitions.
    public let modified: STIXTimestamp?
    /// `created_by_ref`: the identity that made the object.
    public let createdByRef: STIXIdentifier?
    /// `object_marking_refs`, in the order written (empty when absent).
    public let objectMarkingRefs: [STIXIdentifier]

    /// The object type (`indicator`).
    public var type: String { id.type }
    /// The version TAXII uses: `modified`, else `created` (nil for observables: TAXII then uses the date added).
    public var version: STIXTimestamp? { modified ?? created }
    /// A property's value.
    public subscript(name: String) -> JSONValue? { properties[name] }
    /// The object as JSON.
    public var json: JSONValue { .object(properties) }

    /// The cyber-observable types of STIX 2.1 §6.
    public static let observableTypes: Set<String> = [
        "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file",
        "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url",
        "user-account", "windows-registry-key", "x509-certificate",
    ]

    /// The `extension_type` values of STIX 2.1 §7.3.
    public static let extensionTypes: Set<String> = [
        "new-sdo", "new-sco", "new-sro", "property-extension", "toplevel-property-extension",
    ]

    /// Checks a JSON value as a STIX 2.1 object. Errors name the property at fault.
    public init(json: JSONValue) throws(STIXError) {
        guard let properties = json.objectValue else {
            throw STIXError(.invalidProperty, field: "", "a STIX object must be a JSON object, not \(json.typeName)")
        }
        try self.init(properties: properties)
    }

    /// Checks a property map as a STIX 2.1 object.
    public init(properties: [String: JSONValue]) throws(STIXError) {
        for name in properties.keys where !Self.isValidPropertyName(name) {
            throw STIXError(.invalidProperty, field: String(name.prefix(60)),
                            "property names must be 2 to 250 ASCII letters, digits or underscores")
        }
        guard let typeValue = properties["type"] else { throw STIXError(.missingProperty, field: "type", "is required") }
        guard let type = typeValue.stringValue else {
            throw STIXError(.invalidProperty, field: "type", "must be a string, not \(typeValue.typeName)")
        }
        guard STIXIdentifier.isValidType(type) else {
            throw STIXError(.invalidProperty, field: "type", "\(excerpt(type)) is not a STIX type (3–250 of a-z, 0-9, '-', starting with a letter)")
        }
        guard type != "bundle" else { throw STIXError(.invalidProperty, field: "type", "a bundle cannot be an object inside a bundle") }
        let kind: Kind = type == "marking-definition" ? .markingDefinition : Self.observableTypes.contains(type) ? .observable : .domain

        guard let idValue = properties["id"] else { throw STIXError(.missingProperty, field: "id", "is required") }
        let id = try STIXIdentifier.read(idValue, field: "id")
        guard id.type == type else {
            throw STIXError(.invalidIdentifier, field: "id", "names type '\(id.type)' but the object's type is '\(type)'")
        }

        switch properties["spec_version"] {
        case .none where kind != .observable:
            throw STIXError(.missingProperty, field: "spec_version", "is required (\"2.1\")")
        case .none: break
        case .some(let value):
            guard value.stringValue == "2.1" else {
                throw STIXError(.invalidSpecVersion, field: "spec_version", "must be \"2.1\", not \(excerpt(JSONWriter.string(value), limit: 20))")
            }
        }

        var created: STIXTimestamp?
        var modified: STIXTimestamp?
        switch kind {
        case .domain:
            created = try STIXTimestamp.read(properties, "created")
            modified = try STIXTimestamp.read(properties, "modified")
        case .markingDefinition:
            created = try STIXTimestamp.read(properties, "created")
            guard properties["modified"] == nil else {
                throw STIXError(.invalidProperty, field: "modified", "marking definitions never change, so they have no modified")
            }
        case .observable:
            guard properties["created"] == nil, properties["modified"] == nil else {
                throw STIXError(.invalidProperty, field: properties["created"] == nil ? "modified" : "created",
                                "cyber-observable objects carry no created or modified")
            }
        }
        if let created, let modified, modified < created {
            throw STIXError(.invalidTimestamp, field: "modified", "\(modified) is before created \(created)")
        }

        var createdByRef: STIXIdentifier?
        if let value = properties["created_by_ref"] {
            createdByRef = try STIXIdentifier.read(value, field: "created_by_ref", type: "identity")
        }
        var markingRefs: [STIXIdentifier] = []
        if let value = properties["object_marking_refs"] {
            markingRefs = try Self.readIdentifierList(value, field: "object_marking_refs", type: "marking-definition")
        }
        try Self.checkGranularMarkings(properties["granular_markings"])
        try Self.checkExtensions(properties["extensions"])
        try Self.checkOptionalCommon(properties)

        self.properties = properties
        self.id = id
        self.kind = kind
        self.created = created
        self.modified = modified
        self.createdByRef = createdByRef
        self.objectMarkingRefs = markingRefs
    }

    public static func == (lhs: STIXObject, rhs: STIXObject) -> Bool { lhs.properties == rhs.properties }
    public func hash(into hasher: inout Hasher) { hasher.combine(id); hasher.combine(version) }

    /// STIX 2.1 §3.1: ASCII letters, digits and underscore, at most 250 characters (`id` is the one two-letter name).
    static func isValidPropertyName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard (2...250).contains(bytes.count) else { return false }
        return bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    /// A non-empty list of identifiers, all of `type`, none repeated.
    static func readIdentifierList(_ value: JSONValue, field: String, type: String?) throws(STIXError) -> [STIXIdentifier] {
        guard let items = value.arrayValue else {
            throw STIXError(.invalidProperty, field: field, "must be a list of identifiers, not \(value.typeName)")
        }
        guard !items.isEmpty else { throw STIXError(.invalidProperty, field: field, "must not be empty when present") }
        var ids: [STIXIdentifier] = []
        var seen = Set<STIXIdentifier>()
        for (index, item) in items.enumerated() {
            let id = try STIXIdentifier.read(item, field: "\(field)[\(index)]", type: type)
            guard seen.insert(id).inserted else { throw STIXError(.invalidProperty, field: "\(field)[\(index)]", "repeats \(id)") }
            ids.append(id)
        }
        return ids
    }

    private static func checkGranularMarkings(_ value: JSONValue?) throws(STIXError) {
        guard let value else { return }
        guard let items = value.arrayValue, !items.isEmpty else {
            throw STIXError(.invalidProperty, field: "granular_markings", "must be a non-empty list of granular markings")
        }
        for (index, item) in items.enumerated() {
            let field = "granular_markings[\(index)]"
            guard let marking = item.objectValue else { throw STIXError(.invalidProperty, field: field, "must be an object") }
            guard let selectors = marking["selectors"]?.arrayValue, !selectors.isEmpty, selectors.allSatisfy({ $0.stringValue?.isEmpty == false }) else {
                throw STIXError(.invalidProperty, field: "\(field).selectors", "must be a non-empty list of selector strings")
            }
            switch (marking["marking_ref"], marking["lang"]) {
            case (.some(let ref), nil): _ = try STIXIdentifier.read(ref, field: "\(field).marking_ref", type: "marking-definition")
            case (nil, .some(let lang)) where lang.stringValue != nil: break
            default: throw STIXError(.invalidProperty, field: field, "needs exactly one of marking_ref or lang")
            }
        }
    }

    private static func checkExtensions(_ value: JSONValue?) throws(STIXError) {
        guard let value else { return }
        guard let extensions = value.objectValue, !extensions.isEmpty else {
            throw STIXError(.invalidProperty, field: "extensions", "must be a non-empty dictionary")
        }
        for (key, body) in extensions {
            let field = "extensions.\(key.prefix(80))"
            if key.hasPrefix("extension-definition--") {
                _ = try STIXIdentifier.read(.string(key), field: field, type: "extension-definition")
            } else {
                // Predefined extensions are named like `archive-ext`.
                guard key.hasSuffix("-ext"), STIXIdentifier.isValidType(key) else {
                    throw STIXError(.invalidProperty, field: field, "an extension key must be an extension-definition id or a name ending in -ext")
                }
            }
            guard let members = body.objectValue else { throw STIXError(.invalidProperty, field: field, "must be an object") }
            if let kind = members["extension_type"] {
                guard let text = kind.stringValue, extensionTypes.contains(text) else {
                    throw STIXError(.invalidProperty, field: "\(field).extension_type",
                                    "must be one of \(extensionTypes.sorted().joined(separator: ", "))")
                }
            }
        }
    }

    private static func checkOptionalCommon(_ properties: [String: JSONValue]) throws(STIXError) {
        if let value = properties["revoked"], value.boolValue == nil {
            throw STIXError(.invalidProperty, field: "revoked", "must be a boolean")
        }
        if let value = properties["labels"] {
            guard let items = value.arrayValue, !items.isEmpty, items.allSatisfy({ $0.stringValue != nil }) else {
                throw STIXError(.invalidProperty, field: "labels", "must be a non-empty list of strings")
            }
        }
        if let value = properties["confidence"] {
            guard let number = value.integerValue, (0...100).contains(number) else {
                throw STIXError(.invalidProperty, field: "confidence", "must be an integer from 0 to 100")
            }
        }
        if let value = properties["external_references"] {
            guard let items = value.arrayValue, !items.isEmpty else {
                throw STIXError(.invalidProperty, field: "external_references", "must be a non-empty list")
            }
            for (index, item) in items.enumerated() where item.objectValue?["source_name"]?.stringValue == nil {
                throw STIXError(.invalidProperty, field: "external_references[\(index)].source_name", "is required (a string)")
            }
        }
    }
}
