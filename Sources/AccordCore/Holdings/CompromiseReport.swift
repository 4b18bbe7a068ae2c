import Foundation

/// The report a holder owes the originator after a loss or compromise, or its possibility (Art. 17):
/// notify at once, investigate, then send the results and the measures taken against recurrence.
public struct CompromiseReport: Sendable, Equatable {
    /// Where the report stands.
    public enum Stage: Sendable, Equatable {
        /// Recorded; the originator must be notified immediately.
        case reported
        /// The originator was notified and an investigation is open.
        case investigating(notified: Date)
        /// Results and preventive measures were sent to the originator.
        case closed(notified: Date, results: String, measures: String, sent: Date)
    }

    public let holdingID: String
    public let objectID: String
    /// Who must be told.
    public let originator: PartyCode
    public let holder: PartyCode
    /// Whether the compromise is only possible (it must be reported all the same).
    public let suspected: Bool
    public let detail: String
    public let reported: Date
    public private(set) var stage: Stage = .reported

    /// A report at its first stage (as the originator's node receives it from the holder's).
    public init(holdingID: String, objectID: String, originator: PartyCode, holder: PartyCode, suspected: Bool, detail: String, reported: Date) {
        self.holdingID = holdingID
        self.objectID = objectID
        self.originator = originator
        self.holder = holder
        self.suspected = suspected
        self.detail = detail
        self.reported = reported
    }

    /// Records that the originator was notified; an investigation is now open.
    public mutating func originatorNotified(at instant: Date) throws(HoldingError) {
        guard case .reported = stage else { throw HoldingError(.badTransition, "the originator was already notified of \(objectID)") }
        stage = .investigating(notified: instant)
    }

    /// Closes the investigation by sending its results and the preventive measures to the originator.
    public mutating func close(results: String, measures: String, at instant: Date) throws(HoldingError) {
        guard case .investigating(let notified) = stage else {
            throw HoldingError(.badTransition, "notify \(originator) about \(objectID) before closing the investigation")
        }
        guard !results.isEmpty, !measures.isEmpty else {
            throw HoldingError(.missingRecord, "the report to \(originator) needs both results and preventive measures")
        }
        stage = .closed(notified: notified, results: results, measures: measures, sent: instant)
    }
}
