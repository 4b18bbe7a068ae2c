import AccordAudit
import AccordCore
import AccordCrypto
import AccordStore
import Foundation

/// What a node answers for one envelope or signed statement of a transmission.
public enum EnvelopeResult: Sendable {
    /// Held (or already held): the signed receipt.
    case receipt([UInt8])
    /// A statement (note, compromise report) held or already held: the signature of ``StatementReceipt``.
    case statementReceipt([UInt8])
    /// Refused, with why; the refusal is in the audit log.
    case refused(NodeError)
}

extension NodeEngine {
    /// Takes a peer's transmission: accepts its epoch announcements, verifies and opens each envelope,
    /// decides again with this node's own agreements (never the sender's word), and holds what passes —
    /// inbox row, holding and audit entry in one transaction — relaying onward where this node is the
    /// intermediary and the originator consented. Signed statements (notes, compromise reports) are taken
    /// first, so that envelopes are decided with every note the sender sent before them. Returns a
    /// receipt or a refusal per envelope, then per statement.
    /// A sender that sent its batch roots apart (transmission version 3) gets detached receipts and the
    /// receipt root once, in the answer's `roots`.
    public func receive(_ transmission: Transmission) async -> PeerAnswer {
        let statementResults = await receiveStatements(transmission.statements)
        var answer = await receiveEnvelopes(transmission)
        answer.results += statementResults
        return answer
    }

    private func receiveEnvelopes(_ transmission: Transmission) async -> PeerAnswer {
        let now = clock()
        // The batch and consent roots that detached envelopes name: parsed once each, kept once each with what is held.
        let roots: DetachedRoots
        do { roots = try DetachedRoots(encodedBatch: transmission.roots, encodedConsent: transmission.consentRoots) } catch {
            let failure = NodeError(.malformed, "the transmission's signed batch roots are unreadable: \(error)")
            await audit(.securityEvent(kind: .malformedInput, peer: nil, envelopeID: nil, detail: failure.message))
            return PeerAnswer(results: transmission.envelopes.map { _ in .refused(failure) })
        }
        var usedRoots = Set<[UInt8]>()
        for bytes in transmission.announcements {
            do { try opener.accept(try EpochAnnouncement(encoded: bytes), directory: directory) } catch {
                await audit(.securityEvent(kind: .forgedSignature, peer: nil, envelopeID: nil, detail: "epoch announcement refused: \(error)"))
            }
        }
        var results = [EnvelopeResult?](repeating: nil, count: transmission.envelopes.count)
        var accepted: [(index: Int, opened: OpenedEnvelope)] = []
        var inbox: [InboxWrite] = []
        var objects: [StoredObject] = []
        var outboxDrafts: [(draft: EnvelopeDraft, recipient: PartyCode, agreement: String)] = []
        var events: [(envelopeID: String, event: AuditEvent)] = []
        // Open everything first, then ask the store once which envelopes it already holds.
        var openedAll: [Result<OpenedEnvelope, any Error>] = transmission.envelopes.map { bytes in Result { try open(bytes, roots: roots) } }
        let ids = openedAll.compactMap { try? $0.get().header.id.description }
        let held: Set<String>
        do { held = try await store.inboxHolds(ids) } catch {
            held = []
            openedAll = openedAll.map { _ in .failure(NodeError(.store, "cannot read the inbox: \(error)")) }
        }
        for (index, attempt) in openedAll.enumerated() {
            do {
                let opened = try attempt.get()
                let header = opened.header
                let id = header.id.description
                if held.contains(id) {
                    // A replay of something already held: acknowledge again, change nothing.
                    accepted.append((index, opened))
                    await audit(.securityEvent(kind: .replay, peer: header.sender, envelopeID: id, detail: "already held; acknowledged again"))
                    continue
                }
                let (holding, relays) = try check(opened, now: now)
                if let digest = opened.envelope.rootDigest { usedRoots.insert(digest) }
                if let relayRoots = opened.envelope.relayRootDigests { usedRoots.formUnion([relayRoots.root, relayRoots.consentRoot]) }
                inbox.append(InboxWrite(envelope: InboxEnvelope(id: id, sender: PartyCode(header.sender)!, received: now, bytes: Data(transmission.envelopes[index])),
                                        holding: holding.snapshot))
                objects += receivedObject(holding, payload: opened.payload)
                events.append((id, .envelopeReceived(envelopeID: id, sender: header.sender, originator: header.originator,
                                                     label: header.originatorLabel, agreementID: header.agreementID)))
                outboxDrafts += relays
                accepted.append((index, opened))
            } catch let error as NodeError {
                results[index] = .refused(error)
                await audit(.securityEvent(kind: error.code == .refused ? .releaseNotAllowed : .malformedInput, peer: nil,
                                           envelopeID: nil, detail: error.message))
            } catch {
                let failure = NodeError(.crypto, "\(error)")
                results[index] = .refused(failure)
                await audit(.securityEvent(kind: Self.securityKind(of: error), peer: nil, envelopeID: nil, detail: failure.message))
            }
        }
        // One hybrid signature acknowledges the whole transmission (batched receipts). It is signed while the
        // step commits, and the receipts go out only if the step did.
        async let acknowledged = acknowledgements(for: accepted.map(\.opened), now: now, detached: transmission.acceptsDetachedReceipts)
        do {
            var outbox: [OutboxEnvelope] = []
            var announcements: [EpochAnnouncement] = []
            var signedRoots = Self.rootRecords(transmission.roots + transmission.consentRoots, named: usedRoots)
            if !outboxDrafts.isEmpty {
                let sealedBatch = try sealer.sealBatch(outboxDrafts.map(\.draft), directory: directory, now: now)
                announcements = sealedBatch.announcements
                let sealed = Self.outboxFrames(sealedBatch)
                signedRoots += sealed.roots.filter { root in !signedRoots.contains { $0.digest == root.digest } }
                for (row, frame) in zip(outboxDrafts, sealed.frames) {
                    let envelope = frame.envelope
                    let id = envelope.id.description
                    outbox.append(OutboxEnvelope(id: id, sender: party, recipient: row.recipient, agreementID: row.agreement, created: now,
                                                 bytes: frame.bytes))
                    guard let relay = envelope.header.relay else { continue }
                    events.append((relay.originatorHeader.id.description,
                                   .relayed(incomingEnvelopeID: relay.originatorHeader.id.description, outgoingEnvelopeID: id,
                                            originator: relay.originatorHeader.originator, recipient: row.recipient.rawValue,
                                            consentID: relay.consent.id.description)))
                }
            }
            let node = party.rawValue
            let stepEvents = events
            try await store.commit(StepWrite(inbox: inbox, outbox: outbox, objects: objects, signedRoots: signedRoots,
                                                 epochAnnouncements: Self.announcementRecords(announcements))) { context in
                let fresh = stepEvents.filter { !context.inboxDuplicates.contains($0.envelopeID) }.map(\.event)
                return (try AuditBridge.append(fresh, node: node, at: now, context: context), ())
            }
            sealer.announcementsKept(announcements)
            doorbell.ring(Set(outbox.map(\.recipient)))
        } catch {
            for (index, _) in accepted where results[index] == nil {
                results[index] = .refused(NodeError(.store, "could not hold the envelope: \(error)"))
            }
            // The receipts are thrown away; waiting for them (rather than cancelling) lets a due tree head be signed and kept.
            _ = await acknowledged
            return PeerAnswer(results: results.map { $0 ?? .refused(NodeError(.store, "not processed")) })
        }
        var answerRoots: [[UInt8]] = []
        switch await acknowledged {
        case .success(let (receipts, root)):
            for ((index, _), receipt) in zip(accepted, receipts) { results[index] = .receipt(receipt) }
            answerRoots = root.map { [$0] } ?? []
        case .failure(let error):
            for (index, _) in accepted { results[index] = .refused(NodeError(.crypto, "cannot sign receipts: \(error)")) }
        }
        return PeerAnswer(results: results.map { $0 ?? .refused(NodeError(.store, "not processed")) }, roots: answerRoots)
    }

    /// Signed receipts for `opened`, in order, carrying this node's latest signed tree head in the first (cross-signing).
    /// Detached receipts name their root by digest; the root is returned once, apart. Pure but for the tree head,
    /// so it can run while the step that holds the envelopes commits.
    private func acknowledgements(
        for opened: [OpenedEnvelope], now: Date, detached: Bool
    ) async -> Result<(receipts: [[UInt8]], root: [UInt8]?), any Error> {
        let head = await currentTreeHead(now: now)
        return Result {
            let receipts = try Receipt.issueBatch(for: opened, by: identity, receivedAt: now, treeHead: try head.map { Array(try $0.encoded()) },
                                                  detached: detached)
            guard detached, let root = receipts.first?.batchRoot else { return (receipts.map(\.encoded), nil) }
            let rootBytes = root.encoded
            let digest = ReceiptRoot.digest(ofEncoded: rootBytes)
            return (receipts.map { $0.encoded(rootDigest: digest) }, rootBytes)
        }
    }

    private func open(_ bytes: [UInt8], roots: DetachedRoots) throws -> OpenedEnvelope {
        let parties = book.parties
        return try opener.open(try Envelope(encoded: bytes, detachedRoots: roots), directory: directory) { scope, labelText in
            // A scope consent covers a relayed label only if every topic is in it and the level is at or below its ceiling.
            guard case .scope(let topics, let ceiling, _, _) = scope,
                  let label = try? self.parseLabel(labelText),
                  let limit = parties[label.originator]?.scheme.level(named: ceiling) else { return false }
            return !label.topics.isEmpty && label.topics.allSatisfy { topics.contains($0.rawValue) } && label.level.rank <= limit.rank
        }
    }

    /// Decides again as the recipient and builds the holding, plus any onward releases this node owes as intermediary.
    private func check(_ opened: OpenedEnvelope, now: Date) throws -> (Holding, [(draft: EnvelopeDraft, recipient: PartyCode, agreement: String)]) {
        let header = opened.header
        let book = self.book
        let label: Label
        do { label = try parseLabel(header.originatorLabel) } catch {
            throw NodeError(.malformed, "envelope \(header.id) carries an unreadable label: \(error.message)")
        }
        guard label.originator.rawValue == header.originator, let sender = PartyCode(header.sender) else {
            throw NodeError(.refused, "envelope \(header.id): label originator \(label.originator) is not the header's \(header.originator)")
        }
        var consents: [AccordCore.Consent] = []
        var objectID: String?
        if let relay = header.relay {
            consents.append(Self.coreConsent(relay.consent))
            objectID = relay.originatorHeader.id.description
        }
        let request = ReleaseRequest(label: label, sender: sender, recipient: party, purpose: header.purpose,
                                     instant: header.createdAt, objectID: objectID)
        let decision = book.decide(request, consents: consents)
        guard let level = decision.recipientLevel else {
            var reasons: [String] = []
            if case .denied(let why) = decision { reasons = why.map(\.description) }
            throw NodeError(.refused, "envelope \(header.id) from \(sender): \(reasons.joined(separator: "; "))")
        }
        guard header.recipientLabel == Self.recipientLabel(party, level) else {
            throw NodeError(.refused, "envelope \(header.id) is marked \(header.recipientLabel), but the agreements give \(Self.recipientLabel(party, level))")
        }
        let payload = try ObjectPayload(encoded: opened.payload)
        let holding: Holding
        do {
            holding = try Holding(id: header.id.description, objectID: payload.objectID, label: label, decision: decision, holder: party,
                                  receivedFrom: sender, purpose: header.purpose, received: now,
                                  custody: .init(location: "\(party) node store", custodian: "\(party) node"))
        } catch { throw NodeError(.refused, error.message) }
        return (holding, try relays(for: opened, label: label, payload: payload, now: now))
    }

    /// Onward releases this node makes as intermediary: one per consent naming it, if the agreements allow.
    private func relays(for opened: OpenedEnvelope, label: Label, payload: ObjectPayload, now: Date)
        throws -> [(draft: EnvelopeDraft, recipient: PartyCode, agreement: String)]
    {
        let book = self.book
        var drafts: [(EnvelopeDraft, PartyCode, String)] = []
        for bytes in payload.consents {
            let consent = try AccordCrypto.Consent(encoded: bytes)
            guard consent.intermediary == party.rawValue, consent.originator == label.originator.rawValue,
                  let recipient = PartyCode(consent.finalRecipient) else { continue }
            try consent.verify(directory: directory, cache: consentRoots)
            let request = ReleaseRequest(label: label, sender: party, recipient: recipient, purpose: opened.header.purpose,
                                         instant: now, objectID: opened.header.id.description)
            let decision = book.decide(request, consents: [Self.coreConsent(consent)])
            guard case .viaIntermediary(_, let agreements, let level, _) = decision, let leg = agreements.last else {
                throw NodeError(.refused, "relay of \(opened.header.id) to \(recipient) is not allowed now: \(decision)")
            }
            let attachment = try RelayAttachment(relaying: opened.envelope, consent: consent)
            let draft = EnvelopeDraft(relaying: attachment, to: recipient.rawValue, agreementID: leg,
                                      recipientLabel: Self.recipientLabel(recipient, level), purpose: opened.header.purpose,
                                      // The originator's exact payload: the final recipient checks it against the signed header.
                                      payload: opened.payload, id: .timeOrdered(at: now))
            drafts.append((draft, recipient, leg))
        }
        return drafts.map { (draft: $0.0, recipient: $0.1, agreement: $0.2) }
    }

    static func coreConsent(_ consent: AccordCrypto.Consent) -> AccordCore.Consent {
        let coverage: AccordCore.Consent.Coverage
        var from = consent.issuedAt
        var until: Date?
        switch consent.scope {
        case .envelope(let id): coverage = .object(id.description)
        case .scope(let topics, let ceiling, let notBefore, let notAfter):
            coverage = .scope(topics: topics.compactMap(Topic.init), ceiling: ceiling)
            from = notBefore
            until = notAfter
        }
        return AccordCore.Consent(
            id: consent.id.description, originator: PartyCode(consent.originator) ?? PartyCode("XX")!,
            intermediary: PartyCode(consent.intermediary) ?? PartyCode("XX")!, recipient: PartyCode(consent.finalRecipient) ?? PartyCode("XX")!,
            coverage: coverage, validFrom: from, validUntil: until)
    }

    static func securityKind(of error: any Error) -> SecurityEventKind {
        guard let error = error as? AccordCryptoError else { return .malformedInput }
        switch error.code {
        case .labelTampered, .headerTampered, .ciphertextTampered, .payloadDigestMismatch: return .tamperedLabel
        case .ed25519SignatureInvalid, .mldsaSignatureInvalid, .signatureInvalid, .unknownKey, .keyExpired, .keyNotYetValid: return .forgedSignature
        case .relayWithoutConsent, .consentNotCovering, .relayMismatch: return .releaseNotAllowed
        default: return .malformedInput
        }
    }
}
