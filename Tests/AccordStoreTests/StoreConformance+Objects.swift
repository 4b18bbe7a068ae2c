import AccordCore
import AccordStore
import Foundation
import Testing

extension StoreConformance {
    func storedObject(_ id: String, version: String = "2024-01-01T00:00:00.000Z", collection: String = "c1", at seconds: Double) -> StoredObject {
        StoredObject(
            collection: collection, stixID: id, version: version, dateAdded: Date(timeIntervalSince1970: 1_700_000_000 + seconds),
            originator: KR, label: "KR//II//REL TO JP//TOPIC nk-missile", localLevel: "II", bytes: bytes("{\"id\":\"\(id)\"}"))
    }

    /// Objects are written with the step, deduplicated by (collection, id, version), filtered,
    /// and their dates added are unique and increasing per collection even when the clock stands still.
    func objectsRoundTrip() async throws {
        let a = storedObject("report--a", at: 10), b = storedObject("note--b", at: 10), c = storedObject("report--c", at: 5)
        try await store.commit(StepWrite(outbox: [outbox("e1")], objects: [a, b, storedObject("report--x", collection: "c2", at: 1)]))
        try await store.commit(StepWrite(objects: [c, a]))  // c's clock is behind; a again is a no-op
        let all = try await store.objects(collection: "c1", query: ObjectQuery())
        #expect(all.map(\.stixID) == ["report--a", "note--b", "report--c"])
        let added = all.map { StoredValue.microseconds($0.dateAdded) }
        #expect(added == added.sorted() && Set(added).count == 3, "\(added)")
        #expect(added[0] == StoredValue.microseconds(a.dateAdded))
        #expect(all[0].bytes == a.bytes && all[0].label == a.label && all[0].localLevel == "II" && all[0].originator == KR)
        #expect(try await store.objects(collection: "c1", query: ObjectQuery(types: ["report"])).map(\.stixID) == ["report--a", "report--c"])
        #expect(try await store.objects(collection: "c1", query: ObjectQuery(ids: ["note--b"])).map(\.stixID) == ["note--b"])
        #expect(try await store.objects(collection: "c1", query: ObjectQuery(addedAfter: all[1].dateAdded)).map(\.stixID) == ["report--c"])
        #expect(try await store.objects(collection: "c2", query: ObjectQuery()).map(\.stixID) == ["report--x"])
        // A new version of an object is a new row.
        try await store.commit(StepWrite(objects: [storedObject("report--a", version: "2024-02-01T00:00:00.000Z", at: 0)]))
        #expect(try await store.objects(collection: "c1", query: ObjectQuery(ids: ["report--a"])).map(\.version)
            == ["2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z"])
        // A step that fails writes none of its objects.
        await expectStoreError(.conflict) {
            try await store.commit(StepWrite(outbox: [outbox("e1")], objects: [storedObject("report--z", at: 20)]))
        }
        #expect(try await store.objects(collection: "c1", query: ObjectQuery(ids: ["report--z"])).isEmpty)
    }
}
