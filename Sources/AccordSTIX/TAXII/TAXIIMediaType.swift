/// The media types of TAXII 2.1 (§1.6.8) and how to recognise them in `Accept`/`Content-Type` headers.
public enum TAXIIMediaType {
    /// TAXII resources: discovery, API root, collections, manifest, status, errors.
    public static let taxii = "application/taxii+json;version=2.1"
    /// STIX content: envelopes of objects, and objects posted.
    public static let stix = "application/stix+json;version=2.1"

    /// Whether a `Content-Type` value names `mediaType` (type, subtype and `version` compared
    /// case-insensitively; spaces around `;` ignored; other parameters such as `charset` allowed).
    public static func matches(_ header: String, _ mediaType: String) -> Bool {
        guard let wanted = parse(mediaType), let given = parse(header) else { return false }
        return given.type == wanted.type && given.version == wanted.version
    }

    /// Whether an `Accept` value admits `mediaType`: one of its comma-separated entries names it, names
    /// its type without a version (`application/taxii+json`, meaning the latest: 2.1), or is a wildcard.
    public static func accepts(_ header: String, _ mediaType: String) -> Bool {
        guard let wanted = parse(mediaType) else { return false }
        for entry in header.split(separator: ",").prefix(32) {
            guard let given = parse(String(entry)) else { continue }
            if given.type == "*/*" || given.type == "application/*" { return true }
            if given.type == wanted.type && (given.version == nil || given.version == wanted.version) { return true }
        }
        return false
    }

    private static func parse(_ text: String) -> (type: String, version: String?)? {
        guard text.utf8.count <= 512 else { return nil }
        let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: " \t") }
        guard let type = parts.first?.lowercased(), !type.isEmpty else { return nil }
        var version: String?
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: " \t") }
            guard pair.count == 2 else { continue }
            if pair[0].lowercased() == "version" { version = pair[1].trimmingCharacters(in: "\"") }
        }
        return (type, version)
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
