import AccordAudit
import AccordCore
import AccordSTIX
import AccordStore
import Foundation
import Logging
import Synchronization

/// A refused TAXII request: the error object sent, with its HTTP status.
struct TAXIIFailure: Error, Sendable {
    let object: TAXIIErrorObject
    var status: Int { object.httpStatus ?? 400 }

    init(_ object: TAXIIErrorObject) { self.object = object }

    init(_ status: Int, _ title: String, code: String, _ description: String, field: String? = nil) {
        object = TAXIIErrorObject(title: title, description: description, errorCode: code, httpStatus: status,
                                  details: field.map { ["field": .string($0)] } ?? [:])
    }

    init(_ error: STIXError) { object = TAXIIErrorObject(error) }
}

/// The TAXII server's logic, without HTTP: which objects a user sees and how they are marked,
/// and how a POST becomes releases. Routes are in ``TAXIIRoutes``.
final class TAXIIService: Sendable {
    let engine: NodeEngine
    let catalog: TAXIICatalog
    let options: TAXIIOptions
    let pager: TAXIIPager
    private let statuses: Mutex<TAXIIStatusLog>

    init(engine: NodeEngine, options: TAXIIOptions) throws {
        if let problem = options.problem { throw NodeConfigurationError(problem) }
        self.engine = engine
        self.catalog = TAXIICatalog(party: engine.party, book: engine.book)
        self.options = options
        self.statuses = Mutex(TAXIIStatusLog(capacity: options.maxStatuses))
        var key = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in key.indices { key[index] = generator.next() }
        self.pager = try TAXIIPager(key: key, defaultLimit: options.defaultLimit, maxLimit: options.maxLimit)
    }

    func collection(_ idOrAlias: String) throws(TAXIIFailure) -> TAXIICollectionEntry {
        guard let entry = catalog.entry(idOrAlias) else {
            throw TAXIIFailure(404, "Collection not found", code: "not-found", "there is no collection '\(idOrAlias.prefix(80))' on this API root")
        }
        return entry
    }

    // MARK: Reading

    /// The records of `entry` that `user` may read, marked in the user's national scheme, with a
    /// marking-definition record per label (added with the first object it marks). Objects named by
    /// id (`match[id]`, object by id) that the user may not read are audited as denied; returned ones
    /// as granted (``audit(granted:)``).
    /// `windowed: false` reads every row, as when an object has several versions (tests compare the two).
    func records(_ entry: TAXIICollectionEntry, for user: User, filter: TAXIIFilter, windowed: Bool = true) async throws -> [TAXIIRecord] {
        let markingsWanted = filter.types.map { $0.contains("marking-definition") } ?? true
        var query = ObjectQuery(addedAfter: filter.addedAfter.map { StoredValue.date(microseconds: Self.microseconds($0) - 1) })
        if let ids = filter.ids, !ids.contains(where: { $0.type == "marking-definition" }) { query.ids = ids.map(\.description) }
        if let types = filter.types, !markingsWanted { query.types = Array(types) }
        guard let scheme = engine.book.parties[engine.party]?.scheme else { return [] }
        var labels = TAXIILabelCache(parser: LabelParser(parties: engine.book.parties), scheme: scheme)
        // A listing (no ids) that picks no versions by instant: when no object has two versions, the page is known
        // from the labels alone, and only its rows are read (``windowRecords(_:for:filter:query:summary:labels:markingsWanted:)``).
        if windowed, filter.ids == nil, filter.specVersions == nil, filter.versions.allSatisfy({ $0 == .first || $0 == .last || $0 == .all }) {
            let summary = try await engine.store.objectLabels(collection: entry.id, query: query)
            if !summary.hasVersions {
                return try await windowRecords(entry, for: user, filter: filter, query: query, summary: summary, labels: &labels,
                                               markingsWanted: markingsWanted)
            }
        }
        let stored = try await engine.store.objects(collection: entry.id, query: query)
        // Rows added before the `next` cursor's record can never be on this page: they are not
        // decoded, unless another version of the same object is at or after the cursor (version
        // matching looks at all of an object's versions). Their label still counts, so that each
        // marking keeps the date added of the first object it marks.
        let skipBefore = filter.next.flatMap(Self.cursorDateAdded).map(Self.microseconds)
        let straddling = skipBefore.map { bound in Set(stored.lazy.filter { StoredValue.microseconds($0.dateAdded) >= bound }.map(\.stixID)) }
        let window = Self.pageWindow(stored, for: user, filter: filter, limit: pager.limit(for: filter), after: skipBefore, labels: &labels, party: engine.party)
        var records: [TAXIIRecord] = []
        var markings: [STIXIdentifier: TAXIIRecord] = [:]
        var denied: [AuditEvent] = []
        for row in stored {
            guard let read = labels.read(row.label, level: row.localLevel) else {
                engine.logger.error("TAXII object with an unreadable label or level", metadata: ["accord.object": "\(row.stixID)"])
                continue
            }
            let reasons = Self.refusals(user, label: read.label, level: read.level, party: engine.party)
            guard reasons.isEmpty else {
                if filter.ids != nil { denied.append(.accessDenied(user: user.id, envelopeID: row.stixID, reasons: reasons)) }
                continue
            }
            let (marking, markingID) = try labels.marking(read, party: engine.party, book: engine.book)
            func keepMarking() {
                if markingsWanted, markings[markingID] == nil { markings[markingID] = TAXIIRecord(object: marking.object, dateAdded: Self.stamp(row.dateAdded)) }
            }
            if let window, !window.contains(StoredValue.microseconds(row.dateAdded)) {
                keepMarking()
                continue
            }
            if window == nil, let skipBefore, let straddling, StoredValue.microseconds(row.dateAdded) < skipBefore, !straddling.contains(row.stixID) {
                keepMarking()
                continue
            }
            guard let record = try decode(row, read: read, markingID: markingID) else { continue }
            records.append(record)
            keepMarking()
        }
        if !denied.isEmpty { try await engine.commit(StepWrite(), events: denied) }
        return records + markings.values
    }

    /// A stored row as a record; marked with this node's marking when another party's. Nil (logged) if it does not decode.
    private func decode(_ row: StoredObject, read: TAXIILabelCache.Read, markingID: STIXIdentifier) throws -> TAXIIRecord? {
        guard let json = try? JSONReader(maxBytes: max(8 << 20, options.maxContentLength), maxDepth: 32).parse(row.bytes),
              var object = try? STIXObject(json: json) else {
            engine.logger.error("stored TAXII object does not decode", metadata: ["accord.object": "\(row.stixID)"])
            return nil
        }
        if read.label.originator != engine.party {
            var properties = object.properties
            properties["object_marking_refs"] = .array([.string(markingID.description)])
            object = try STIXObject(properties: properties)
        }
        return TAXIIRecord(object: object, dateAdded: Self.stamp(row.dateAdded))
    }

    /// The records of a page when no object has two versions among the rows `query` selects: the same records
    /// the full reading gives for this page (the page's rows, and every marking with the date of the first object
    /// it marks), but the store computes each label's first date, and only the first `limit + 2` rows the user may
    /// read from the cursor's date on are read (one more for `more`, one for the cursor's own record).
    private func windowRecords(
        _ entry: TAXIICollectionEntry, for user: User, filter: TAXIIFilter, query: ObjectQuery, summary: ObjectLabelSummary,
        labels: inout TAXIILabelCache, markingsWanted: Bool
    ) async throws -> [TAXIIRecord] {
        var readable: [ObjectLabel: TAXIILabelCache.Read] = [:]
        var markings: [STIXIdentifier: TAXIIRecord] = [:]
        for (key, first) in summary.firstAdded {
            guard let read = labels.read(key.label, level: key.localLevel) else {
                engine.logger.error("TAXII objects with an unreadable label or level", metadata: ["accord.label": "\(key.label)"])
                continue
            }
            guard Self.refusals(user, label: read.label, level: read.level, party: engine.party).isEmpty else { continue }
            readable[key] = read
            guard markingsWanted else { continue }
            let (marking, markingID) = try labels.marking(read, party: engine.party, book: engine.book)
            if let kept = markings[markingID], kept.dateAdded <= Self.stamp(first) { continue }
            markings[markingID] = TAXIIRecord(object: marking.object, dateAdded: Self.stamp(first))
        }
        // The rows the pager keeps: of the filter's types (markings are not rows), under a label the user may read.
        // Bounded by the summary's last date: what was committed since (later by construction) waits for the next page,
        // so the rows read are those the summary described (their labels, one version each).
        var window = ObjectQuery(addedUntil: summary.lastAdded, types: filter.types.map { Array($0) }, labels: Set(readable.keys),
                                 limit: pager.limit(for: filter) + 2)
        // From the cursor's date on (inclusive), and strictly after `added_after`.
        let bounds = [filter.next.flatMap(Self.cursorDateAdded).map { Self.microseconds($0) - 1 }, filter.addedAfter.map(Self.microseconds)]
        if let bound = bounds.compactMap({ $0 }).max() { window.addedAfter = StoredValue.date(microseconds: bound) }
        var records: [TAXIIRecord] = []
        for row in try await engine.store.objects(collection: entry.id, query: window) {
            guard let read = readable[ObjectLabel(label: row.label, localLevel: row.localLevel)] else { continue }
            let markingID = try labels.marking(read, party: engine.party, book: engine.book).id
            if let record = try decode(row, read: read, markingID: markingID) { records.append(record) }
        }
        return records + markings.values
    }

    /// The rows that can be on the page, by their date added, when that is knowable without decoding
    /// any object; nil otherwise (then every row at or after the cursor is decoded).
    ///
    /// Knowable when the filter asks neither for STIX versions nor for versions at given instants, and
    /// no object has two versions among the rows `user` may read that match its ids, types and
    /// `added_after`: the filter then keeps exactly those rows, whose dates added are unique in a
    /// collection and order the page, so the page lies within the first `limit + 2` of them from the
    /// cursor's date (one more for `more`, one for the cursor's own record). The pager still applies
    /// the whole filter to what is decoded: this only spares decoding rows that cannot be on the page.
    static func pageWindow(
        _ stored: [StoredObject], for user: User, filter: TAXIIFilter, limit: Int, after cursor: Int64?,
        labels: inout TAXIILabelCache, party: PartyCode
    ) -> Set<Int64>? {
        guard filter.specVersions == nil, filter.versions.allSatisfy({ $0 == .first || $0 == .last || $0 == .all }) else { return nil }
        let ids = filter.ids.map { Set($0.map(\.description)) }
        var seen = Set<String>()
        var candidates: [Int64] = []
        for row in stored {
            guard let read = labels.read(row.label, level: row.localLevel),
                  refusals(user, label: read.label, level: read.level, party: party).isEmpty else { continue }
            if let ids, !ids.contains(row.stixID) { continue }
            if let types = filter.types, !types.contains(row.stixType) { continue }
            if let addedAfter = filter.addedAfter, !(stamp(row.dateAdded) > addedAfter) { continue }
            // A second version the filter keeps: which one `first`/`last` picks needs the objects.
            guard seen.insert(row.stixID).inserted else { return nil }
            candidates.append(StoredValue.microseconds(row.dateAdded))
        }
        candidates.sort()
        let start = cursor.map { bound in candidates.firstIndex { $0 >= bound } ?? candidates.endIndex } ?? 0
        return Set(candidates[start...].prefix(limit + 2))
    }

    /// Audits the objects a response carries (markings are not audited: they are labels, not information).
    func audit(granted page: TAXIIPage, user: User) async throws {
        let events = page.records.filter { $0.object.type != "marking-definition" }
            .map { AuditEvent.accessGranted(user: user.id, envelopeID: $0.object.id.description) }
        if !events.isEmpty { try await engine.commit(StepWrite(), events: events) }
    }

    /// Why `user` may not read an object with `label` held at `level` (empty: they may).
    static func refusals(_ user: User, label: Label, level: ClassificationLevel, party: PartyCode) -> [String] {
        var reasons: [String] = []
        if user.party != party { reasons.append("\(user.id) belongs to \(user.party), not to \(party)") }
        if user.clearance.rank < level.rank { reasons.append("\(user.id)'s clearance \(user.clearance.code) is below \(level.code) (Art. 7)") }
        let missing = label.topics.filter { !user.needToKnow.contains($0) }
        if !missing.isEmpty { reasons.append("\(user.id) has no need-to-know for \(missing.map(\.rawValue).joined(separator: ", "))") }
        return reasons
    }

    // MARK: Status

    func keep(_ status: TAXIIStatus, owner: String) {
        statuses.withLock { $0.keep(status, owner: owner) }
    }

    func status(_ id: String, for user: User) throws(TAXIIFailure) -> TAXIIStatus {
        guard let status = statuses.withLock({ $0.status(id.lowercased(), owner: user.id) }) else {
            throw TAXIIFailure(404, "Status not found", code: "not-found",
                               "no status '\(id.prefix(80))' for \(user.id) (statuses are kept in memory, the last \(options.maxStatuses), until the node restarts)")
        }
        return status
    }

    /// The date added named by a `next` cursor, read without checking it: only a hint for which
    /// rows to decode (``TAXIIPager`` authenticates the cursor and refuses a forged one). The
    /// cursor's payload is `1|<date added>|<id>|<version>` in base64url before the `.`; any
    /// other shape gives `nil` (every row is decoded).
    static func cursorDateAdded(_ cursor: String) -> STIXTimestamp? {
        guard let payload = cursor.split(separator: ".", maxSplits: 1).first, payload.count < 512 else { return nil }
        var base64 = payload.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        let fields = String(decoding: data, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0] == "1" else { return nil }
        return STIXTimestamp(String(fields[1]))
    }

    // MARK: Time

    /// Microseconds since 1970, exactly.
    static func microseconds(_ stamp: STIXTimestamp) -> Int64 { stamp.seconds * 1_000_000 + Int64(stamp.nanoseconds) / 1000 }

    /// A date added as a STIX timestamp with microseconds (`2025-03-01T10:00:00.123456Z`).
    static func stamp(_ date: Date) -> STIXTimestamp {
        let micros = StoredValue.microseconds(date)
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let base = String(STIXTimestamp(Date(timeIntervalSince1970: Double(seconds))).text.dropLast(4))  // "…:SS."
        let fraction = String(micros - seconds * 1_000_000)
        let padding = String(repeating: "0", count: 6 - fraction.count)
        return STIXTimestamp(base + padding + fraction + "Z")!
    }
}
