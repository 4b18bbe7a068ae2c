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

    /// What a TAXII page reads of a large collection: the labels with their first dates and whether any object has
    /// several versions (computed by the database), then only a window of rows under given labels, oldest first.
    func objectLabelsAndWindows() async throws {
        func object(_ id: String, label: String, level: String = "II", version: String = "2024-01-01T00:00:00.000Z", at seconds: Double) -> StoredObject {
            StoredObject(collection: "c1", stixID: id, version: version, dateAdded: Date(timeIntervalSince1970: 1_700_000_000 + seconds),
                         originator: KR, label: label, localLevel: level, bytes: bytes("{}"))
        }
        let missile = "KR//II//REL TO JP//TOPIC nk-missile", maritime = "KR//III//REL TO JP//TOPIC maritime"
        try await store.commit(StepWrite(objects: [
            object("report--a", label: missile, at: 1), object("note--b", label: maritime, level: "III", at: 2),
            object("report--c", label: missile, at: 3), object("report--d", label: missile, level: "I", at: 4),
            object("report--e", label: maritime, level: "III", at: 5), object("report--x", label: missile, at: 0).with(collection: "c2"),
        ]))
        let all = try await store.objects(collection: "c1", query: ObjectQuery())
        let added = Dictionary(uniqueKeysWithValues: all.map { ($0.stixID, $0.dateAdded) })
        let summary = try await store.objectLabels(collection: "c1", query: ObjectQuery())
        #expect(summary == ObjectLabelSummary(firstAdded: [
            ObjectLabel(label: missile, localLevel: "II"): added["report--a"]!, ObjectLabel(label: maritime, localLevel: "III"): added["note--b"]!,
            ObjectLabel(label: missile, localLevel: "I"): added["report--d"]!,
        ], hasVersions: false, lastAdded: added["report--e"]!))
        // A read bounded by it.
        #expect(try await store.objects(collection: "c1", query: ObjectQuery(addedUntil: added["report--c"])).map(\.stixID) == ["report--a", "note--b", "report--c"])
        // The query's filters apply; its labels and limit do not.
        let reports = try await store.objectLabels(collection: "c1", query: ObjectQuery(addedAfter: added["report--a"], types: ["report"], limit: 1))
        #expect(reports.firstAdded == [ObjectLabel(label: missile, localLevel: "II"): added["report--c"]!, ObjectLabel(label: missile, localLevel: "I"): added["report--d"]!,
                                       ObjectLabel(label: maritime, localLevel: "III"): added["report--e"]!])
        // A window: under these labels, from an instant, at most so many, oldest first.
        let readable: Set = [ObjectLabel(label: missile, localLevel: "II"), ObjectLabel(label: maritime, localLevel: "III")]
        #expect(try await store.objects(collection: "c1", query: ObjectQuery(labels: readable)).map(\.stixID) == ["report--a", "note--b", "report--c", "report--e"])
        #expect(try await store.objects(collection: "c1", query: ObjectQuery(addedAfter: added["report--a"], labels: readable, limit: 2)).map(\.stixID)
            == ["note--b", "report--c"])
        #expect(try await store.objects(collection: "c1", query: ObjectQuery(types: ["report"], limit: 2)).map(\.stixID) == ["report--a", "report--c"])
        #expect(try await store.objects(collection: "c1", query: ObjectQuery(labels: [])).isEmpty)
        #expect(try await store.objects(collection: "c1", query: ObjectQuery(limit: 0)).isEmpty)
        // A second version of one object.
        try await store.commit(StepWrite(objects: [object("report--c", label: missile, version: "2024-02-01T00:00:00.000Z", at: 6)]))
        #expect(try await store.objectLabels(collection: "c1", query: ObjectQuery()).hasVersions)
        #expect(try await !store.objectLabels(collection: "c1", query: ObjectQuery(ids: ["report--a", "note--b"])).hasVersions)
        #expect(try await store.objectLabels(collection: "empty", query: ObjectQuery()) == ObjectLabelSummary(firstAdded: [:], hasVersions: false, lastAdded: nil))
    }
}

extension StoredObject {
    func with(collection: String) -> StoredObject {
        StoredObject(collection: collection, stixID: stixID, version: version, dateAdded: dateAdded, originator: originator, label: label,
                     localLevel: localLevel, bytes: bytes)
    }
}
