import Foundation

/// Classified information a node received from another party, with the obligations that came with
/// it. Obligations survive the agreement's termination (Art. 21.4) and any dispute (Art. 20).
public struct Holding: Sendable, Equatable, Identifiable {
    /// Where the holding is and who answers for it (Art. 6(f) inventory).
    public struct Custody: Sendable, Equatable {
        /// Facility or system holding it.
        public let location: String
        /// Person or office answerable for it.
        public let custodian: String

        public init(location: String, custodian: String) {
            self.location = location
            self.custodian = custodian
        }
    }

    /// Whether it is still held. Return and destruction are the only ways out (Art. 6(h), Art. 13).
    public enum Status: Sendable, Equatable {
        case held
        case returned(at: Date, by: String, record: String)
        case destroyed(at: Date, by: String, record: String)
    }

    /// A dated entry in the holding's own record.
    public struct Event: Sendable, Equatable {
        /// When.
        public let at: Date
        /// What happened, in one line.
        public let what: String
    }

    /// The holding's identifier at the holder.
    public let id: String
    /// The object's identifier as the originator gave it.
    public let objectID: String
    /// The party that holds it.
    public let holder: PartyCode
    /// The party it came from (the originator, or an intermediary).
    public let receivedFrom: PartyCode
    /// The agreements it was provided under, as the decision listed them.
    public let agreements: [String]
    /// The purpose it was provided for (Art. 6: no other use without approval).
    public let purpose: String
    /// When it was received.
    public let received: Date
    /// The originator's label; changed only by the originator's own reclassification notice.
    public private(set) var originatorLabel: Label
    /// The holder's equivalent level: the marking it protects the object at (Art. 4.2).
    public private(set) var localLevel: ClassificationLevel
    /// Where it is and who answers for it.
    public private(set) var custody: Custody
    /// Held, returned or destroyed.
    public private(set) var status: Status
    /// Everything that happened to it, oldest first.
    public private(set) var record: [Event]

    /// Records a received object. Only an allowed decision can create a holding, and the marking
    /// is the one the decision gives: the originator's name and the holder's equivalent level (Art. 4.2).
    public init(
        id: String, objectID: String, label: Label, decision: Decision, holder: PartyCode, receivedFrom: PartyCode,
        purpose: String, received: Date, custody: Custody
    ) throws(HoldingError) {
        let agreements: [String]
        switch decision {
        case .direct(let agreement, _): agreements = [agreement]
        case .viaIntermediary(_, let used, _, _): agreements = used
        case .denied(let reasons):
            throw HoldingError(.refused, "object \(objectID) was refused: \(reasons.map(\.description).joined(separator: "; "))")
        }
        guard let level = decision.recipientLevel else { throw HoldingError(.refused, "no recipient level") }
        self.id = id
        self.objectID = objectID
        self.holder = holder
        self.receivedFrom = receivedFrom
        self.agreements = agreements
        self.purpose = purpose
        self.received = received
        self.originatorLabel = label
        self.localLevel = level
        self.custody = custody
        self.status = .held
        self.record = [Event(at: received, what: "received from \(receivedFrom) as \(label.text); marked \(label.originator) / \(holder) \(level.nativeName)")]
    }

    /// Restores every field as stored (see ``Holding/init(snapshot:parties:)``).
    init(
        id: String, objectID: String, holder: PartyCode, receivedFrom: PartyCode, agreements: [String], purpose: String,
        received: Date, originatorLabel: Label, localLevel: ClassificationLevel, custody: Custody, status: Status, record: [Event]
    ) {
        self.id = id
        self.objectID = objectID
        self.holder = holder
        self.receivedFrom = receivedFrom
        self.agreements = agreements
        self.purpose = purpose
        self.received = received
        self.originatorLabel = originatorLabel
        self.localLevel = localLevel
        self.custody = custody
        self.status = status
        self.record = record
    }

    /// The marking the holder puts on the object (Art. 4.2): originator's name and the holder's level.
    public var marking: String { "\(originatorLabel.originator) \(originatorLabel.level.nativeName) / \(holder) \(localLevel.nativeName)" }

    /// Whether it is still held.
    public var isHeld: Bool { status == .held }

    /// What the holder owes the originator for as long as it holds the object, whatever the agreement's state.
    public var obligations: [String] {
        [
            "protect at \(holder) \(localLevel.nativeName) (\(localLevel.code)), the equivalent of \(originatorLabel.originator) \(originatorLabel.level.nativeName)",
            "use only for '\(purpose)' unless \(originatorLabel.originator) approves another purpose in writing",
            "release to no third party without \(originatorLabel.originator)'s prior written consent",
            "grant access only to registered people with clearance at or above \(localLevel.code) and need-to-know",
            "report any loss or compromise, or its possibility, to \(originatorLabel.originator) immediately",
            "when no longer needed, return it to \(originatorLabel.originator) or destroy it, with a record",
        ]
    }

    /// Moves the holding to another location or custodian, with a record (Art. 6(f)).
    public mutating func transferCustody(to custody: Custody, at instant: Date) throws(HoldingError) {
        try requireHeld()
        record.append(Event(at: instant, what: "custody moved from \(self.custody.custodian) at \(self.custody.location) to \(custody.custodian) at \(custody.location)"))
        self.custody = custody
    }

    /// Applies the originator's written reclassification to this copy (Art. 6(g)). Anyone but the
    /// originator is refused: a holder never reclassifies foreign information itself.
    public mutating func applyReclassification(
        from party: PartyCode, newLevel: String, at instant: Date, book: PolicyBook
    ) throws(HoldingError) {
        try requireHeld()
        let originator = originatorLabel.originator
        guard party == originator else {
            throw HoldingError(.notOriginator, "\(party) cannot reclassify \(objectID): only its originator \(originator) can (Art. 6(g))")
        }
        guard let level = book.parties[originator]?.scheme.level(named: newLevel) else {
            throw HoldingError(.badLevel, "'\(newLevel)' is not a level of \(originator)")
        }
        guard let local = book.equivalent(of: level, originator: originator, holder: holder, agreements: agreements) else {
            throw HoldingError(.badLevel, "\(originator) \(level.code) has no equivalent for \(holder) under \(agreements.joined(separator: ", "))")
        }
        let old = originatorLabel
        originatorLabel = Label(originator: originator, level: level, releasableTo: old.releasableTo, topics: old.topics,
                                caveats: old.caveats, created: old.created)
        record.append(Event(at: instant, what: "reclassified by \(originator) from \(old.level.code) to \(level.code); now marked \(holder) \(local.nativeName)"))
        localLevel = local
    }

    /// Returns the object to its originator or destroys it: the only dispositions (Art. 6(h), Art. 13).
    public mutating func dispose(_ disposition: Disposition, by official: String, record text: String, at instant: Date) throws(HoldingError) {
        try requireHeld()
        guard !official.isEmpty, !text.isEmpty else {
            throw HoldingError(.missingRecord, "disposal of \(objectID) needs the official's name and a record")
        }
        switch disposition {
        case .returnToOriginator: status = .returned(at: instant, by: official, record: text)
        case .destroy: status = .destroyed(at: instant, by: official, record: text)
        }
        record.append(Event(at: instant, what: "\(disposition == .destroy ? "destroyed" : "returned to \(originatorLabel.originator)") by \(official): \(text)"))
    }

    /// Records a loss or compromise, or its possibility, and opens the report owed to the originator (Art. 17).
    public mutating func reportCompromise(suspected: Bool, detail: String, at instant: Date) -> CompromiseReport {
        record.append(Event(at: instant, what: "\(suspected ? "possible " : "")compromise reported: \(detail)"))
        return CompromiseReport(holdingID: id, objectID: objectID, originator: originatorLabel.originator, holder: holder,
                                suspected: suspected, detail: detail, reported: instant)
    }

    /// The two ways a holding may end.
    public enum Disposition: String, Sendable, Equatable {
        case returnToOriginator = "return"
        case destroy
    }

    private func requireHeld() throws(HoldingError) {
        guard status == .held else { throw HoldingError(.notHeld, "\(objectID) is no longer held (\(status))") }
    }
}
