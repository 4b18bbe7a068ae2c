/// What a committed step produced.
public struct StepOutcome<Result: Sendable>: Sendable {
    /// Inbox envelope ids that were already stored: replays, nothing written for them.
    public let inboxDuplicates: Set<String>
    /// Envelope ids that were already marked delivered.
    public let alreadyDelivered: Set<String>
    /// Notes (as `agreementID/noteID`) that were already stored with the same bytes.
    public let noteDuplicates: Set<String>
    /// The indexes the step's audit leaves received (empty if none).
    public let auditIndexes: Range<Int64>
    /// What the step's `audit` closure returned.
    public let result: Result

    public init(
        inboxDuplicates: Set<String>, alreadyDelivered: Set<String>, noteDuplicates: Set<String>,
        auditIndexes: Range<Int64>, result: Result
    ) {
        self.inboxDuplicates = inboxDuplicates
        self.alreadyDelivered = alreadyDelivered
        self.noteDuplicates = noteDuplicates
        self.auditIndexes = auditIndexes
        self.result = result
    }
}
