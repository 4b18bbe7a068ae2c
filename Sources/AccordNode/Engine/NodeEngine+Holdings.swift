import AccordAudit
import AccordCore
import AccordCrypto
import AccordStore
import Foundation
import Logging

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

    /// Records a loss or compromise, or its possibility (Art. 17): the holding's record, an audit entry
    /// naming the originator who must be told, and — when this node federates with the originator's —
    /// the signed report queued to it, in one transaction. Returns the report and whether it was queued.
    public func reportCompromise(holdingID: String, by user: User, suspected: Bool, detail: String) async throws -> (report: CompromiseReport, queued: Bool) {
        guard !detail.isEmpty else { throw NodeError(.malformed, "a compromise report needs a description") }
        var holding = try await loadHolding(holdingID, for: user, requireAccess: false)
        let now = clock()
        let report = holding.reportCompromise(suspected: suspected, detail: detail, at: now)
        var outbox: [OutboxEnvelope] = []
        if !directory.bundles(of: report.originator.rawValue).isEmpty {
            let signed = try SignedCompromiseReport(signing: report, label: holding.originatorLabel.text, by: identity)
            let frame = Transmission(announcements: [], envelopes: [], statements: [signed.encoded])
            outbox.append(OutboxEnvelope(id: "compromise-\(signed.statement.shortID)-\(report.originator)", sender: party,
                                         recipient: report.originator, agreementID: holding.agreements.first ?? "none", created: now,
                                         bytes: Data(frame.encoded)))
        }
        try await commit(StepWrite(holdings: [holding.snapshot], outbox: outbox), events: [
            .compromiseReported(envelopeID: holding.id, reportedTo: [report.originator.rawValue],
                                description: "\(suspected ? "possible " : "")compromise reported by \(user.id): \(detail)"),
        ])
        return (report, !outbox.isEmpty)
    }

    /// Takes a holder's signed compromise report about information this node originated: verified
    /// against the holder's pinned keys, recorded in the audit log (the originator's tamper-evident record of
    /// every report), kept signed in the inbox (what `GET /api/v1/compromises` lists), and logged for the operators.
    func receiveCompromiseReport(_ statement: SignedStatement) async throws {
        let signed = try SignedCompromiseReport(statement, directory: directory)
        let report = signed.report
        guard report.originator == party else {
            throw NodeError(.refused, "compromise report on \(report.objectID) is for \(report.originator), not \(party)")
        }
        guard let label = try? parseLabel(signed.label), label.originator == party else {
            throw NodeError(.refused, "compromise report on \(report.objectID) names label '\(signed.label)', which is not \(party)'s")
        }
        // The signed report is kept in the inbox under its digest: a redelivery (the holder lost the answer)
        // is acknowledged again and recorded as a replay, not as a second compromise.
        let id = Self.compromiseInboxPrefix + statement.shortID
        let event = AuditEvent.compromiseReported(
            envelopeID: report.holdingID, reportedTo: [party.rawValue],
            description: Self.receivedReportPrefix(report.holder) + Self.describe(report, label: label.text))
        let replay = AuditEvent.securityEvent(kind: .replay, peer: report.holder.rawValue, envelopeID: id,
                                              detail: "compromise report already held; acknowledged again")
        let node = party.rawValue, now = clock()
        let inbox = InboxWrite(envelope: InboxEnvelope(id: id, sender: report.holder, received: now, bytes: Data(statement.encoded)))
        let outcome = try await store.commit(StepWrite(inbox: [inbox])) { context in
            let duplicate = context.inboxDuplicates.contains(id)
            return (try AuditBridge.append([duplicate ? replay : event], node: node, at: now, context: context), duplicate)
        }
        guard !outcome.result else { return }
        logger.warning("compromise reported by a holder", metadata: [
            "accord.holder": "\(report.holder)", "accord.object": "\(report.objectID)", "accord.suspected": "\(report.suspected)",
        ])
    }

    /// How a received report's audit description starts: `report from JP: `.
    static func receivedReportPrefix(_ holder: PartyCode) -> String { "report from \(holder): " }

    /// Where a received report is kept in the inbox: this prefix and the statement's short id.
    static let compromiseInboxPrefix = "compromise-"

    /// What a received report says, as the audit log and `GET /api/v1/compromises` give it.
    static func describe(_ report: CompromiseReport, label: String) -> String {
        "\(report.suspected ? "possible " : "")compromise of \(report.objectID) (\(label)) at \(Instant.format(report.reported)): \(report.detail)"
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
