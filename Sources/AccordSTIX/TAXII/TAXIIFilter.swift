import Foundation

/// The URL filters of a TAXII 2.1 objects, manifest or versions request (§3.4), parsed and checked.
public struct TAXIIFilter: Hashable, Sendable {
    /// One value of `match[version]`.
    public enum VersionMatch: Hashable, Sendable {
        /// The earliest version of each object.
        case first
        /// The latest version of each object (the default).
        case last
        /// Every version.
        case all
        /// The version whose `modified` (else `created`, else date added) is this instant.
        case at(STIXTimestamp)
    }

    /// Only records added strictly after this instant.
    public var addedAfter: STIXTimestamp?
    /// `match[id]`: only these objects (`nil`: any).
    public var ids: Set<STIXIdentifier>?
    /// `match[type]`: only these types (`nil`: any).
    public var types: Set<String>?
    /// `match[version]`: which versions of each object (default `[.last]`).
    public var versions: Set<VersionMatch>
    /// `match[spec_version]`: only these STIX versions (`nil`: the latest, 2.1, which is all Accord holds).
    public var specVersions: Set<String>?
    /// `limit`: the page size asked for (the server may return fewer).
    public var limit: Int?
    /// `next`: the cursor from the previous page.
    public var next: String?

    /// A filter; with no arguments, every object at its latest version.
    public init(addedAfter: STIXTimestamp? = nil, ids: Set<STIXIdentifier>? = nil, types: Set<String>? = nil,
                versions: Set<VersionMatch> = [.last], specVersions: Set<String>? = nil, limit: Int? = nil, next: String? = nil) {
        self.addedAfter = addedAfter
        self.ids = ids
        self.types = types
        self.versions = versions
        self.specVersions = specVersions
        self.limit = limit
        self.next = next
    }

    /// Most values in one comma-separated parameter.
    public static let maximumValues = 100
    /// Longest `next` cursor accepted, in bytes.
    public static let maximumCursorLength = 1024

    /// Parses a raw query string (`added_after=…&match%5Btype%5D=indicator,report`).
    public static func parse(queryString: String) throws(STIXError) -> TAXIIFilter {
        guard queryString.utf8.count <= 16 * 1024 else {
            throw STIXError(.tooLarge, field: "query", "query string is \(queryString.utf8.count) bytes; at most 16384")
        }
        var pairs: [(String, String)] = []
        for item in queryString.split(separator: "&") where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) throws(STIXError) -> String {
                guard let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw STIXError(.invalidFilter, field: "query", "\(excerpt(text)) is not valid percent-encoding")
                }
                return decoded
            }
            pairs.append((try decode(parts[0]), parts.count > 1 ? try decode(parts[1]) : ""))
        }
        return try parse(query: pairs)
    }

    /// Parses decoded query parameters. Unknown parameters and repeated ones are refused; each
    /// error names the parameter.
    public static func parse(query: [(name: String, value: String)]) throws(STIXError) -> TAXIIFilter {
        var filter = TAXIIFilter()
        var seen = Set<String>()
        for (name, value) in query {
            let field = String(name.prefix(40))
            guard seen.insert(name).inserted else { throw STIXError(.invalidFilter, field: field, "is given more than once") }
            switch name {
            case "added_after":
                guard let stamp = STIXTimestamp(value) else {
                    throw STIXError(.invalidFilter, field: field, "\(excerpt(value)) is not a timestamp (YYYY-MM-DDTHH:MM:SS[.fraction]Z)")
                }
                filter.addedAfter = stamp
            case "limit":
                guard let number = Int(value), number > 0, value.utf8.count <= 9, value.utf8.first != UInt8(ascii: "+") else {
                    throw STIXError(.invalidFilter, field: field, "\(excerpt(value)) is not a positive integer")
                }
                filter.limit = number
            case "next":
                guard !value.isEmpty, value.utf8.count <= maximumCursorLength else {
                    throw STIXError(.invalidCursor, field: field, "must be the cursor from the previous page")
                }
                filter.next = value
            case "match[id]":
                var ids = Set<STIXIdentifier>()
                for item in try values(value, field) {
                    guard let id = STIXIdentifier(item) else {
                        throw STIXError(.invalidFilter, field: field, "\(excerpt(item)) is not a STIX identifier (<type>--<UUID>)")
                    }
                    ids.insert(id)
                }
                filter.ids = ids
            case "match[type]":
                var types = Set<String>()
                for item in try values(value, field) {
                    guard STIXIdentifier.isValidType(item) else { throw STIXError(.invalidFilter, field: field, "\(excerpt(item)) is not a STIX type") }
                    types.insert(item)
                }
                filter.types = types
            case "match[version]":
                var versions = Set<VersionMatch>()
                for item in try values(value, field) {
                    switch item {
                    case "first": versions.insert(.first)
                    case "last": versions.insert(.last)
                    case "all": versions.insert(.all)
                    default:
                        guard let stamp = STIXTimestamp(item) else {
                            throw STIXError(.invalidFilter, field: field, "\(excerpt(item)) is not first, last, all or a timestamp")
                        }
                        versions.insert(.at(stamp))
                    }
                }
                filter.versions = versions
            case "match[spec_version]":
                var specs = Set<String>()
                for item in try values(value, field) {
                    let parts = item.split(separator: ".", omittingEmptySubsequences: false)
                    guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
                        throw STIXError(.invalidFilter, field: field, "\(excerpt(item)) is not a specification version such as 2.1")
                    }
                    specs.insert(item)
                }
                filter.specVersions = specs
            default:
                throw STIXError(.invalidFilter, field: field,
                                "is not a supported parameter (added_after, limit, next, match[id], match[type], match[version], match[spec_version])")
            }
        }
        return filter
    }

    private static func values(_ text: String, _ field: String) throws(STIXError) -> [String] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
        guard items.count <= maximumValues else { throw STIXError(.tooLarge, field: field, "lists \(items.count) values; at most \(maximumValues)") }
        guard !items.contains(where: \.isEmpty) else { throw STIXError(.invalidFilter, field: field, "has an empty value") }
        return items
    }

    /// The part of the filter a cursor is bound to: everything but `limit` and `next`.
    var fingerprint: [UInt8] {
        var parts: [String] = ["added_after=\(addedAfter.map { "\($0.seconds).\($0.nanoseconds)" } ?? "")"]
        parts.append("id=" + (ids.map { $0.map(\.description).sorted().joined(separator: ",") } ?? "*"))
        parts.append("type=" + (types.map { $0.sorted().joined(separator: ",") } ?? "*"))
        parts.append("version=" + versions.map { match -> String in
            switch match {
            case .first: return "first"
            case .last: return "last"
            case .all: return "all"
            case .at(let stamp): return "\(stamp.seconds).\(stamp.nanoseconds)"
            }
        }.sorted().joined(separator: ","))
        parts.append("spec=" + (specVersions.map { $0.sorted().joined(separator: ",") } ?? "*"))
        return Digest.sha256(Array(parts.joined(separator: "\n").utf8))
    }
}
