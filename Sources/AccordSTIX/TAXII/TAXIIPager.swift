/// One version of an object in a collection, with when the collection received it.
public struct TAXIIRecord: Hashable, Sendable {
    /// The object.
    public let object: STIXObject
    /// When the server added this version to the collection.
    public let dateAdded: STIXTimestamp

    public init(object: STIXObject, dateAdded: STIXTimestamp) {
        self.object = object
        self.dateAdded = dateAdded
    }

    /// The TAXII version: `modified`, else `created`, else the date added (§3.4.2).
    public var version: STIXTimestamp { object.version ?? dateAdded }
    /// The object's STIX version (`2.1`; observables without `spec_version` are 2.1 objects here).
    public var specVersion: String { object["spec_version"]?.stringValue ?? "2.1" }

    /// The manifest record (§5.4.1).
    public var manifestJSON: JSONValue {
        ["id": .string(object.id.description), "date_added": .string(dateAdded.text), "version": .string(version.text),
         "media_type": .string(TAXIIMediaType.stix)]
    }
}

/// One page of records, in date-added order, with what the response needs.
public struct TAXIIPage: Hashable, Sendable {
    /// The records of this page.
    public let records: [TAXIIRecord]
    /// Whether more records match.
    public let more: Bool
    /// The cursor for the next page, when `more`.
    public let next: String?

    /// `X-TAXII-Date-Added-First`: the date added of the page's first record.
    public var dateAddedFirst: STIXTimestamp? { records.first?.dateAdded }
    /// `X-TAXII-Date-Added-Last`: the date added of the page's last record.
    public var dateAddedLast: STIXTimestamp? { records.last?.dateAdded }

    /// The page as an envelope (objects endpoint).
    public var envelope: TAXIIEnvelope { TAXIIEnvelope(more: more, next: next, objects: records.map(\.object)) }

    /// The page as a manifest resource (§5.4.1): `{"more", "next", "objects": [manifest-record]}`.
    public var manifestJSON: JSONValue { resource("objects", records.map(\.manifestJSON)) }

    /// The page as a versions resource (§5.7.1): `{"more", "next", "versions": [timestamps]}`.
    public var versionsJSON: JSONValue { resource("versions", records.map { .string($0.version.text) }) }

    private func resource(_ name: String, _ items: [JSONValue]) -> JSONValue {
        guard !items.isEmpty || more else { return .object([:]) }
        var members: [String: JSONValue] = ["more": .bool(more)]
        members["next"] = next.map(JSONValue.string)
        if !items.isEmpty { members[name] = .array(items) }
        return .object(members)
    }
}

/// Filters and pages a collection's records as TAXII 2.1 specifies, in memory and without I/O.
///
/// Semantics: `match[id]`, `match[type]` and `match[spec_version]` keep records whose value is in
/// the list (values OR'ed, parameters AND'ed); `added_after` keeps records added strictly after the
/// instant; `match[version]` then picks, per object, the `first`/`last` of the remaining versions,
/// `all`, or those at given instants (a union when several are given). Records are ordered by date
/// added (then id, then version), and a page holds at most `limit` (capped at `maxLimit`). The
/// `next` cursor is opaque: it names the last record returned and the filter it belongs to,
/// authenticated with HMAC-SHA-256 under the server's key, so a forged, altered or reused-with-
/// another-filter cursor is an ``STIXError/Code/invalidCursor`` error.
public struct TAXIIPager: Sendable {
    private let key: [UInt8]
    /// The page size when the request gives no `limit`.
    public let defaultLimit: Int
    /// The largest page served, whatever `limit` asks.
    public let maxLimit: Int

    /// A pager; `key` (at least 16 bytes, secret to the server) authenticates cursors.
    public init(key: [UInt8], defaultLimit: Int = 100, maxLimit: Int = 1000) throws(STIXError) {
        guard key.count >= 16 else { throw STIXError(.invalidCursor, field: "key", "the cursor key must be at least 16 bytes") }
        guard defaultLimit > 0, maxLimit >= defaultLimit else {
            throw STIXError(.invalidFilter, field: "limit", "need 0 < defaultLimit <= maxLimit")
        }
        self.key = key
        self.defaultLimit = defaultLimit
        self.maxLimit = maxLimit
    }

    /// How many records a page holds for `filter`: its `limit`, else the default, at most `maxLimit`.
    public func limit(for filter: TAXIIFilter) -> Int {
        min(filter.limit ?? defaultLimit, maxLimit)
    }

    /// The page of `records` (in any order) that `filter` asks for.
    public func page(_ records: [TAXIIRecord], filter: TAXIIFilter) throws(STIXError) -> TAXIIPage {
        let fingerprint = filter.fingerprint
        let after = try filter.next.map { (cursor: String) throws(STIXError) in try position(from: cursor, fingerprint: fingerprint) }
        let selected = Self.select(records, filter: filter).sorted(by: Self.precedes)
        let remaining = after.map { position in selected.drop { !Self.precedes(position, $0) } } ?? selected[...]
        let page = Array(remaining.prefix(limit(for: filter)))
        let more = remaining.count > page.count
        let next = more ? page.last.map { cursor(for: $0, fingerprint: fingerprint) } : nil
        return TAXIIPage(records: page, more: more, next: next)
    }

    /// The records the filter selects, unordered.
    static func select(_ records: [TAXIIRecord], filter: TAXIIFilter) -> [TAXIIRecord] {
        let candidates = records.filter { record in
            if let ids = filter.ids, !ids.contains(record.object.id) { return false }
            if let types = filter.types, !types.contains(record.object.type) { return false }
            if let specs = filter.specVersions, !specs.contains(record.specVersion) { return false }
            if let addedAfter = filter.addedAfter, !(record.dateAdded > addedAfter) { return false }
            return true
        }
        if filter.versions.contains(.all) { return candidates }
        var byObject: [STIXIdentifier: [TAXIIRecord]] = [:]
        for record in candidates { byObject[record.object.id, default: []].append(record) }
        var result: [TAXIIRecord] = []
        for (_, versions) in byObject {
            var chosen = Set<Int>()
            let ordered = versions.indices.sorted { (versions[$0].version, versions[$0].dateAdded) < (versions[$1].version, versions[$1].dateAdded) }
            for match in filter.versions {
                switch match {
                case .first: if let index = ordered.first { chosen.insert(index) }
                case .last: if let index = ordered.last { chosen.insert(index) }
                case .all: chosen.formUnion(versions.indices)
                case .at(let stamp): chosen.formUnion(versions.indices.filter { versions[$0].version == stamp })
                }
            }
            result += chosen.sorted().map { versions[$0] }
        }
        return result
    }

    /// Date added, then id, then version: a total order, so a cursor names one place in it.
    static func precedes(_ a: TAXIIRecord, _ b: TAXIIRecord) -> Bool {
        if a.dateAdded != b.dateAdded { return a.dateAdded < b.dateAdded }
        if a.object.id != b.object.id { return a.object.id < b.object.id }
        return a.version < b.version
    }

    private struct Position {
        let dateAdded: STIXTimestamp
        let id: STIXIdentifier
        let version: STIXTimestamp
    }

    private static func precedes(_ position: Position, _ record: TAXIIRecord) -> Bool {
        if position.dateAdded != record.dateAdded { return position.dateAdded < record.dateAdded }
        if position.id != record.object.id { return position.id < record.object.id }
        return position.version < record.version
    }

    private func cursor(for record: TAXIIRecord, fingerprint: [UInt8]) -> String {
        let payload = Array("1|\(record.dateAdded.text)|\(record.object.id)|\(record.version.text)".utf8)
        let mac = Digest.hmacSHA256(key: key, fingerprint + payload)
        return Base64URL.encode(payload) + "." + Base64URL.encode(mac)
    }

    private func position(from cursor: String, fingerprint: [UInt8]) throws(STIXError) -> Position {
        let invalid = STIXError(.invalidCursor, field: "next", "is not a cursor this server gave for this query (it may have been altered, or the filters changed)")
        let parts = cursor.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(parts[0]), let mac = Base64URL.decode(parts[1]) else { throw invalid }
        guard Digest.constantTimeEqual(mac, Digest.hmacSHA256(key: key, fingerprint + payload)) else { throw invalid }
        let fields = String(decoding: payload, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0] == "1", let dateAdded = STIXTimestamp(fields[1]), let id = STIXIdentifier(fields[2]),
              let version = STIXTimestamp(fields[3]) else { throw invalid }
        return Position(dateAdded: dateAdded, id: id, version: version)
    }
}

/// Unpadded base64url (RFC 4648 §5).
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(16 - 8 * $1.offset) }
            for position in 0...chunk.count { out.append(alphabet[Int(value >> UInt32(18 - 6 * position) & 0x3F)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var lookup = [UInt8: UInt32]()
        for (index, byte) in alphabet.enumerated() { lookup[byte] = UInt32(index) }
        let input = Array(text.utf8)
        guard input.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < input.count {
            let chunk = input[index..<min(index + 4, input.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() {
                guard let digit = lookup[byte] else { return nil }
                value |= digit << UInt32(18 - 6 * offset)
            }
            for position in 0..<(chunk.count - 1) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(16 - 8 * position))) }
            index += 4
        }
        // Reject non-canonical encodings (stray low bits), so one cursor has one spelling.
        return encode(out) == String(text) ? out : nil
    }
}
