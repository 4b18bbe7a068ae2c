import AccordCore
import AccordStore
import Foundation
import GRDB

extension SQLiteStepWriter {
    /// Inserts TAXII objects; an existing (collection, id, version) is left alone. Dates added move
    /// past the collection's latest so they stay unique and increasing (we hold the writer lock).
    func writeObjects(_ objects: [StoredObject]) throws {
        var latest: [String: Int64] = [:]
        for object in objects {
            let last: Int64
            if let known = latest[object.collection] {
                last = known
            } else {
                last = try Int64.fetchOne(db, SQLRequest<Int64>(literal: """
                    SELECT MAX(date_added_us) FROM objects WHERE collection = \(object.collection)
                    """)) ?? Int64.min
            }
            let added = max(StoredValue.microseconds(object.dateAdded), last == Int64.min ? Int64.min : last + 1)
            try execute("""
                INSERT INTO objects (collection, stix_id, version, stix_type, date_added_us, originator, label, local_level, bytes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (collection, stix_id, version) DO NOTHING
                """, [object.collection, object.stixID, object.version, object.stixType, added,
                      object.originator.rawValue, object.label, object.localLevel, object.bytes])
            latest[object.collection] = db.changesCount == 0 ? last : added
        }
    }
}

extension SQLiteStore {
    public func objects(collection: String, query: ObjectQuery) async throws -> [StoredObject] {
        if query.selectsNothing { return [] }
        return try await read("reading objects") { db in
            var sql: SQL = """
                SELECT collection, stix_id, version, date_added_us, originator, label, local_level, bytes
                FROM objects WHERE \(Self.objectFilter(collection: collection, query: query))
                """
            if let labels = query.labels {
                let pairs = labels.map { SQL("(\($0.label), \($0.localLevel))") }.joined(separator: ", ")
                sql += " AND (label, local_level) IN (VALUES \(pairs))"
            }
            sql += " ORDER BY date_added_us"
            if let limit = query.limit { sql += " LIMIT \(limit)" }
            return try Row.fetchAll(db, SQLRequest<Row>(literal: sql)).map { row in
                StoredObject(
                    collection: try row.decode(atIndex: 0), stixID: try row.decode(atIndex: 1), version: try row.decode(atIndex: 2),
                    dateAdded: StoredValue.date(microseconds: try row.decode(atIndex: 3)),
                    originator: try StoredValue.party(row.decode(atIndex: 4), "an objects row"), label: try row.decode(atIndex: 5),
                    localLevel: try row.decode(atIndex: 6), bytes: try row.decode(atIndex: 7))
            }
        }
    }

    public func objectLabels(collection: String, query: ObjectQuery) async throws -> ObjectLabelSummary {
        try await read("reading objects") { db in
            let filter = Self.objectFilter(collection: collection, query: query)
            let rows = try Row.fetchAll(db, SQLRequest<Row>(literal: """
                SELECT label, local_level, MIN(date_added_us), MAX(date_added_us) FROM objects WHERE \(filter) GROUP BY label, local_level
                """))
            var firstAdded: [ObjectLabel: Date] = [:]
            var lastAdded: Int64?
            for row in rows {
                let first = StoredValue.date(microseconds: try row.decode(atIndex: 2))
                // Labels that differ only in Unicode normalisation are one key in Swift: the earliest date wins.
                let key = ObjectLabel(label: try row.decode(atIndex: 0), localLevel: try row.decode(atIndex: 1))
                firstAdded[key] = min(firstAdded[key] ?? first, first)
                lastAdded = max(lastAdded ?? .min, try row.decode(atIndex: 3))
            }
            let versions = try Bool.fetchOne(db, SQLRequest<Bool>(literal: """
                SELECT EXISTS (SELECT 1 FROM objects WHERE \(filter) GROUP BY stix_id HAVING COUNT(*) > 1)
                """)) ?? false
            return ObjectLabelSummary(firstAdded: firstAdded, hasVersions: versions, lastAdded: lastAdded.map(StoredValue.date(microseconds:)))
        }
    }

    /// The collection, `added_after`, ids and types of `query` as a condition.
    private static func objectFilter(collection: String, query: ObjectQuery) -> SQL {
        var sql: SQL = "collection = \(collection)"
        if let after = query.addedAfter { sql += " AND date_added_us > \(StoredValue.microseconds(after))" }
        if let until = query.addedUntil { sql += " AND date_added_us <= \(StoredValue.microseconds(until))" }
        if let ids = query.ids { sql += " AND stix_id IN \(ids)" }
        if let types = query.types { sql += " AND stix_type IN \(types)" }
        return sql
    }
}
