/// A STIX 2.1 bundle: `{"type": "bundle", "id": "bundle--…", "objects": [...]}`.
public struct STIXBundle: Hashable, Sendable {
    /// Bounds on what ``decode(_:limits:)`` accepts from untrusted input.
    public struct Limits: Hashable, Sendable {
        /// Largest encoded bundle, in bytes.
        public var maxBytes: Int
        /// Most objects in one bundle.
        public var maxObjects: Int
        /// Deepest JSON nesting (the bundle itself is depth 1, its objects depth 3).
        public var maxDepth: Int

        /// Limits with defaults: 8 MiB, 10,000 objects, depth 32.
        public init(maxBytes: Int = 8 << 20, maxObjects: Int = 10_000, maxDepth: Int = 32) {
            self.maxBytes = maxBytes
            self.maxObjects = maxObjects
            self.maxDepth = maxDepth
        }
    }

    /// The bundle's identifier (type `bundle`).
    public let id: STIXIdentifier
    /// The objects, in the order given.
    public let objects: [STIXObject]

    /// A bundle of checked objects.
    public init(id: STIXIdentifier, objects: [STIXObject]) {
        self.id = id
        self.objects = objects
    }

    /// A bundle whose id is derived from its objects' ids and versions, so the same objects give the same bundle.
    public init(objects: [STIXObject]) {
        let name = objects.map { "\($0.id)@\($0.version?.text ?? "")" }.joined(separator: ",")
        self.init(id: .named(type: "bundle", namespace: AccordSTIXIdentity.namespace, name: name), objects: objects)
    }

    /// Decodes untrusted bytes. Every failure is a ``STIXError`` naming the field (`objects[3].created`).
    public static func decode(_ bytes: some Collection<UInt8>, limits: Limits = Limits()) throws(STIXError) -> STIXBundle {
        let json = try JSONReader(maxBytes: limits.maxBytes, maxDepth: limits.maxDepth).parse(bytes)
        return try STIXBundle(json: json, maxObjects: limits.maxObjects)
    }

    /// Checks a JSON value as a bundle.
    public init(json: JSONValue, maxObjects: Int = Limits().maxObjects) throws(STIXError) {
        guard let members = json.objectValue else {
            throw STIXError(.invalidProperty, field: "", "a bundle must be a JSON object, not \(json.typeName)")
        }
        guard let type = members["type"] else { throw STIXError(.missingProperty, field: "type", "is required (\"bundle\")") }
        guard type.stringValue == "bundle" else {
            throw STIXError(.invalidProperty, field: "type", "must be \"bundle\", not \(excerpt(JSONWriter.string(type), limit: 30))")
        }
        guard let idValue = members["id"] else { throw STIXError(.missingProperty, field: "id", "is required") }
        let id = try STIXIdentifier.read(idValue, field: "id", type: "bundle")
        if members["spec_version"] != nil {
            throw STIXError(.invalidSpecVersion, field: "spec_version", "a STIX 2.1 bundle has no spec_version (that was STIX 2.0)")
        }
        for name in members.keys where !["type", "id", "objects"].contains(name) {
            guard STIXObject.isValidPropertyName(name) else {
                throw STIXError(.invalidProperty, field: String(name.prefix(60)), "property names must be 2 to 250 ASCII letters, digits or underscores")
            }
        }
        var objects: [STIXObject] = []
        if let list = members["objects"] {
            guard let items = list.arrayValue else {
                throw STIXError(.invalidProperty, field: "objects", "must be a list of STIX objects, not \(list.typeName)")
            }
            guard items.count <= maxObjects else {
                throw STIXError(.tooLarge, field: "objects", "has \(items.count) objects; at most \(maxObjects) are accepted")
            }
            var versions = Set<String>()
            objects.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                let object: STIXObject
                do { object = try STIXObject(json: item) } catch { throw error.located(under: "objects[\(index)]") }
                guard versions.insert("\(object.id)@\(object.version?.text ?? "")").inserted else {
                    throw STIXError(.invalidProperty, field: "objects[\(index)]", "repeats \(object.id) at the same version")
                }
                objects.append(object)
            }
        }
        self.id = id
        self.objects = objects
    }

    /// The bundle as JSON (no `objects` member when empty, as STIX 2.1 allows).
    public var json: JSONValue {
        var members: [String: JSONValue] = ["type": "bundle", "id": .string(id.description)]
        if !objects.isEmpty { members["objects"] = .array(objects.map(\.json)) }
        return .object(members)
    }

    /// The bundle's one encoding (sorted members, no whitespace).
    public func encoded() -> [UInt8] { JSONWriter.encode(json) }
}
