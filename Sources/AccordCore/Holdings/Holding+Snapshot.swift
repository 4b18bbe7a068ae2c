import Foundation

extension Holding {
    /// A holding as plain values, for storage: levels and labels as their codes and text, read back
    /// against the party directory. Format: JSON with these field names (`docs/agreements.md`, Holdings).
    public struct Snapshot: Codable, Sendable, Equatable {
        public struct Entry: Codable, Sendable, Equatable {
            public let at: Date
            public let what: String
        }
        public let id: String
        public let objectID: String
        public let holder: PartyCode
        public let receivedFrom: PartyCode
        public let agreements: [String]
        public let purpose: String
        public let received: Date
        /// The originator's label, text form.
        public let label: String
        /// The label's creation time, if known.
        public let labelCreated: Date?
        /// The holder's equivalent level, ASCII code.
        public let localLevel: String
        public let location: String
        public let custodian: String
        /// `held`, `returned` or `destroyed`.
        public let status: String
        public let disposedAt: Date?
        public let disposedBy: String?
        public let disposalRecord: String?
        public let record: [Entry]
    }

    /// The holding as plain values.
    public var snapshot: Snapshot {
        var disposal: (String, Date?, String?, String?) = ("held", nil, nil, nil)
        switch status {
        case .held: break
        case .returned(let at, let by, let text): disposal = ("returned", at, by, text)
        case .destroyed(let at, let by, let text): disposal = ("destroyed", at, by, text)
        }
        return Snapshot(
            id: id, objectID: objectID, holder: holder, receivedFrom: receivedFrom, agreements: agreements, purpose: purpose,
            received: received, label: originatorLabel.text, labelCreated: originatorLabel.created, localLevel: localLevel.code,
            location: custody.location, custodian: custody.custodian, status: disposal.0, disposedAt: disposal.1,
            disposedBy: disposal.2, disposalRecord: disposal.3, record: record.map { Snapshot.Entry(at: $0.at, what: $0.what) })
    }

    /// Restores a stored holding; a snapshot whose label or level no longer reads is an error, not a guess.
    public init(snapshot: Snapshot, parties: PartyDirectory) throws(HoldingError) {
        let label: Label
        do { label = try LabelParser(parties: parties).parse(snapshot.label).created(at: snapshot.labelCreated) } catch {
            throw HoldingError(.badLevel, "stored holding \(snapshot.id) has an unreadable label: \(error.message)")
        }
        guard let local = parties[snapshot.holder]?.scheme.level(named: snapshot.localLevel) else {
            throw HoldingError(.badLevel, "stored holding \(snapshot.id) has unknown level \(snapshot.localLevel) for \(snapshot.holder)")
        }
        let status: Status
        switch (snapshot.status, snapshot.disposedAt, snapshot.disposedBy, snapshot.disposalRecord) {
        case ("held", _, _, _): status = .held
        case ("returned", let at?, let by?, let text?): status = .returned(at: at, by: by, record: text)
        case ("destroyed", let at?, let by?, let text?): status = .destroyed(at: at, by: by, record: text)
        default: throw HoldingError(.missingRecord, "stored holding \(snapshot.id) has status \(snapshot.status) without its record")
        }
        self.init(
            id: snapshot.id, objectID: snapshot.objectID, holder: snapshot.holder, receivedFrom: snapshot.receivedFrom,
            agreements: snapshot.agreements, purpose: snapshot.purpose, received: snapshot.received, originatorLabel: label,
            localLevel: local, custody: Custody(location: snapshot.location, custodian: snapshot.custodian), status: status,
            record: snapshot.record.map { Event(at: $0.at, what: $0.what) })
    }
}
