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
        let after = query.addedAfter.map(StoredValue.microseconds)
        let rows = try await rows("reading objects", """
            SELECT collection, stix_id, version, date_added_us, originator, label, local_level, bytes, stix_type
            FROM objects WHERE collection = \(collection) AND (\(after)::bigint IS NULL OR date_added_us > \(after)::bigint)
              AND (\(query.ids == nil) OR stix_id = ANY(\(query.ids ?? [])::text[]))
            ORDER BY date_added_us
            """) { row in
            StoredObject(
                collection: try row[0].decode(String.self), stixID: try row[1].decode(String.self), version: try row[2].decode(String.self),
                dateAdded: StoredValue.date(microseconds: try row[3].decode(Int64.self)),
                originator: try StoredValue.party(row[4].decode(String.self), "an objects row"), label: try row[5].decode(String.self),
                localLevel: try row[6].decode(String.self), bytes: try row[7].decode(Data.self))
        }
        return rows.filter(query.matches)
    }
}
