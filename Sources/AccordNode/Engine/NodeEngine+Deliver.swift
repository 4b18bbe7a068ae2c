import AccordAudit
import AccordCore
import AccordCrypto
import AccordStore
import Crypto
import Foundation
import Logging
import Synchronization

extension NodeEngine {
    /// What one delivery round to a peer did.
    public struct DeliveryReport: Sendable, Equatable {
        public let attempted: Int
        public let delivered: Int
        public let refused: [String]
        /// The outbox ids (envelope ids, or `note-…`/`compromise-…`) this round delivered.
        public var deliveredIDs: [String] = []
    }

    /// A round on the wire: the rows sent, their frames, the envelopes and statements in the order sent,
    /// and the peer's answer, not yet recorded.
    struct SentRound: Sendable {
        let peer: PartyCode
        let due: [OutboxEnvelope]
        let frames: [Transmission]
        let envelopeCount: Int
        let answer: PeerAnswer
        let now: Date
        let retryNow: Date
        /// The roots the round's version-3 envelopes name, to read their headers when their receipts come back.
        let detachedRoots: DetachedRoots
    }

    /// Sends pending envelopes and statements to `peer`, oldest first, through `send`; records receipts (verified
    /// against the envelopes) as deliveries, and a failed round as a retry with exponential backoff.
    /// Envelopes the peer refused stay pending for an operator to look at; they are reported.
    public func deliver(
        to peer: PartyCode, limit: Int = 512, send: @Sendable (Transmission) async throws -> PeerAnswer
    ) async throws -> DeliveryReport {
        guard let round = try await sendRound(to: peer, limit: limit, excluding: [], send: send) else {
            return DeliveryReport(attempted: 0, delivered: 0, refused: [])
        }
        return try await record(round)
    }

    /// Delivers everything due to `peer`, round after round, until nothing is due or `proceed` says stop
    /// (checked before each round, as is cancellation): round N's receipts are verified and recorded while
    /// round N+1 is on the wire (rounds still go one at a time, in order, and are recorded in order).
    /// `recorded` hears of each round as soon as it is recorded. Returns what all rounds did together.
    @discardableResult
    public func deliverAll(
        to peer: PartyCode, limit: Int = 512, while proceed: @escaping @Sendable () -> Bool = { true },
        recorded: @escaping @Sendable (DeliveryReport) -> Void = { _ in },
        send: @escaping @Sendable (Transmission) async throws -> PeerAnswer
    ) async throws -> DeliveryReport {
        var total = DeliveryReport(attempted: 0, delivered: 0, refused: [])
        var recording: (ids: Set<String>, task: Task<DeliveryReport, any Error>)?
        func add(_ report: DeliveryReport) {
            total = DeliveryReport(attempted: total.attempted + report.attempted, delivered: total.delivered + report.delivered,
                                   refused: total.refused + report.refused, deliveredIDs: total.deliveredIDs + report.deliveredIDs)
        }
        func recordedBefore(_ next: SentRound?) async throws {
            guard let recording else { return }
            do { add(try await recording.task.value) } catch {
                // Round N could not be recorded; round N+1 went out and was answered: record it, so that only
                // round N is sent again (the peer acknowledges it again as already held), then report N's error.
                if let next { add(try await record(next)) }
                throw error
            }
        }
        while true {
            guard proceed(), !Task.isCancelled else {
                try await recordedBefore(nil)
                return total
            }
            let next: SentRound?
            do {
                next = try await sendRound(to: peer, limit: limit, excluding: recording?.ids ?? [], send: send)
            } catch {
                // The send's error is the one to report; a recording error of the round before is logged.
                do { try await recordedBefore(nil) } catch {
                    logger.error("cannot record a delivery round", metadata: ["accord.peer": "\(peer)", "accord.error": "\(error)"])
                }
                throw error
            }
            try await recordedBefore(next)
            guard let next else { return total }
            recording = (Set(next.due.map(\.id)), Task {
                let report = try await self.record(next)
                recorded(report)
                return report
            })
        }
    }

    /// Reads what is due for `peer` (leaving out rows of a round still being recorded), sends it, and
    /// returns the answer unrecorded; nil when nothing is due. A failed send is recorded as a retry and rethrown.
    func sendRound(
        to peer: PartyCode, limit: Int, excluding inFlight: Set<String>, send: @Sendable (Transmission) async throws -> PeerAnswer
    ) async throws -> SentRound? {
        let pending = try await store.pendingOutbox(sender: party, recipient: peer, limit: limit, excluding: inFlight)
        let now = clock()
        let retryNow = retryClock()
        // In order per (this node, peer): the round takes due rows oldest first and stops at the first row
        // waiting for a retry after a failed round (the peer was down, or could not store it): every later row
        // waits behind it. Rows the peer refused for what they are wait on their own backoff, holding nothing back.
        var due: [OutboxEnvelope] = []
        for row in pending {
            if row.nextAttempt <= retryNow {
                due.append(row)
            } else if !row.refused {
                break
            }
        }
        // From here the rows are on the wire until recorded (or the send fails): an operator cannot withdraw them, and
        // a row withdrawn after the read above is left out.
        due = outboxGuard.withLock { $0.take(due) }
        guard !due.isEmpty else { return nil }
        // On any error, the rows still held for this round go off the wire (rows held back on the way went already).
        do {
            return try await transmit(&due, to: peer, now: now, retryNow: retryNow, send: send)
        } catch {
            outboxGuard.withLock { $0.release(due.map(\.id)) }
            throw error
        }
    }

    /// Sends `due` (rows taken for the wire, less those it holds back, which it releases) and returns the answer
    /// unrecorded; nil when none of them can go.
    private func transmit(
        _ due: inout [OutboxEnvelope], to peer: PartyCode, now: Date, retryNow: Date, send: @Sendable (Transmission) async throws -> PeerAnswer
    ) async throws -> SentRound? {
        // Each row carries one envelope or one signed note. The round carries the announcement of every epoch its
        // envelopes were sealed in (below), for a peer that lost its epoch state as for one that never had it.
        var frames: [Transmission] = []
        var rowDigests: [(batch: [Data], consent: [Data])] = []
        var rowEpochs: [EpochID?] = []
        for row in due {
            let frame = try Transmission(encoded: Array(row.bytes))
            guard frame.envelopes.count + frame.statements.count == 1 else {
                throw NodeError(.malformed, "outbox row \(row.id) holds \(frame.envelopes.count) envelopes and \(frame.statements.count) statements, not one")
            }
            frames.append(frame)
            // A detached envelope names its batch's signed root by digest, and a relayed one of version 3 the originator's
            // root and consent root too (rows written before detached envelopes carry theirs). Bytes that do not read as an
            // envelope go as they are, for the peer to refuse, as before.
            let named = frame.envelopes.first.flatMap { try? Envelope.references(ofEncoded: $0) }
            rowDigests.append((named?.batch.map { Data($0) } ?? [], named?.consent.map { Data($0) } ?? []))
            rowEpochs.append(named?.epoch)
        }
        // Each root goes once, from the store. A row whose root the store lacks (a damaged or partly restored store)
        // cannot be sent: it waits on its own backoff like a refused row, holding nothing back, and the operators are told.
        var batchDigests: [Data] = []
        var consentDigests: [Data] = []
        for named in rowDigests {
            for digest in named.batch where !batchDigests.contains(digest) { batchDigests.append(digest) }
            for digest in named.consent where !consentDigests.contains(digest) { consentDigests.append(digest) }
        }
        // Parsed once each here: a stored root that does not parse counts as missing.
        let stored = try await store.signedRoots(batchDigests + consentDigests)
        var detachedRoots = DetachedRoots()
        for digest in batchDigests { detachedRoots.batch[Array(digest)] = stored[digest].flatMap { try? SignedBatchRoot(encoded: $0) } }
        for digest in consentDigests { detachedRoots.consent[Array(digest)] = stored[digest].flatMap { try? ConsentRoot(encoded: $0) } }
        let rootless: [OutboxEnvelope] = zip(due, rowDigests).filter { _, named in
            named.batch.contains { detachedRoots.batch[Array($0)] == nil } || named.consent.contains { detachedRoots.consent[Array($0)] == nil }
        }.map(\.0)
        if !rootless.isEmpty {
            logger.error("outbox rows name signed roots the store does not hold (or holds unreadable); they are held back", metadata: [
                "accord.peer": "\(peer)", "accord.rows": "\(rootless.map(\.id))"])
            let ids = Set(rootless.map(\.id))
            try await commit(StepWrite(failures: rootless.map {
                OutboxFailure(envelopeID: $0.id, nextAttempt: retryNow.addingTimeInterval(Self.backoff(attempts: $0.attempts)),
                              reason: "this node's store lacks a signed root the envelope names (or holds it unreadable)", refused: true)
            }), events: [])
            // Off the wire once recorded (if the commit throws, the caller releases every row of the round, these included).
            let kept = due.indices.filter { !ids.contains(due[$0].id) }
            due = kept.map { due[$0] }
            outboxGuard.withLock { $0.release(ids) }
            frames = kept.map { frames[$0] }
            rowDigests = kept.map { rowDigests[$0] }
            rowEpochs = kept.map { rowEpochs[$0] }
            guard !due.isEmpty else { return nil }
        }
        // Only the roots the rows still in the round name.
        var named = (batch: Set<Data>(), consent: Set<Data>())
        for digests in rowDigests {
            named.batch.formUnion(digests.batch)
            named.consent.formUnion(digests.consent)
        }
        let roots = batchDigests.filter(named.batch.contains).compactMap { stored[$0].map(Array.init) }
        let consentRoots = consentDigests.filter(named.consent.contains).compactMap { stored[$0].map(Array.init) }
        let announcements = try await announcements(for: rowEpochs, created: due.map(\.created), frames: frames, to: peer)
        let envelopes = frames.flatMap(\.envelopes)
        let statements = frames.flatMap(\.statements)
        let answer: PeerAnswer
        do {
            answer = try await sendCompatible(
                to: peer, Transmission(announcements: announcements, envelopes: envelopes, statements: statements, roots: roots, consentRoots: consentRoots),
                send: send)
            guard answer.count == due.count else { throw NodeError(.malformed, "\(peer) answered \(answer.count) results for \(due.count) envelopes and statements") }
        } catch {
            // One retry instant for the whole round, from its most-tried row, so that the rows stay in order.
            let retry = retryNow.addingTimeInterval(Self.backoff(attempts: due.map(\.attempts).max() ?? 0))
            let reason = "\(error)"
            try await commit(StepWrite(failures: due.map { OutboxFailure(envelopeID: $0.id, nextAttempt: retry, reason: reason, refused: $0.refused) }), events: [])
            throw error
        }
        return SentRound(peer: peer, due: due, frames: frames, envelopeCount: envelopes.count, answer: answer, now: now, retryNow: retryNow,
                         detachedRoots: detachedRoots)
    }

    /// The announcement of each epoch `epochs` name, once each, in the order first named: from the sealer while the
    /// epoch is current (no read); for rows written before this node kept announcements apart, as the row itself carries
    /// it (its batch's first row of an epoch); else as stored when the rows were written (one read for them all); else,
    /// once per epoch and process, searched for in the older rows to `peer` (``recoverAnnouncement(of:created:to:)``).
    /// An epoch none of these announces goes without: the peer opens those envelopes only if it still holds its keys.
    private func announcements(
        for epochs: [EpochID?], created: [Date], frames: [Transmission], to peer: PartyCode
    ) async throws -> [[UInt8]] {
        var named: [EpochID] = []
        for case let epoch? in epochs where !named.contains(epoch) { named.append(epoch) }
        guard !named.isEmpty else { return [] }
        var known: [EpochID: [UInt8]] = [:]
        for announcement in sealer.currentAnnouncements where named.contains(announcement.epochID) {
            known[announcement.epochID] = announcement.encoded
        }
        for bytes in frames.lazy.flatMap(\.announcements) {
            if let announcement = try? EpochAnnouncement(encoded: bytes), known[announcement.epochID] == nil {
                known[announcement.epochID] = bytes
            }
        }
        let missing = named.filter { known[$0] == nil }
        if !missing.isEmpty {
            for (id, bytes) in try await store.epochAnnouncements(missing.map { Data($0.bytes) }) {
                known[EpochID(unchecked: Array(id))] = Array(bytes)
            }
        }
        for epoch in named where known[epoch] == nil && !unannouncedEpochs.withLock({ $0.contains(epoch) }) {
            // The window of this epoch's own rows in the round (each epoch is searched apart).
            let times = zip(epochs, created).filter { $0.0 == epoch }.map(\.1)
            guard let first = times.min(), let last = times.max() else { continue }
            known[epoch] = await recoverAnnouncement(of: epoch, created: first...last, to: peer)
        }
        return named.compactMap { known[$0] }
    }

    /// Finds the announcement of `epoch` in the rows to `peer` an older build queued (it kept each epoch's announcement
    /// inside its batch's first row only), and stores it, so that it is found in the store from then on. The announcing
    /// row was queued at most an epoch's lifetime before the epoch's waiting rows (`created`, their decision times), with
    /// ten minutes' margin either side: the rows of that window are read 500 at a time, by sequence number. Only an
    /// announcement this node signed for `peer` counts. An epoch not found, or whose search failed (a store error, a
    /// damaged row), is logged and remembered, and not searched for again until the node restarts: delivery goes on.
    private func recoverAnnouncement(of epoch: EpochID, created: ClosedRange<Date>, to peer: PartyCode) async -> [UInt8]? {
        unannouncedEpochs.withLock { _ = $0.insert(epoch) }
        let margin: TimeInterval = 600
        let window = created.lowerBound.addingTimeInterval(-(sealer.policy.lifetime + margin))...created.upperBound.addingTimeInterval(margin)
        do {
            var after: String?
            while true {
                let rows = try await store.outboxEnvelopes(sender: party, recipient: peer, created: window, after: after, limit: 500)
                for row in rows {
                    guard let frame = try? Transmission(encoded: Array(row.bytes)) else { continue }
                    for bytes in frame.announcements {
                        guard let announcement = try? EpochAnnouncement(encoded: bytes), announcement.epochID == epoch,
                              announcement.sender == party.rawValue, announcement.recipient == peer.rawValue else { continue }
                        try await commit(StepWrite(epochAnnouncements: [EpochAnnouncementRecord(epochID: Data(epoch.bytes), bytes: Data(bytes))]), events: [])
                        unannouncedEpochs.withLock { _ = $0.remove(epoch) }
                        logger.notice("an epoch announcement was found in an older outbox row, and kept in the store", metadata: [
                            "accord.peer": "\(peer)", "accord.epoch": "\(epoch)", "accord.row": "\(row.id)"])
                        return bytes
                    }
                }
                guard rows.count == 500, let last = rows.last else { break }
                after = last.id
            }
            logger.warning("no announcement is held for an epoch of waiting outbox rows: the peer opens them only if it still holds the epoch's keys", metadata: [
                "accord.peer": "\(peer)", "accord.epoch": "\(epoch)"])
        } catch {
            logger.error("cannot search older outbox rows for an epoch's announcement: the peer opens the epoch's rows only if it still holds its keys", metadata: [
                "accord.peer": "\(peer)", "accord.epoch": "\(epoch)", "accord.error": "\(error)"])
        }
        return nil
    }

    /// Sends `transmission` as it is (detached envelopes, version 3 when it carries roots, 4 with consent roots) unless
    /// `peer` is known to read an older version only: a node not yet upgraded answers HTTP 400 naming the newest
    /// version it reads. Then this round and later ones go in the form it reads, until this node restarts and asks
    /// again: to a node that reads version 3, relayed envelopes go as version 2 (the relay attachment whole, the batch
    /// root still apart); to one that reads 1 and 2, every envelope goes self-contained (version 1, no roots list; it
    /// answers with receipts of version 2).
    func sendCompatible(
        to peer: PartyCode, _ transmission: Transmission, send: @Sendable (Transmission) async throws -> PeerAnswer
    ) async throws -> PeerAnswer {
        guard !transmission.roots.isEmpty else { return try await send(transmission) }
        var tried = Int.max
        while true {
            let form = try Self.form(of: transmission, readableUpTo: peerTransmissionVersions.withLock { $0[peer] })
            guard Int(form.version) < tried else { throw NodeError(.malformed, "\(peer) reads no form of this transmission") }
            tried = Int(form.version)
            do { return try await send(form) } catch let error as NodeError {
                // Each such answer names an older version than the one sent, so this ends.
                guard let read = Transmission.newestVersionRead(from: error.message) else { throw error }
                peerTransmissionVersions.withLock { $0[peer] = read }
                logger.warning("peer does not read this transmission version: sending it a form it reads", metadata: [
                    "accord.peer": "\(peer)", "accord.reads": "1...\(read)", "accord.answer": "\(error.message)"])
            }
        }
    }

    /// `transmission` in a form a peer that reads versions up to `newest` reads (as it is when unknown or new enough).
    static func form(of transmission: Transmission, readableUpTo newest: Int?) throws -> Transmission {
        guard let newest, newest < Int(transmission.version) else { return transmission }
        let roots = try DetachedRoots(encodedBatch: transmission.roots, encodedConsent: transmission.consentRoots)
        guard newest >= 3 else {
            let envelopes = try transmission.envelopes.map { bytes in
                try Envelope.namedRoots(ofEncoded: bytes).batch.isEmpty ? bytes : try Envelope(encoded: bytes, detachedRoots: roots).encoded
            }
            return Transmission(announcements: transmission.announcements, envelopes: envelopes, statements: transmission.statements)
        }
        // Relayed envelopes with their attachment whole (version 2); the rest as they are; only the roots still named.
        var named = Set<[UInt8]>()
        let envelopes = try transmission.envelopes.map { bytes in
            let names = try Envelope.namedRoots(ofEncoded: bytes)
            guard !names.consent.isEmpty else {
                named.formUnion(names.batch)
                return bytes
            }
            let envelope = try Envelope(encoded: bytes, detachedRoots: roots)
            named.insert(envelope.rootDigest ?? envelope.root.digest)
            return keepingRelayWhole(envelope)
        }
        return Transmission(announcements: transmission.announcements, envelopes: envelopes, statements: transmission.statements,
                            roots: transmission.roots.filter { named.contains(SignedBatchRoot.digest(ofEncoded: $0)) })
    }

    /// A version-3 envelope as version 2: the relay attachment whole, the batch root still named by digest.
    private static func keepingRelayWhole(_ envelope: Envelope) -> [UInt8] {
        envelope.detachedEncoding(rootDigest: envelope.rootDigest ?? envelope.root.digest, keepingRelayWhole: true)
    }

    /// Verifies a round's receipts and records them as deliveries (refused rows as retries on their own backoff), in one step.
    func record(_ round: SentRound) async throws -> DeliveryReport {
        defer { outboxGuard.withLock { $0.release(round.due.map(\.id)) } }
        let (peer, due, frames, results, now, retryNow) = (round.peer, round.due, round.frames, round.answer.results, round.now, round.retryNow)
        // The receipt roots detached receipts name: parsed once each; a root some verified receipt names is kept.
        // An unreadable list is one malformed answer (audited once): the detached receipts fail for want of their root.
        var events: [AuditEvent] = []
        let answerRoots: [[UInt8]: ReceiptRoot]
        do { answerRoots = try ReceiptRoot.index(encoded: round.answer.roots) } catch {
            answerRoots = [:]
            events.append(.securityEvent(kind: .malformedInput, peer: peer.rawValue, envelopeID: nil, detail: "the answer's receipt roots are unreadable: \(error)"))
        }
        var usedRoots = Set<[UInt8]>()
        let envelopeAnswers = results[..<round.envelopeCount]
        // The answer lists the envelopes' results, then the statements'.
        var envelopeResults = envelopeAnswers.makeIterator()
        var statementResults = results[round.envelopeCount...].makeIterator()
        var deliveries: [OutboxDelivery] = []
        /// Why each row not delivered was not.
        var reasons: [String: String] = [:]
        /// Rows the peer could not take for a passing reason of its own (its store): retried like a failed send.
        var transient = Set<String>()
        func refusedByPeer(_ row: OutboxEnvelope, _ error: NodeError) {
            refuse(row, error.message)
            if Self.isTransient(error) { transient.insert(row.id) }
        }
        func refuse(_ row: OutboxEnvelope, _ why: String) { reasons[row.id] = why }
        var peerHeads: [PeerTreeHeadRecord] = []
        var newPeerHead: (bytes: [UInt8], reference: PeerTreeHeadReference)?
        var reference: PeerTreeHeadReference?
        for (row, frame) in zip(due, frames) {
            if let statementBytes = frame.statements.first {
                switch statementResults.next() {
                case .statementReceipt(let signature):
                    do {
                        try StatementReceipt.verify(signature, digest: Array(SHA256.hash(data: statementBytes)), peer: peer.rawValue, directory: directory, at: now)
                        deliveries.append(OutboxDelivery(envelopeID: row.id, deliveredAt: now, receipt: Data(signature)))
                        events.append(.receiptReceived(envelopeID: row.id, from: peer.rawValue, peerTreeHead: nil))
                    } catch {
                        refuse(row, "statement receipt does not verify (\(error))")
                        events.append(.securityEvent(kind: .forgedSignature, peer: peer.rawValue, envelopeID: row.id, detail: "bad statement receipt: \(error)"))
                    }
                case .refused(let error): refusedByPeer(row, error)
                case .receipt, nil: refuse(row, "\(peer) answered a statement with an envelope receipt")
                }
                continue
            }
            let envelopeBytes = frame.envelopes[0]
            switch envelopeResults.next() {
            case .receipt(let bytes):
                do {
                    let receipt = try Receipt(encoded: bytes, roots: answerRoots)
                    try receipt.verify(forHeader: try Envelope.header(ofEncoded: envelopeBytes, detachedRoots: round.detachedRoots), directory: directory, cache: receiptRoots)
                    if let digest = receipt.rootDigest { usedRoots.insert(digest) }
                    deliveries.append(OutboxDelivery(envelopeID: row.id, deliveredAt: now, receipt: Data(bytes)))
                    if reference == nil, let headBytes = receipt.treeHead,
                       let known = latestPeerHeads.withLock({ $0[peer] }), known.bytes == headBytes {
                        // The same head as the last answer's (a peer signs one at most once a second): verified and kept then.
                        reference = known.reference
                    } else if reference == nil, let headBytes = receipt.treeHead {
                        // The peer's commitment to its log: kept if its hybrid signature verifies, else a security event.
                        do {
                            let head = try SignedTreeHead(decoding: headBytes)
                            guard head.head.log == peer.rawValue else { throw NodeError(.crypto, "tree head of \(head.head.log), not \(peer)") }
                            try head.verify(with: treeHeadVerifier)
                            let verified = PeerTreeHeadReference(treeSize: head.head.treeSize, rootHash: head.head.rootHash)
                            reference = verified
                            newPeerHead = (headBytes, verified)
                            peerHeads.append(PeerTreeHeadRecord(
                                peer: peer.rawValue, size: Int64(head.head.treeSize), receivedMilliseconds: Int64(AuditTimestamp(now).millisecondsSince1970),
                                envelopeID: row.id, bytes: Data(headBytes)))
                        } catch {
                            events.append(.securityEvent(kind: .forgedSignature, peer: peer.rawValue, envelopeID: row.id, detail: "bad tree head: \(error)"))
                        }
                    }
                    events.append(.receiptReceived(envelopeID: row.id, from: peer.rawValue, peerTreeHead: reference))
                } catch {
                    refuse(row, "receipt does not verify (\(error))")
                    events.append(.securityEvent(kind: .forgedSignature, peer: peer.rawValue, envelopeID: row.id, detail: "bad receipt: \(error)"))
                }
            case .refused(let error): refusedByPeer(row, error)
            case .statementReceipt, nil:
                refuse(row, "\(peer) answered an envelope with a statement receipt")
            }
        }
        // A refused row stays pending for an operator and is offered again with its own backoff (a note the
        // peer lacked may arrive meanwhile), not at every round: the peer audits each refusal. A row the peer
        // could not store is retried like a failed send: one instant for them all, holding later rows back.
        let delivered = Set(deliveries.map(\.envelopeID))
        let undelivered = due.filter { !delivered.contains($0.id) }
        let refusedRows = undelivered.filter { !transient.contains($0.id) }
        let transientRows = undelivered.filter { transient.contains($0.id) }
        let roundRetry = retryNow.addingTimeInterval(Self.backoff(attempts: transientRows.map(\.attempts).max() ?? 0))
        let retries = refusedRows.map {
            OutboxFailure(envelopeID: $0.id, nextAttempt: retryNow.addingTimeInterval(Self.backoff(attempts: $0.attempts)), reason: reasons[$0.id], refused: true)
        } + transientRows.map { OutboxFailure(envelopeID: $0.id, nextAttempt: roundRetry, reason: reasons[$0.id]) }
        try await commit(StepWrite(deliveries: deliveries, failures: retries, peerTreeHeads: peerHeads,
                                   signedRoots: Self.rootRecords(round.answer.roots, named: usedRoots)), events: events)
        if let newPeerHead { latestPeerHeads.withLock { $0[peer] = newPeerHead } }
        let refused = due.compactMap { row in reasons[row.id].map { "\(row.id): \($0)" } }
        return DeliveryReport(attempted: due.count, delivered: deliveries.count, refused: refused, deliveredIDs: deliveries.map(\.envelopeID))
    }

    /// The roots of `encoded` that `digests` name, to keep once in the store: only what something held or
    /// verified names, never whatever else a peer sent along.
    static func rootRecords(_ encoded: [[UInt8]], named digests: Set<[UInt8]>) -> [SignedRootRecord] {
        guard !digests.isEmpty else { return [] }
        return encoded.compactMap { bytes in
            let digest = SHA256.hash(data: bytes)
            return digests.contains(Array(digest)) ? SignedRootRecord(digest: Data(digest), bytes: Data(bytes)) : nil
        }
    }

    /// Whether a peer's refusal is about the peer (it could not store the envelope) rather than the envelope:
    /// in process the error's code says so; over the wire the answer carries it as `store: …`.
    static func isTransient(_ error: NodeError) -> Bool {
        error.code == .store || error.message.hasPrefix("peer refused: \(NodeError.Code.store): ")
    }

    /// 0.2 s doubling per attempt, at most 30 s.
    static func backoff(attempts: Int) -> TimeInterval {
        min(30, 0.2 * pow(2, Double(min(attempts, 10))))
    }
}
