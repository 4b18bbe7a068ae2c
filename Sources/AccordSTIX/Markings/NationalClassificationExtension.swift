/// The `extension-definition` for national classification markings: a `property-extension` of
/// `marking-definition` carrying one Accord label (originator, policy, level, equivalent levels,
/// releasability, topics, caveats, creation time). Property table in `docs/stix.md`.
public enum NationalClassificationExtension {
    /// The extension definition's fixed identifier.
    public static let id = STIXIdentifier(type: "extension-definition", uuid: "d5f0cd13-8b32-4c85-a333-337602e43dca")
    /// The extension's version.
    public static let version = "1.0.0"

    /// Property names of the extension, in the marking's `extensions[id]` object.
    enum Property {
        static let extensionType = "extension_type"
        static let label = "label"
        static let originator = "originator"
        static let policy = "policy"
        static let levelCode = "level_code"
        static let levelNativeName = "level_native_name"
        static let equivalentLevels = "equivalent_levels"
        static let releasableTo = "releasable_to"
        static let topics = "topics"
        static let caveats = "caveats"
        static let labelCreated = "label_created"
        static let shownTo = "shown_to"
        static let party = "party"
        static let all: Set<String> = [
            extensionType, label, originator, policy, levelCode, levelNativeName, equivalentLevels, releasableTo,
            topics, caveats, labelCreated, shownTo,
        ]
    }

    /// The definition object, created by ``AccordSTIXIdentity/id``.
    public static var object: STIXObject {
        AccordSTIXIdentity.build([
            "type": "extension-definition", "spec_version": "2.1", "id": .string(id.description),
            "created": .string(AccordSTIXIdentity.published.text), "modified": .string(AccordSTIXIdentity.published.text),
            "created_by_ref": .string(AccordSTIXIdentity.id.description),
            "name": "Accord national classification marking",
            "description": "A classification label in the originator's national scheme (STANAG 4774 ideas): originator and policy, level code and native name, the equivalent level each recipient marks with, releasable-to parties, topics, caveats and creation time.",
            "schema": .string(schema),
            "version": .string(version),
            "extension_types": ["property-extension"],
        ])
    }

    /// The schema, as text (STIX 2.1 allows a URL or a plain-text definition).
    static let schema = """
        Property extension of marking-definition. Properties: label (string, canonical Accord label text \
        PARTY//LEVEL//REL TO P,...[//TOPIC t,...][//CAVEAT c,...]); originator (party code); policy (party code whose \
        national scheme the level belongs to; equals originator); level_code and level_native_name (the level in that \
        scheme); equivalent_levels (list of {party, level_code, level_native_name}: the level each recipient marks \
        with, parties from releasable_to); releasable_to (list of party codes); topics (list, optional); caveats (list, \
        optional); label_created (timestamp, optional); shown_to ({party, level_code, level_native_name}, optional: the \
        recipient this copy of the marking is rendered for). All fields must agree with label. Defined in Accord's \
        docs/stix.md.
        """
}
