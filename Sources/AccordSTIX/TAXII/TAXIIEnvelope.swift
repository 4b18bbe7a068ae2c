/// The envelope resource (TAXII 2.1 §3.7): a page of objects (GET), or the objects a client posts.
public struct TAXIIEnvelope: Hashable, Sendable {
    /// Whether more objects match than this page holds.
    public var more: Bool
    /// The cursor for the next page, when `more`.
    public var next: String?
    /// The objects.
    public var objects: [STIXObject]

    public init(more: Bool = false, next: String? = nil, objects: [STIXObject]) {
        self.more = more
        self.next = next
        self.objects = objects
    }

    /// The envelope as JSON; `{}` when there is nothing, as TAXII asks.
    public var json: JSONValue {
        guard !objects.isEmpty || more else { return .object([:]) }
        var members: [String: JSONValue] = ["more": .bool(more)]
        members["next"] = next.map(JSONValue.string)
        if !objects.isEmpty { members["objects"] = .array(objects.map(\.json)) }
        return .object(members)
    }

    /// Decodes a posted envelope from untrusted bytes, within the same limits as a bundle.
    /// Errors name the field (`objects[4].id`).
    public static func decode(_ bytes: some Collection<UInt8>, limits: STIXBundle.Limits = .init()) throws(STIXError) -> TAXIIEnvelope {
        let json = try JSONReader(maxBytes: limits.maxBytes, maxDepth: limits.maxDepth).parse(bytes)
        guard let members = json.objectValue else {
            throw STIXError(.invalidProperty, field: "", "an envelope must be a JSON object, not \(json.typeName)")
        }
        if members["type"]?.stringValue == "bundle" {
            throw STIXError(.invalidProperty, field: "type", "TAXII 2.1 takes an envelope ({\"objects\": [...]}), not a STIX bundle")
        }
        for name in members.keys where !["more", "next", "objects"].contains(name) {
            throw STIXError(.invalidProperty, field: String(name.prefix(60)), "is not a property of an envelope (more, next, objects)")
        }
        var more = false
        if let value = members["more"] {
            guard let flag = value.boolValue else { throw STIXError(.invalidProperty, field: "more", "must be a boolean") }
            more = flag
        }
        var next: String?
        if let value = members["next"] {
            guard let text = value.stringValue else { throw STIXError(.invalidProperty, field: "next", "must be a string") }
            next = text
        }
        var objects: [STIXObject] = []
        if let value = members["objects"] {
            guard let items = value.arrayValue else { throw STIXError(.invalidProperty, field: "objects", "must be a list of STIX objects") }
            guard items.count <= limits.maxObjects else {
                throw STIXError(.tooLarge, field: "objects", "has \(items.count) objects; at most \(limits.maxObjects) are accepted")
            }
            for (index, item) in items.enumerated() {
                do { objects.append(try STIXObject(json: item)) } catch { throw error.located(under: "objects[\(index)]") }
            }
        }
        return TAXIIEnvelope(more: more, next: next, objects: objects)
    }
}
