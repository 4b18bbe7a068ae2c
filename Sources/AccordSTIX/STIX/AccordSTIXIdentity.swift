import AccordCore

/// Accord's fixed STIX identities: the system that defines Accord's extensions, and one identity
/// per party (derived from its code, so every node names a party alike).
public enum AccordSTIXIdentity {
    /// The namespace of Accord's name-based (UUIDv5) identifiers.
    public static let namespace = "5312c64c-6fdc-4775-a91c-936eeff62029"
    /// The identity that created Accord's extension definitions.
    public static let id = STIXIdentifier(type: "identity", uuid: "b1dd3c82-5c82-483b-956e-55be55e095c0")
    /// When Accord's extension definitions and identities were first published.
    public static let published = STIXTimestamp("2025-01-01T00:00:00.000Z")!

    /// The Accord system identity object (`identity_class: system`).
    public static var object: STIXObject {
        Self.build([
            "type": "identity", "spec_version": "2.1", "id": .string(id.description),
            "created": .string(published.text), "modified": .string(published.text),
            "name": "Accord", "identity_class": "system",
            "description": "Accord: classified information exchange between allied nations under their agreements.",
        ])
    }

    /// The identity of a party, such as KR: `identity--<UUIDv5 of "party:KR">`.
    public static func partyID(_ party: PartyCode) -> STIXIdentifier {
        .named(type: "identity", namespace: namespace, name: "party:\(party.rawValue)")
    }

    /// The identity object of a party (`identity_class: organization`), named as the party directory names it.
    public static func partyObject(_ party: Party) -> STIXObject {
        Self.build([
            "type": "identity", "spec_version": "2.1", "id": .string(partyID(party.code).description),
            "created": .string(published.text), "modified": .string(published.text),
            "name": .string(party.name), "identity_class": "organization",
            "sectors": ["defense"], "created_by_ref": .string(id.description),
        ])
    }

    /// Builds an object Accord itself writes: a failure is a bug in Accord, never bad input.
    static func build(_ properties: [String: JSONValue]) -> STIXObject {
        do { return try STIXObject(properties: properties) } catch {
            preconditionFailure("Accord built an invalid STIX object: \(error)")
        }
    }
}
