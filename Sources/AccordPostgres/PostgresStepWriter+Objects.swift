import AccordCore
import AccordStore
import Foundation
import NIOCore
import PostgresNIO

extension PostgresStepWriter {
    /// Inserts TAXII objects in one statement; an existing (collection, id, version) is left alone.
    /// Dates added move past the collection's latest (the step holds the audit-head lock, so no
    /// other step writes objects meanwhile): unique and increasing per collection.
    func writeObjects(_ objects: [StoredObject]) async throws {
        guard !objects.isEmpty else { return }
        var latest: [String: Int64] = [:]
        for collection in Set(objects.map(\.collection)) {
            for try await value in try await connection.query(
                "SELECT MAX(date_added_us) FROM objects WHERE collection = \(collection)", logger: logger
            ).decode(Int64?.self) {
                latest[collection] = value
            }
        }
        var added: [Int64] = []
        for object in objects {
            var value = StoredValue.microseconds(object.dateAdded)
            if let last = latest[object.collection] { value = max(value, last + 1) }
            latest[object.collection] = value
            added.append(value)
        }
        try await connection.query("""
            INSERT INTO objects (collection, stix_id, version, stix_type, date_added_us, originator, label, local_level, bytes)
            SELECT * FROM unnest(\(objects.map(\.collection))::text[], \(objects.map(\.stixID))::text[],
                                 \(objects.map(\.version))::text[], \(objects.map(\.stixType))::text[], \(added)::bigint[],
                                 \(objects.map(\.originator.rawValue))::text[], \(objects.map(\.label))::text[],
                                 \(objects.map(\.localLevel))::text[], \(objects.map { ByteBuffer(bytes: $0.bytes) })::bytea[])
            ON CONFLICT (collection, stix_id, version) DO NOTHING
            """, logger: logger)
    }
}

extension PostgresStore {
    public func objects(collection: String, query: ObjectQuery) async throws -> [StoredObject] {
        if query.selectsNothing { return [] }
        let after = query.addedAfter.map(StoredValue.microseconds), until = query.addedUntil.map(StoredValue.microseconds)
        let labels = query.labels.map(Array.init) ?? []
        return try await rows("reading objects", """
            SELECT collection, stix_id, version, date_added_us, originator, label, local_level, bytes
            FROM objects WHERE collection = \(collection) AND (\(after)::bigint IS NULL OR date_added_us > \(after)::bigint)
              AND (\(until)::bigint IS NULL OR date_added_us <= \(until)::bigint)
              AND (\(query.ids == nil) OR stix_id = ANY(\(query.ids ?? [])::text[]))
              AND (\(query.types == nil) OR stix_type = ANY(\(query.types ?? [])::text[]))
              AND (\(query.labels == nil) OR (label, local_level) IN (
                   SELECT * FROM unnest(\(labels.map(\.label))::text[], \(labels.map(\.localLevel))::text[])))
            ORDER BY date_added_us LIMIT \(query.limit.map(Int64.init))::bigint
            """) { row in
            StoredObject(
                collection: try row[0].decode(String.self), stixID: try row[1].decode(String.self), version: try row[2].decode(String.self),
                dateAdded: StoredValue.date(microseconds: try row[3].decode(Int64.self)),
                originator: try StoredValue.party(row[4].decode(String.self), "an objects row"), label: try row[5].decode(String.self),
                localLevel: try row[6].decode(String.self), bytes: try row[7].decode(Data.self))
        }
    }

    public func objectLabels(collection: String, query: ObjectQuery) async throws -> ObjectLabelSummary {
        let after = query.addedAfter.map(StoredValue.microseconds), until = query.addedUntil.map(StoredValue.microseconds)
        let rows = try await rows("reading objects", """
            WITH selected AS (
                SELECT stix_id, label, local_level, date_added_us FROM objects
                WHERE collection = \(collection) AND (\(after)::bigint IS NULL OR date_added_us > \(after)::bigint)
                  AND (\(until)::bigint IS NULL OR date_added_us <= \(until)::bigint)
                  AND (\(query.ids == nil) OR stix_id = ANY(\(query.ids ?? [])::text[]))
                  AND (\(query.types == nil) OR stix_type = ANY(\(query.types ?? [])::text[])))
            SELECT label, local_level, MIN(date_added_us), MAX(date_added_us),
                   EXISTS (SELECT 1 FROM selected GROUP BY stix_id HAVING COUNT(*) > 1)
            FROM selected GROUP BY label, local_level
            """) { row in
            (ObjectLabel(label: try row[0].decode(String.self), localLevel: try row[1].decode(String.self)),
             StoredValue.date(microseconds: try row[2].decode(Int64.self)), try row[3].decode(Int64.self), try row[4].decode(Bool.self))
        }
        return ObjectLabelSummary(firstAdded: Dictionary(rows.map { ($0.0, $0.1) }, uniquingKeysWith: min), hasVersions: rows.contains { $0.3 },
                                  lastAdded: rows.map(\.2).max().map(StoredValue.date(microseconds:)))
    }
}
