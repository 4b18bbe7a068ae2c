import AccordCore
import Foundation

/// One version of a STIX object in one of the node's TAXII collections: the originator's object
/// released under an agreement, or one received from an ally with its holding.
///
/// The store keeps the bytes opaque; `label` and `localLevel` are what access checks read
/// (clearance at `localLevel`, need-to-know for every topic of `label`) without opening them.
public struct StoredObject: Sendable, Equatable {
    /// The collection's id.
    public let collection: String
    /// The STIX id (`report--…`).
    public let stixID: String
    /// The object's version: `modified`, else `created` (STIX timestamp text).
    public let version: String
    /// When the collection received it, to the microsecond. Unique and increasing per collection:
    /// on write the store moves it past the collection's latest (see ``StepWrite/objects``).
    public let dateAdded: Date
    /// The party whose information it is.
    public let originator: PartyCode
    /// The originator's label, text form.
    public let label: String
    /// The level this node holds it at, a code of the node's own scheme.
    public let localLevel: String
    /// The object's JSON.
    public let bytes: Data

    public init(
        collection: String, stixID: String, version: String, dateAdded: Date, originator: PartyCode, label: String,
        localLevel: String, bytes: Data
    ) {
        self.collection = collection
        self.stixID = stixID
        self.version = version
        self.dateAdded = dateAdded
        self.originator = originator
        self.label = label
        self.localLevel = localLevel
        self.bytes = bytes
    }

    /// The STIX type: the id's part before `--`.
    public var stixType: String {
        guard let range = stixID.range(of: "--") else { return stixID }
        return String(stixID[..<range.lowerBound])
    }
}

/// Which objects of a collection to read; `nil` means any value.
public struct ObjectQuery: Sendable, Equatable {
    /// Only objects added strictly after this instant.
    public var addedAfter: Date?
    /// Only objects added at or before this instant.
    public var addedUntil: Date?
    /// Only these STIX ids.
    public var ids: [String]?
    /// Only these STIX types.
    public var types: [String]?
    /// Only objects held under one of these labels at these levels.
    public var labels: Set<ObjectLabel>?
    /// At most this many (the oldest).
    public var limit: Int?

    public init(
        addedAfter: Date? = nil, addedUntil: Date? = nil, ids: [String]? = nil, types: [String]? = nil, labels: Set<ObjectLabel>? = nil,
        limit: Int? = nil
    ) {
        self.addedAfter = addedAfter
        self.addedUntil = addedUntil
        self.ids = ids
        self.types = types
        self.labels = labels
        self.limit = limit
    }

    /// Whether the query can select nothing whatever is stored (no labels allowed, or a limit of 0): the backends answer
    /// it without asking the database.
    public var selectsNothing: Bool { labels?.isEmpty == true || limit.map { $0 <= 0 } == true }

    /// Whether `object` matches (what the backends' SQL selects, but for ``limit``).
    public func matches(_ object: StoredObject) -> Bool {
        if let addedAfter, !(StoredValue.microseconds(object.dateAdded) > StoredValue.microseconds(addedAfter)) { return false }
        if let addedUntil, !(StoredValue.microseconds(object.dateAdded) <= StoredValue.microseconds(addedUntil)) { return false }
        if let ids, !ids.contains(object.stixID) { return false }
        if let types, !types.contains(object.stixType) { return false }
        if let labels, !labels.contains(ObjectLabel(label: object.label, localLevel: object.localLevel)) { return false }
        return true
    }
}

/// A label and the level this node holds it at: what decides whether a user may read an object.
public struct ObjectLabel: Sendable, Hashable {
    public let label: String
    public let localLevel: String

    public init(label: String, localLevel: String) {
        self.label = label
        self.localLevel = localLevel
    }
}

/// What a TAXII page needs to know about a whole collection without reading its objects
/// (``NodeStore/objectLabels(collection:query:)``).
public struct ObjectLabelSummary: Sendable, Equatable {
    /// Each label (at its level) among the objects the query selects, with the earliest date one of them was added.
    public var firstAdded: [ObjectLabel: Date]
    /// Whether some object has more than one version among them.
    public var hasVersions: Bool
    /// The latest date added among them (nil: none): rows committed after the summary are later, so a read bounded
    /// by it sees the rows the summary describes and no others.
    public var lastAdded: Date?

    public init(firstAdded: [ObjectLabel: Date], hasVersions: Bool, lastAdded: Date?) {
        self.firstAdded = firstAdded
        self.hasVersions = hasVersions
        self.lastAdded = lastAdded
    }
}
