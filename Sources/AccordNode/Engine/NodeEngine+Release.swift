import AccordAudit
import AccordCore
import AccordCrypto
import AccordStore
import Foundation

/// An analyst's request to release one object.
public struct ReleaseSubmission: Sendable {
    /// The object's id at the originator (a STIX id, say).
    public let objectID: String
    /// The originator's label, text form.
    public let label: String
    /// The object's bytes.
    public let object: [UInt8]
    /// What it is provided for.
    public let purpose: String
    /// Recipients; `nil` means every party in REL TO.
    public let recipients: [PartyCode]?
    /// The object as the node's TAXII release collection keeps it; written in the release's own
    /// step when at least one recipient is allowed.
    public var stored: StoredObject?

    public init(objectID: String, label: String, object: [UInt8], purpose: String = "defence", recipients: [PartyCode]? = nil) {
        self.objectID = objectID
        self.label = label
        self.object = object
        self.purpose = purpose
        self.recipients = recipients
    }
}

/// What happened to one recipient of a release.
public struct RecipientOutcome: Sendable, Equatable {
    public let recipient: PartyCode
    public let decision: Decision
    /// The envelope queued for delivery (to the recipient, or to the intermediary), if any.
    public let envelopeID: String?
}

/// One release call, decided: what it seals and writes. Calls made at the same time are sealed and written together
/// (``NodeEngine/writeReleases(_:)``).
struct PreparedRelease: Sendable {
    /// When the call decided.
    let now: Date
    /// Envelopes to seal, each with the outbox row it becomes (to the recipient, or to the intermediary).
    var drafts: [(draft: EnvelopeDraft, recipient: PartyCode, agreement: String)] = []
    /// Consents to sign for relayed drafts (an index into `drafts`), with the payload each goes into.
    var consents: [(draft: Int, request: AccordCrypto.Consent.Request, payload: ObjectPayload)] = []
    /// The call's decisions, audited before its envelopes.
    var decided: [AuditEvent] = []
    /// The requests it sealed envelopes for, with their decisions: checked again when the call is sealed at a later time
    /// than it decided (in a batch with a later call).
    var allowed: [(request: ReleaseRequest, decision: Decision)] = []
    var objects: [StoredObject] = []
}

/// Release calls that reached sealing so far, and the batches they were sealed and written in (fewer when concurrent
/// calls were combined).
public struct ReleaseTotals: Sendable, Equatable {
    public let calls: Int
    public let batches: Int
}

extension NodeEngine {
    /// Release calls and batches since this engine started.
    public var releaseTotals: ReleaseTotals {
        let totals = releases.totals
        return ReleaseTotals(calls: totals.jobs, batches: totals.batches)
    }

    /// Releases an analyst's object: checks the analyst's clearance and need-to-know, decides per
    /// recipient, seals and batch-signs the allowed envelopes, and writes outbox rows with the audit
    /// entries in one transaction. Denials are audited and reported; nothing leaves for them.
    ///
    /// Calls that arrive while another call's envelopes are being sealed and written wait, and go together in the
    /// next batch: one hybrid signature over all their envelopes, one over their consents, one transaction (a call
    /// alone waits for nothing). Each call's outcome stays its own: if a combined batch fails, each of its calls is
    /// written again alone.
    public func release(_ submissions: [ReleaseSubmission], by user: User) async throws -> [[RecipientOutcome]] {
        let (prepared, outcomes) = try prepareRelease(submissions, by: user)
        try await releases.submit(prepared, weight: prepared.drafts.count) { batch in try await self.writeReleases(batch) }
        return outcomes
    }

    /// A release call's checks and decisions: what it will seal and write, and what it answers.
    func prepareRelease(_ submissions: [ReleaseSubmission], by user: User) throws -> (PreparedRelease, [[RecipientOutcome]]) {
        let book = self.book
        var prepared = PreparedRelease(now: clock())
        let now = prepared.now
        var outcomes: [[RecipientOutcome]] = []
        for submission in submissions {
            let label: Label
            do { label = try parseLabel(submission.label) } catch { throw NodeError(.malformed, error.description) }
            guard label.originator == party else {
                throw NodeError(.forbidden, "\(party) releases only its own information; \(label.originator)'s goes on only through relay")
            }
            try authorise(user, for: label)
            var perObject: [RecipientOutcome] = []
            for recipient in submission.recipients ?? label.releasableTo.filter({ $0 != party }) {
                let request = ReleaseRequest(label: label, sender: party, recipient: recipient, purpose: submission.purpose,
                                             instant: now, objectID: submission.objectID)
                let decision = book.decide(request)
                if decision.isAllowed { prepared.allowed.append((request, decision)) }
                var envelopeID: String?
                switch decision {
                case .direct(let agreement, let level):
                    let payload = ObjectPayload(objectID: submission.objectID, object: submission.object)
                    let draft = EnvelopeDraft(recipient: recipient.rawValue, agreementID: agreement, originatorLabel: label.text,
                                              recipientLabel: Self.recipientLabel(recipient, level), purpose: submission.purpose,
                                              payload: payload.encoded, id: .timeOrdered(at: now))
                    envelopeID = draft.id.description
                    prepared.drafts.append((draft, recipient, agreement))
                    prepared.decided.append(.releaseDecided(
                        objectID: submission.objectID, recipient: recipient.rawValue, label: label.text,
                        outcome: .direct(agreementID: agreement, recipientLabel: Self.recipientLabel(recipient, level)), reasons: []))
                case .viaIntermediary(let route, let agreements, _, _):
                    // Sealed for the intermediary under the first leg's agreement, with the originator's
                    // signed consent for this envelope's onward release to the final recipient.
                    let hub = route[1]
                    let firstLeg = agreements.count > 1 ? agreements[1] : agreements[0]
                    guard let hubLevel = book.equivalent(of: label.level, originator: party, holder: hub, agreements: [firstLeg]) else {
                        throw NodeError(.refused, "no \(hub) level for \(label.level.code) under \(firstLeg)")
                    }
                    let draft = EnvelopeDraft(recipient: hub.rawValue, agreementID: firstLeg, originatorLabel: label.text,
                                              recipientLabel: Self.recipientLabel(hub, hubLevel), purpose: submission.purpose, payload: [],
                                              id: .timeOrdered(at: now))
                    // The consent for this envelope's onward release is signed with the batch's other consents.
                    let consent = AccordCrypto.Consent.Request(intermediary: hub.rawValue, finalRecipient: recipient.rawValue, scope: .envelope(draft.id))
                    prepared.consents.append((prepared.drafts.count, consent, ObjectPayload(objectID: submission.objectID, object: submission.object)))
                    envelopeID = draft.id.description
                    prepared.drafts.append((draft, hub, firstLeg))
                    prepared.decided.append(.releaseDecided(
                        objectID: submission.objectID, recipient: recipient.rawValue, label: label.text,
                        outcome: .viaIntermediary(intermediary: hub.rawValue, agreementID: agreements[0], consentID: consent.id.description),
                        reasons: []))
                case .denied(let reasons):
                    prepared.decided.append(.releaseDecided(objectID: submission.objectID, recipient: recipient.rawValue, label: label.text,
                                                            outcome: .denied, reasons: reasons.map(\.description)))
                }
                perObject.append(RecipientOutcome(recipient: recipient, decision: decision, envelopeID: envelopeID))
            }
            outcomes.append(perObject)
            if let stored = submission.stored, perObject.contains(where: \.decision.isAllowed) { prepared.objects.append(stored) }
        }
        return (prepared, outcomes)
    }

    /// Seals and writes release calls together: one consent signature, one sealed batch, one transaction, all or
    /// nothing. Sealed at the latest of their decision times, which the recipient decides again at: a call that decided
    /// earlier must decide the same at that time (with the agreements and notes as they stand now), or the batch
    /// fails, and each call is then written alone at its own time. Each call's decisions are audited before its envelopes.
    func writeReleases(_ batch: [PreparedRelease]) async throws {
        guard let now = batch.map(\.now).max() else { return }
        let book = self.book
        for call in batch where call.now != now {
            for (request, decision) in call.allowed {
                let later = ReleaseRequest(label: request.label, sender: request.sender, recipient: request.recipient, purpose: request.purpose,
                                           instant: now, objectID: request.objectID)
                guard book.decide(later) == decision else {
                    throw NodeError(.refused, "\(request.objectID ?? "an object") to \(request.recipient) decides otherwise at \(now) than at \(call.now)")
                }
            }
        }
        var drafts: [EnvelopeDraft] = []
        var consents: [(draft: Int, request: AccordCrypto.Consent.Request, payload: ObjectPayload)] = []
        for call in batch {
            consents += call.consents.map { (drafts.count + $0.draft, $0.request, $0.payload) }
            drafts += call.drafts.map(\.draft)
        }
        // One hybrid signature for every consent of the batch (a batch-signed consent per relayed envelope).
        for (consent, item) in zip(try AccordCrypto.Consent.issueBatch(by: identity, consents.map(\.request), issuedAt: now), consents) {
            drafts[item.draft].payload = ObjectPayload(objectID: item.payload.objectID, consents: [consent.encoded], object: item.payload.object).encoded
        }
        var outbox: [OutboxEnvelope] = []
        var roots: [SignedRootRecord] = []
        var events: [AuditEvent] = []
        var frames: ArraySlice<(envelope: Envelope, bytes: Data)> = []
        var announcements: [EpochAnnouncement] = []
        if !drafts.isEmpty {
            let sealedBatch = try sealer.sealBatch(drafts, directory: directory, now: now)
            let sealed = Self.outboxFrames(sealedBatch)
            announcements = sealedBatch.announcements
            roots = sealed.roots
            frames = sealed.frames[...]
        }
        for call in batch {
            events += call.decided
            for (row, frame) in zip(call.drafts, frames.prefix(call.drafts.count)) {
                let envelope = frame.envelope
                outbox.append(OutboxEnvelope(id: envelope.id.description, sender: party, recipient: row.recipient, agreementID: row.agreement,
                                             created: call.now, bytes: frame.bytes))
                events.append(.envelopeSent(envelopeID: envelope.id.description, recipient: row.recipient.rawValue,
                                            label: envelope.header.originatorLabel, agreementID: row.agreement))
            }
            frames = frames.dropFirst(call.drafts.count)
        }
        try await commit(StepWrite(outbox: outbox, objects: batch.flatMap(\.objects), signedRoots: roots,
                                   epochAnnouncements: Self.announcementRecords(announcements)), events: events)
        sealer.announcementsKept(announcements)
    }

    /// Clearance at or above the label's level and need-to-know for every topic (Art. 7).
    func authorise(_ user: User, for label: Label) throws(NodeError) {
        guard user.party == party else { throw NodeError(.forbidden, "\(user.id) is not a user of \(party)") }
        guard user.clearance.rank >= label.level.rank else {
            throw NodeError(.forbidden, "\(user.id)'s clearance \(user.clearance.code) is below \(label.level.code)")
        }
        guard !label.topics.isEmpty, label.topics.allSatisfy(user.needToKnow.contains) else {
            throw NodeError(.forbidden, "\(user.id) has no need-to-know for every topic of \(label.text)")
        }
    }
}
