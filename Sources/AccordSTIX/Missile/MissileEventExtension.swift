/// The `extension-definition` of the `x-accord-missile-event` SDO (`extension_types: ["new-sdo"]`):
/// one ballistic missile launch as a party detected and estimated it. Property table in `docs/stix.md`.
public enum MissileEventExtension {
    /// The extension definition's fixed identifier.
    public static let id = STIXIdentifier(type: "extension-definition", uuid: "5a0735bb-0b4c-49ee-a4a0-24979e20b7ca")
    /// The SDO type the extension defines.
    public static let type = "x-accord-missile-event"
    /// The extension's version.
    public static let version = "1.0.0"

    /// The definition object, created by ``AccordSTIXIdentity/id``.
    public static var object: STIXObject {
        AccordSTIXIdentity.build([
            "type": "extension-definition", "spec_version": "2.1", "id": .string(id.description),
            "created": .string(AccordSTIXIdentity.published.text), "modified": .string(AccordSTIXIdentity.published.text),
            "created_by_ref": .string(AccordSTIXIdentity.id.description),
            "name": "Accord missile launch event",
            "description": "A ballistic missile launch as one party detected and estimated it: launch point and time, trajectory samples, apogee, ground range, predicted impact point with its uncertainty ellipse, and the detecting party.",
            "schema": .string(schema),
            "version": .string(version),
            "extension_types": ["new-sdo"],
        ])
    }

    static let schema = """
        New SDO x-accord-missile-event (common SDO properties, plus): name (string, optional); launch_time \
        (timestamp); launch_point ({latitude -90..90, longitude -180..180}, degrees WGS 84); trajectory (list of \
        {time, latitude, longitude, altitude_km}, times strictly increasing, none before launch_time; optional); \
        apogee_km (number >= 0); range_km (number >= 0, ground range); predicted_impact ({latitude, longitude, time \
        (optional, after launch_time), semi_major_axis_km >= semi_minor_axis_km >= 0, orientation_deg (0 <= x < 180, \
        major axis clockwise from true north), confidence (0 < x < 1, probability the impact lies in the ellipse)}; \
        optional); detecting_party (party code). Defined in Accord's docs/stix.md.
        """
}
