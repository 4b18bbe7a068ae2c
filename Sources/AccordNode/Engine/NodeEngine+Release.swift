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

extension NodeEngine {
    /// Releases an analyst's object: checks the analyst's clearance and need-to-know, decides per
    /// recipient, seals and batch-signs the allowed envelopes, and writes outbox rows with the audit
    /// entries in one transaction. Denials are audited and reported; nothing leaves for them.
    public func release(_ submissions: [ReleaseSubmission], by user: User) async throws -> [[RecipientOutcome]] {
        let now = clock()
        let book = self.book
        var drafts: [EnvelopeDraft] = []
        var rows: [(draft: Int, recipient: PartyCode, agreement: String)] = []
        var events: [AuditEvent] = []
        var outcomes: [[RecipientOutcome]] = []
        var objects: [StoredObject] = []
        var consents: [(draft: Int, request: AccordCrypto.Consent.Request, payload: ObjectPayload)] = []
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
                var envelopeID: String?
                switch decision {
                case .direct(let agreement, let level):
                    let payload = ObjectPayload(objectID: submission.objectID, object: submission.object)
                    let draft = EnvelopeDraft(recipient: recipient.rawValue, agreementID: agreement, originatorLabel: label.text,
                                              recipientLabel: Self.recipientLabel(recipient, level), purpose: submission.purpose,
                                              payload: payload.encoded)
                    envelopeID = draft.id.description
                    rows.append((drafts.count, recipient, agreement))
                    drafts.append(draft)
                    events.append(.releaseDecided(objectID: submission.objectID, recipient: recipient.rawValue, label: label.text,
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
                                              recipientLabel: Self.recipientLabel(hub, hubLevel), purpose: submission.purpose, payload: [])
                    // The consent for this envelope's onward release is signed below, with the call's other consents.
                    let consent = AccordCrypto.Consent.Request(intermediary: hub.rawValue, finalRecipient: recipient.rawValue, scope: .envelope(draft.id))
                    consents.append((drafts.count, consent, ObjectPayload(objectID: submission.objectID, object: submission.object)))
                    envelopeID = draft.id.description
                    rows.append((drafts.count, hub, firstLeg))
                    drafts.append(draft)
                    events.append(.releaseDecided(objectID: submission.objectID, recipient: recipient.rawValue, label: label.text,
                                                  outcome: .viaIntermediary(intermediary: hub.rawValue, agreementID: agreements[0], consentID: consent.id.description),
                                                  reasons: []))
                case .denied(let reasons):
                    events.append(.releaseDecided(objectID: submission.objectID, recipient: recipient.rawValue, label: label.text,
                                                  outcome: .denied, reasons: reasons.map(\.description)))
                }
                perObject.append(RecipientOutcome(recipient: recipient, decision: decision, envelopeID: envelopeID))
            }
            outcomes.append(perObject)
            if let stored = submission.stored, perObject.contains(where: \.decision.isAllowed) { objects.append(stored) }
        }
        // One hybrid signature for every consent of the call (a batch-signed consent per relayed envelope).
        for (consent, item) in zip(try AccordCrypto.Consent.issueBatch(by: identity, consents.map(\.request), issuedAt: now), consents) {
            drafts[item.draft].payload = ObjectPayload(objectID: item.payload.objectID, consents: [consent.encoded], object: item.payload.object).encoded
        }
        var outbox: [OutboxEnvelope] = []
        var roots: [SignedRootRecord] = []
        if !drafts.isEmpty {
            let sealed = Self.outboxFrames(try sealer.sealBatch(drafts, directory: directory, now: now))
            roots += sealed.roots
            for (row, frame) in zip(rows, sealed.frames) {
                let envelope = frame.envelope
                outbox.append(OutboxEnvelope(id: envelope.id.description, sender: party, recipient: row.recipient, agreementID: row.agreement,
                                             created: now, bytes: frame.bytes))
                events.append(.envelopeSent(envelopeID: envelope.id.description, recipient: row.recipient.rawValue,
                                            label: envelope.header.originatorLabel, agreementID: row.agreement))
            }
        }
        try await commit(StepWrite(outbox: outbox, objects: objects, signedRoots: roots), events: events)
        return outcomes
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
