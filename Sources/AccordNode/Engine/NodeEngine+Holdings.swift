import AccordAudit
import AccordCore
import AccordStore
import Foundation

extension NodeEngine {
    /// Returns a holding to its originator or destroys it, with the official's name and a record
    /// (Art. 6(h), Art. 13): the updated holding and the audit entry in one transaction.
    public func dispose(holdingID: String, _ disposition: Holding.Disposition, by user: User, record: String) async throws -> Holding {
        var holding = try await loadHolding(holdingID, for: user)
        do { try holding.dispose(disposition, by: user.id, record: record, at: clock()) } catch {
            throw NodeError(.refused, error.message)
        }
        let event: AuditEvent = disposition == .destroy
            ? .holdingDestroyed(envelopeID: holding.id, method: record)
            : .holdingReturned(envelopeID: holding.id, to: holding.originatorLabel.originator.rawValue)
        try await commit(StepWrite(holdings: [holding.snapshot]), events: [event])
        return holding
    }

    /// Records a loss or compromise, or its possibility (Art. 17): the holding's record and an audit
    /// entry naming the originator who must be told, in one transaction. Returns the report to send.
    public func reportCompromise(holdingID: String, by user: User, suspected: Bool, detail: String) async throws -> CompromiseReport {
        guard !detail.isEmpty else { throw NodeError(.malformed, "a compromise report needs a description") }
        var holding = try await loadHolding(holdingID, for: user, requireAccess: false)
        let report = holding.reportCompromise(suspected: suspected, detail: detail, at: clock())
        try await commit(StepWrite(holdings: [holding.snapshot]), events: [
            .compromiseReported(envelopeID: holding.id, reportedTo: [report.originator.rawValue],
                                description: "\(suspected ? "possible " : "")compromise reported by \(user.id): \(detail)"),
        ])
        return report
    }

    /// A holding of this node; with `requireAccess`, only for a user who may read it (audited either way).
    private func loadHolding(_ id: String, for user: User, requireAccess: Bool = true) async throws -> Holding {
        guard let snapshot = try await store.holding(id: id), snapshot.holder == party else {
            throw NodeError(.malformed, "no holding \(id) at \(party)")
        }
        let holding: Holding
        do { holding = try Holding(snapshot: snapshot, parties: book.parties) } catch { throw NodeError(.store, error.message) }
        guard user.party == party else { throw NodeError(.forbidden, "\(user.id) is not a user of \(party)") }
        if requireAccess, case .denied(let reasons) = holding.access(by: user.id, register: PersonnelRegister([user])) {
            await audit(.accessDenied(user: user.id, envelopeID: id, reasons: reasons))
            throw NodeError(.forbidden, reasons.joined(separator: "; "))
        }
        return holding
    }
}
