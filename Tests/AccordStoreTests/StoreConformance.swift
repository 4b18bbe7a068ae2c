import AccordCore
import AccordStore
import Foundation
import Testing

/// The tests every ``NodeStore`` backend passes (the shape of swift-configuration's
/// `ProviderCompatTest`): each check gets a fresh, migrated store.
struct StoreConformance {
    /// One check of the suite; backends run them all through `@Test(arguments:)`.
    enum Check: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case outboxOrderAndRetry
        case outboxRejectsUnknownAndDuplicateIDs
        case outboxFailureReasonsAndWithdrawals
        case inboxDeduplicates
        case stepIsAtomic
        case auditIndexesUnderConcurrentWriters
        case auditAppendIsChecked
        case treeHeads
        case holdingsRoundTrip
        case usersRoundTrip
        case consentsRoundTrip
        case notesAndKeyBundles
        case migrationsAreIdempotent
        case corruptRowsAreTypedErrors
        case objectsRoundTrip
        case objectLabelsAndWindows
        case signedRootsAreKeptOnce
        case epochAnnouncementsAreKeptOnce
        case outboxReadBackByCreation

        var testDescription: String { rawValue }
    }

    let store: any NodeStore
    /// Runs raw SQL against the backend, as an insider with database access could.
    let tamper: @Sendable (String) async throws -> Void
    /// The migrations the backend reports as applied.
    let appliedMigrations: @Sendable () async throws -> [String]
    /// What it should report: both backends share the first two; SQLite keeps outbox bytes beside the rows
    /// since v3; both keep signed roots apart (SQLite v4, PostgreSQL v3); PostgreSQL indexes the inbox's compromise
    /// reports (v4; SQLite reads a range of the key); both index objects by label (PostgreSQL v5, SQLite v5); both
    /// withdraw outbox rows (v6) and keep the epoch announcements they sent (v7).
    var expectedMigrations = ["v1-node-store", "v2-objects", "v3-signed-roots", "v4-inbox-compromise-reports", "v5-objects-labels", "v6-outbox-withdrawal",
                              "v7-epoch-announcements"]

    func run(_ check: Check) async throws {
        switch check {
        case .outboxOrderAndRetry: try await outboxOrderAndRetry()
        case .outboxRejectsUnknownAndDuplicateIDs: try await outboxRejectsUnknownAndDuplicateIDs()
        case .outboxFailureReasonsAndWithdrawals: try await outboxFailureReasonsAndWithdrawals()
        case .inboxDeduplicates: try await inboxDeduplicates()
        case .stepIsAtomic: try await stepIsAtomic()
        case .auditIndexesUnderConcurrentWriters: try await auditIndexesUnderConcurrentWriters()
        case .auditAppendIsChecked: try await auditAppendIsChecked()
        case .treeHeads: try await treeHeads()
        case .holdingsRoundTrip: try await holdingsRoundTrip()
        case .usersRoundTrip: try await usersRoundTrip()
        case .consentsRoundTrip: try await consentsRoundTrip()
        case .notesAndKeyBundles: try await notesAndKeyBundles()
        case .migrationsAreIdempotent: try await migrationsAreIdempotent()
        case .corruptRowsAreTypedErrors: try await corruptRowsAreTypedErrors()
        case .objectsRoundTrip: try await objectsRoundTrip()
        case .objectLabelsAndWindows: try await objectLabelsAndWindows()
        case .signedRootsAreKeptOnce: try await signedRootsAreKeptOnce()
        case .epochAnnouncementsAreKeptOnce: try await epochAnnouncementsAreKeptOnce()
        case .outboxReadBackByCreation: try await outboxReadBackByCreation()
        }
    }

    /// Expects `body` to throw a ``StoreError`` with `code`.
    func expectStoreError(_ code: StoreError.Code, _ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            try await body()
            Issue.record("expected a store error \(code), nothing was thrown", sourceLocation: sourceLocation)
        } catch let error as StoreError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a store error \(code), got \(error)", sourceLocation: sourceLocation)
        }
    }

    // MARK: Outbox

    func outboxOrderAndRetry() async throws {
        try await store.commit(StepWrite(outbox: [outbox("e1"), outbox("e2"), outbox("u1", to: US), outbox("e3")]))
        try await store.commit(StepWrite(outbox: [outbox("e4"), outbox("e5")]))
        #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 3).map(\.id) == ["e1", "e2", "e3"])
        #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 10).map(\.id) == ["e1", "e2", "e3", "e4", "e5"])
        #expect(try await store.pendingOutbox(sender: KR, recipient: US, limit: 10).map(\.id) == ["u1"])
        #expect(try await store.pendingOutbox(sender: JP, recipient: KR, limit: 10).isEmpty)
        #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 0).isEmpty)
        // Rows of a round in flight are left out before the limit applies, wherever they are.
        #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 2, excluding: ["e1", "e3"]).map(\.id) == ["e2", "e4"])
        #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 10, excluding: ["e1", "e2", "e3", "e4", "e5", "u1"]).isEmpty)
        #expect(try await store.pendingOutbox(sender: KR, recipient: US, limit: 10, excluding: ["e1"]).map(\.id) == ["u1"])
        #expect(try await store.outboxEnvelope(id: "e1") == outbox("e1"))

        // The peer is down: two failed attempts leave the order as it was.
        try await store.commit(StepWrite(failures: [OutboxFailure(envelopeID: "e1", nextAttempt: instant(10))]))
        try await store.commit(StepWrite(failures: [OutboxFailure(envelopeID: "e1", nextAttempt: instant(30))]))
        let retried = try #require(try await store.outboxEnvelope(id: "e1"))
        #expect(retried.attempts == 2)
        #expect(retried.nextAttempt == instant(30))
        #expect(retried.state == .pending)
        #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 1).map(\.id) == ["e1"])
        #expect(try await store.pendingRoutes() == [
            OutboxRoute(sender: KR, recipient: JP, pending: 5, earliestAttempt: instant(0), oldestCreated: instant(0)),
            OutboxRoute(sender: KR, recipient: US, pending: 1, earliestAttempt: instant(0), oldestCreated: instant(0)),
        ])

        // Receipts arrive for e1 and e2.
        let outcome = try await store.commit(StepWrite(deliveries: [
            OutboxDelivery(envelopeID: "e1", deliveredAt: instant(40), receipt: bytes("receipt e1")),
            OutboxDelivery(envelopeID: "e2", deliveredAt: instant(41), receipt: bytes("receipt e2")),
        ]))
        #expect(outcome.alreadyDelivered.isEmpty)
        #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 10).map(\.id) == ["e3", "e4", "e5"])
        let delivered = try #require(try await store.outboxEnvelope(id: "e1"))
        #expect(delivered.state == .delivered(at: instant(40), receipt: bytes("receipt e1")))
        #expect(delivered.bytes == bytes("sealed e1"))

        // A second receipt (two workers raced) changes nothing and says so; a late failure too.
        let again = try await store.commit(StepWrite(
            deliveries: [OutboxDelivery(envelopeID: "e1", deliveredAt: instant(50), receipt: bytes("other"))],
            failures: [OutboxFailure(envelopeID: "e2", nextAttempt: instant(99))]))
        #expect(again.alreadyDelivered == ["e1"])
        #expect(try await store.outboxEnvelope(id: "e1")?.state == .delivered(at: instant(40), receipt: bytes("receipt e1")))
        #expect(try await store.outboxEnvelope(id: "e2")?.attempts == 0)
        #expect(try await store.pendingRoutes().map(\.pending) == [3, 1])

        // A failed round of several rows: each counts one attempt and takes its own next attempt; an id twice in one
        // step counts twice, the later instant last.
        try await store.commit(StepWrite(failures: [
            OutboxFailure(envelopeID: "e3", nextAttempt: instant(60)), OutboxFailure(envelopeID: "e4", nextAttempt: instant(61)),
            OutboxFailure(envelopeID: "e5", nextAttempt: instant(62)),
        ]))
        try await store.commit(StepWrite(failures: [
            OutboxFailure(envelopeID: "e3", nextAttempt: instant(70)), OutboxFailure(envelopeID: "e3", nextAttempt: instant(71)),
        ]))
        let rows = try await store.pendingOutbox(sender: KR, recipient: JP, limit: 10)
        #expect(rows.map(\.attempts) == [3, 1, 1])
        #expect(rows.map(\.nextAttempt) == [instant(71), instant(61), instant(62)])
        // With a delivered row among them: it is left alone, the others count.
        try await store.commit(StepWrite(failures: [
            OutboxFailure(envelopeID: "e2", nextAttempt: instant(80)), OutboxFailure(envelopeID: "e5", nextAttempt: instant(81)),
        ]))
        #expect(try await store.outboxEnvelope(id: "e2")?.attempts == 0)
        #expect(try await store.outboxEnvelope(id: "e5")?.attempts == 2)
    }

    func outboxRejectsUnknownAndDuplicateIDs() async throws {
        try await store.commit(StepWrite(outbox: [outbox("e1")]))
        await expectStoreError(.notFound) {
            try await store.commit(StepWrite(deliveries: [OutboxDelivery(envelopeID: "nope", deliveredAt: instant(1), receipt: bytes("r"))]))
        }
        await expectStoreError(.notFound) {
            try await store.commit(StepWrite(failures: [OutboxFailure(envelopeID: "nope", nextAttempt: instant(1))]))
        }
        // With a known row in the same step: nothing is written.
        await expectStoreError(.notFound) {
            try await store.commit(StepWrite(failures: [
                OutboxFailure(envelopeID: "e1", nextAttempt: instant(1)), OutboxFailure(envelopeID: "nope", nextAttempt: instant(1)),
            ]))
        }
        #expect(try await store.outboxEnvelope(id: "e1")?.attempts == 0)
        await expectStoreError(.conflict) { try await store.commit(StepWrite(outbox: [outbox("e2"), outbox("e1")])) }
        await expectStoreError(.invalid) { try await store.commit(StepWrite(outbox: [outbox("")])) }
        #expect(try await store.outboxEnvelope(id: "e2") == nil)
        #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 10).map(\.id) == ["e1"])
    }

    func outboxFailureReasonsAndWithdrawals() async throws {
        try await store.commit(StepWrite(outbox: [outbox("e1"), outbox("e2"), outbox("e3"), outbox("e4")]))
        // A failure keeps its reason and whether the peer refused the envelope itself; the next failure replaces both.
        try await store.commit(StepWrite(failures: [
            OutboxFailure(envelopeID: "e1", nextAttempt: instant(10), reason: "peer refused: no agreement in force", refused: true),
            OutboxFailure(envelopeID: "e2", nextAttempt: instant(10), reason: "connection refused"),
        ]))
        let refused = try #require(try await store.outboxEnvelope(id: "e1"))
        #expect(refused.lastError == "peer refused: no agreement in force")
        #expect(refused.refused)
        #expect(try await store.outboxEnvelope(id: "e2")?.lastError == "connection refused")
        #expect(try await store.outboxEnvelope(id: "e2")?.refused == false)
        try await store.commit(StepWrite(failures: [OutboxFailure(envelopeID: "e1", nextAttempt: instant(20), reason: "timed out")]))
        #expect(try await store.outboxEnvelope(id: "e1")?.lastError == "timed out")
        #expect(try await store.outboxEnvelope(id: "e1")?.refused == false)
        // The same through the several-row path.
        try await store.commit(StepWrite(failures: [
            OutboxFailure(envelopeID: "e1", nextAttempt: instant(30)), OutboxFailure(envelopeID: "e2", nextAttempt: instant(30), reason: "x", refused: true),
        ]))
        #expect(try await store.outboxEnvelope(id: "e1")?.lastError == nil)
        #expect(try await store.outboxEnvelope(id: "e2")?.refused == true)
        #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 10).map(\.refused) == [false, true, false, false])
        // A reason is bounded: at most 1,000 bytes, cut on a character.
        #expect(OutboxFailure(envelopeID: "e1", nextAttempt: instant(0), reason: String(repeating: "é", count: 600)).reason?.utf8.count == 1_000)

        // Withdrawn: out of the pending rows and routes, with when, who and why.
        try await store.commit(StepWrite(withdrawals: [OutboxWithdrawal(envelopeID: "e2", at: instant(40), by: "operator", reason: "peer revoked")]))
        #expect(try await store.outboxEnvelope(id: "e2")?.state == .withdrawn(at: instant(40), by: "operator", reason: "peer revoked"))
        #expect(try await store.pendingOutbox(sender: KR, recipient: JP, limit: 10).map(\.id) == ["e1", "e3", "e4"])
        #expect(try await store.pendingRoutes().map(\.pending) == [3])
        // Only a pending row: withdrawn or delivered already is a conflict, an unknown one not found; nothing is written.
        try await store.commit(StepWrite(deliveries: [OutboxDelivery(envelopeID: "e3", deliveredAt: instant(41), receipt: bytes("r3"))]))
        for id in ["e2", "e3"] {
            await expectStoreError(.conflict) {
                try await store.commit(StepWrite(withdrawals: [
                    OutboxWithdrawal(envelopeID: "e4", at: instant(42), by: "operator", reason: "r"),
                    OutboxWithdrawal(envelopeID: id, at: instant(42), by: "operator", reason: "r"),
                ]))
            }
        }
        await expectStoreError(.notFound) {
            try await store.commit(StepWrite(withdrawals: [OutboxWithdrawal(envelopeID: "nope", at: instant(42), by: "operator", reason: "r")]))
        }
        #expect(try await store.outboxEnvelope(id: "e4")?.state == .pending)
        await expectStoreError(.invalid) {
            try await store.commit(StepWrite(withdrawals: [OutboxWithdrawal(envelopeID: "e4", at: instant(42), by: "operator", reason: " ")]))
        }
        // A new row is neither withdrawn nor failed.
        await expectStoreError(.invalid) {
            try await store.commit(StepWrite(outbox: [OutboxEnvelope(
                id: "e5", sender: KR, recipient: JP, agreementID: "GSOMIA-2016", created: instant(0), bytes: bytes("x"), attempts: 0,
                nextAttempt: instant(0), state: .withdrawn(at: instant(0), by: "o", reason: "r"))]))
        }
        // A receipt for a withdrawn row (its round was on the wire) is a delivery all the same.
        let late = try await store.commit(StepWrite(deliveries: [OutboxDelivery(envelopeID: "e2", deliveredAt: instant(50), receipt: bytes("r2"))]))
        #expect(late.alreadyDelivered.isEmpty)
        #expect(try await store.outboxEnvelope(id: "e2")?.state == .delivered(at: instant(50), receipt: bytes("r2")))
        // Raw SQL cannot make a withdrawn row without its reason.
        await #expect(throws: (any Error).self) {
            try await tamper("UPDATE outbox SET state = 'withdrawn' WHERE envelope_id = 'e4'")
        }
    }

    // MARK: Inbox

    func inboxDeduplicates() async throws {
        let holding = try receivedHolding(id: "h1").snapshot
        let first = try await store.commit(StepWrite(inbox: [inbox("x1", holding: holding)]), audit: { context in
            #expect(context.inboxDuplicates.isEmpty)
            return (auditAppend(context, entries: [auditEntry(context.size, "received x1")]), context.size)
        })
        #expect(first.inboxDuplicates.isEmpty)
        #expect(first.auditIndexes == 0..<1)
        #expect(first.result == 0)

        // A replay with other bytes and another holding writes nothing, and the audit closure knows.
        let other = try receivedHolding(id: "h2", objectID: "obj-2").snapshot
        let replay = try await store.commit(
            StepWrite(inbox: [inbox("x1", seconds: 5, holding: other, payload: "forged"), inbox("x2"), inbox("x2", payload: "again")]),
            audit: { context in
                (auditAppend(context, entries: context.inboxDuplicates.sorted().map { auditEntry(context.size, "replay \($0)") }), context.inboxDuplicates)
            })
        #expect(replay.inboxDuplicates == ["x1", "x2"])
        #expect(replay.result == ["x1", "x2"])
        #expect(replay.auditIndexes == 1..<3)
        #expect(try await store.inboxEnvelope(id: "x1") == InboxEnvelope(id: "x1", sender: KR, received: instant(0), bytes: bytes("envelope x1")))
        #expect(try await store.inboxEnvelope(id: "x2")?.bytes == bytes("envelope x2"))
        #expect(try await store.inboxEnvelope(id: "x3") == nil)
        #expect(try await store.inboxHolds(["x1", "x3", "x2"]) == ["x1", "x2"])
        #expect(try await store.inboxHolds([]).isEmpty)
        #expect(try await store.holding(id: "h2") == nil)
        #expect(try await store.holdings(holder: nil).map(\.id) == ["h1"])

        // A transmission's worth in one step: every new envelope's holding is stored, whole; a duplicate's is not.
        let batch = try (3...5).map { try receivedHolding(id: "h\($0)", objectID: "obj-\($0)").snapshot }
        let held = try await store.commit(StepWrite(inbox: [inbox("x1", holding: other)] + batch.enumerated().map { inbox("y\($0.offset)", holding: $0.element) }))
        #expect(held.inboxDuplicates == ["x1"])
        for snapshot in batch { #expect(try await store.holding(id: snapshot.id) == snapshot) }
        #expect(try await store.holdings(holder: nil).count == 4)

        // Signed statements kept under a prefix are read by it, by id; ids that only sort near the prefix are not.
        try await store.commit(StepWrite(inbox: ["compromise-b2", "compromise-a1", "compromise", "compromisf-1", "compromise.", "compromise-é"].map { inbox($0) }))
        #expect(try await store.inboxEnvelopes(idPrefix: "compromise-").map(\.id) == ["compromise-a1", "compromise-b2", "compromise-é"])
        #expect(try await store.inboxEnvelopes(idPrefix: "compromise-a1").map(\.bytes) == [bytes("envelope compromise-a1")])
        #expect(try await store.inboxEnvelopes(idPrefix: "note-").isEmpty)
        await expectStoreError(.invalid) { _ = try await store.inboxEnvelopes(idPrefix: "") }
        await expectStoreError(.invalid) { _ = try await store.inboxEnvelopes(idPrefix: "compromise-é") }
    }

    // MARK: Atomic steps

    func stepIsAtomic() async throws {
        try await store.commit(StepWrite(keyBundles: [
            KeyBundleRecord(party: JP, keyID: "jp-1", validFrom: instant(0), validUntil: nil, bytes: bytes("jp keys")),
        ]))
        let before = try await store.auditSize()
        let holding = try receivedHolding(id: "h1").snapshot
        // Everything a node step writes, and last a key bundle that contradicts the stored one.
        let step = StepWrite(
            inbox: [inbox("x1", holding: holding)], outbox: [outbox("e1")],
            users: [UserRecord(id: "u1", party: JP, clearance: "HI", needToKnow: [], tokenHash: "t1")],
            notes: [NoteRecord(agreementID: "a", noteID: "n1", from: KR, date: instant(0), bytes: bytes("note"))],
            treeHeads: [TreeHeadRecord(size: 1, timestampMilliseconds: 1, bytes: bytes("sth"))],
            peerTreeHeads: [PeerTreeHeadRecord(peer: "JP", size: 1, receivedMilliseconds: 1, bytes: bytes("peer sth"))])
        var conflicting = step
        conflicting.keyBundles = [KeyBundleRecord(party: JP, keyID: "jp-1", validFrom: instant(0), validUntil: nil, bytes: bytes("forged keys"))]
        await expectStoreError(.conflict) { try await store.commit(conflicting, audit: audit(["step"])) }
        try await expectNothingWritten(auditSize: before)

        // The audit closure fails: same.
        do {
            _ = try await store.commit(step) { _ -> (AuditAppend, Void) in throw PlannedFailure() }
            Issue.record("the audit closure's error was swallowed")
        } catch {
            #expect(error as? PlannedFailure == PlannedFailure())
        }
        try await expectNothingWritten(auditSize: before)

        // The audit append breaks its rules (a short hash): same.
        await expectStoreError(.invalid) {
            try await store.commit(step) { _ in
                (AuditAppend(leaves: [.init(entry: bytes("e"), leafHash: Data(count: 31))]), ())
            }
        }
        try await expectNothingWritten(auditSize: before)

        // The last outbox row repeats an id of the same step: same.
        var duplicate = step
        duplicate.outbox = [outbox("e1"), outbox("e2"), outbox("e1")]
        await expectStoreError(.conflict) { try await store.commit(duplicate, audit: audit(["step"])) }
        try await expectNothingWritten(auditSize: before)

        // And the step itself commits whole.
        let outcome = try await store.commit(step, audit: audit(["released e1", "received x1"]))
        #expect(outcome.auditIndexes == before..<(before + 2))
        #expect(try await store.inboxEnvelope(id: "x1") != nil)
        #expect(try await store.holding(id: "h1") == holding)
        #expect(try await store.outboxEnvelope(id: "e1") != nil)
        #expect(try await store.user(id: "u1") != nil)
        #expect(try await store.notes(agreementID: "a").count == 1)
        #expect(try await store.treeHeads().count == 1)
        #expect(try await store.peerTreeHeads(of: nil).count == 1)
    }

    private func expectNothingWritten(auditSize: Int64, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(try await store.inboxEnvelope(id: "x1") == nil, sourceLocation: sourceLocation)
        #expect(try await store.holding(id: "h1") == nil, sourceLocation: sourceLocation)
        #expect(try await store.outboxEnvelope(id: "e1") == nil, sourceLocation: sourceLocation)
        #expect(try await store.outboxEnvelope(id: "e2") == nil, sourceLocation: sourceLocation)
        #expect(try await store.user(id: "u1") == nil, sourceLocation: sourceLocation)
        #expect(try await store.notes(agreementID: nil).isEmpty, sourceLocation: sourceLocation)
        #expect(try await store.treeHeads().isEmpty, sourceLocation: sourceLocation)
        #expect(try await store.peerTreeHeads(of: nil).isEmpty, sourceLocation: sourceLocation)
        #expect(try await store.auditSize() == auditSize, sourceLocation: sourceLocation)
        #expect(try await store.keyBundles(party: JP).map(\.bytes) == [bytes("jp keys")], sourceLocation: sourceLocation)
    }

    // MARK: Audit log

    func auditIndexesUnderConcurrentWriters() async throws {
        let writers = 6, steps = 5, perStep = 3
        let ranges = try await withThrowingTaskGroup(of: [Range<Int64>].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var ranges = [Range<Int64>]()
                    for step in 0..<steps {
                        let texts = (0..<perStep).map { "w\(writer) s\(step) #\($0)" }
                        // Each step also writes an outbox row, so FIFO order is exercised too.
                        let outcome = try await store.commit(StepWrite(outbox: [outbox("w\(writer)-s\(step)")]), audit: audit(texts))
                        ranges.append(outcome.auditIndexes)
                    }
                    return ranges
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let total = Int64(writers * steps * perStep)
        #expect(try await store.auditSize() == total)
        // The ranges tile 0..<total exactly: no gap, no overlap.
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        #expect(sorted.first?.lowerBound == 0)
        #expect(sorted.last?.upperBound == total)
        #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        // Every leaf names the index it was written for, so each step saw the right tip.
        let leaves = try await store.auditLeaves(in: 0..<(total + 10))
        #expect(leaves.map(\.index) == Array(0..<total))
        #expect(leaves.allSatisfy { String(decoding: $0.entry, as: UTF8.self).hasPrefix("\($0.index):") })
        #expect(leaves.allSatisfy { $0.leafHash == leafHash($0.entry) })
        // Every stored subtree hash is the hash of its leaves: the tree was never forked.
        try await expectTree(leaves.map(\.leafHash))
        // The outbox keeps each writer's order (commit order), whatever the interleaving.
        let pending = try await store.pendingOutbox(sender: KR, recipient: JP, limit: 1000).map(\.id)
        #expect(pending.count == writers * steps)
        for writer in 0..<writers {
            #expect(pending.filter { $0.hasPrefix("w\(writer)-") } == (0..<steps).map { "w\(writer)-s\($0)" })
        }
    }

    /// Checks every perfect subtree's stored hash against one computed from `hashes`.
    private func expectTree(_ hashes: [Data]) async throws {
        var level = hashes
        var ids = [AuditNodeID](), expected = [Data]()
        var height = 0
        while level.count > 1 {
            level = stride(from: 0, to: level.count - 1, by: 2).map { nodeHash(level[$0], level[$0 + 1]) }
            height += 1
            for (index, hash) in level.enumerated() {
                ids.append(AuditNodeID(level: height, index: Int64(index)))
                expected.append(hash)
            }
        }
        #expect(try await store.auditNodeHashes(ids) == expected)
        let size = Int64(hashes.count)
        #expect(try await store.auditNodeHashes([AuditNodeID(level: 0, index: 0), AuditNodeID(level: 0, index: size)]) == [hashes.first, nil])
        #expect(try await store.auditNodeHashes([AuditNodeID(level: height + 1, index: 0)]) == [nil])
    }

    func auditAppendIsChecked() async throws {
        try await store.commit(StepWrite(), audit: audit(["a", "b", "c"]))
        // Leaving out a completed subtree (3 → 4 completes 1/1 and 2/0) is refused.
        await expectStoreError(.invalid) {
            try await store.commit(StepWrite()) { context in
                var append = auditAppend(context, entries: [bytes("d")])
                append.nodes.removeAll { $0.id.level == 2 }
                return (append, ())
            }
        }
        // A subtree the new leaves do not complete is refused.
        await expectStoreError(.invalid) {
            try await store.commit(StepWrite()) { context in
                var append = auditAppend(context, entries: [bytes("d")])
                append.nodes.append(AuditNodeHash(id: AuditNodeID(level: 1, index: 7), hash: Data(count: 32)))
                return (append, ())
            }
        }
        // A level-0 node that differs from its leaf is refused; an empty entry too.
        await expectStoreError(.invalid) {
            try await store.commit(StepWrite()) { context in
                var append = auditAppend(context, entries: [bytes("d")])
                append.nodes[0] = AuditNodeHash(id: AuditNodeID(level: 0, index: 3), hash: Data(count: 32))
                return (append, ())
            }
        }
        await expectStoreError(.invalid) {
            try await store.commit(StepWrite()) { context in (auditAppend(context, entries: [Data()]), ()) }
        }
        #expect(try await store.auditSize() == 3)
        let outcome = try await store.commit(StepWrite(), audit: audit(["d"]))
        #expect(outcome.auditIndexes == 3..<4)
        // An empty append writes no leaf and reports an empty range at the tip.
        #expect(try await store.commit(StepWrite()).auditIndexes == 4..<4)
        let leaves = try await store.auditLeaves(in: 0..<4)
        try await expectTree(leaves.map(\.leafHash))
        #expect(try await store.auditLeaves(in: 2..<3).map(\.entry) == [auditEntry(2, "c")])
        #expect(try await store.auditLeaves(in: 10..<20).isEmpty)
    }

    func treeHeads() async throws {
        #expect(try await store.latestTreeHead() == nil)
        #expect(try await store.latestPeerTreeHead(of: "JP") == nil)
        let own = [TreeHeadRecord(size: 0, timestampMilliseconds: 1000, bytes: bytes("sth 0")),
                   TreeHeadRecord(size: 5, timestampMilliseconds: 2000, bytes: bytes("sth 5"))]
        let jp = PeerTreeHeadRecord(peer: "JP", size: 7, receivedMilliseconds: 3000, envelopeID: "e1", bytes: bytes("jp 7"), proofFromPrevious: nil)
        let us = PeerTreeHeadRecord(peer: "US", size: 2, receivedMilliseconds: 3001, bytes: bytes("us 2"))
        let jpLater = PeerTreeHeadRecord(peer: "JP", size: 9, receivedMilliseconds: 4000, bytes: bytes("jp 9"), proofFromPrevious: bytes("proof 7-9"))
        try await store.commit(StepWrite(treeHeads: own, peerTreeHeads: [jp, us]))
        try await store.commit(StepWrite(peerTreeHeads: [jpLater]))
        #expect(try await store.treeHeads() == own)
        #expect(try await store.latestTreeHead() == own[1])
        #expect(try await store.peerTreeHeads(of: nil) == [jp, us, jpLater])
        #expect(try await store.peerTreeHeads(of: "JP") == [jp, jpLater])
        #expect(try await store.latestPeerTreeHead(of: "JP") == jpLater)
        #expect(try await store.latestPeerTreeHead(of: "US") == us)
    }

    // MARK: Holdings, users, consents, notes, keys

    func holdingsRoundTrip() async throws {
        var holding = try receivedHolding(id: "h1")
        let later = try receivedHolding(id: "h0", objectID: "obj-0", seconds: 60)
        try await store.commit(StepWrite(holdings: [later.snapshot, holding.snapshot]))
        #expect(try await store.holding(id: "h1") == holding.snapshot)
        #expect(try await store.holdings(holder: JP).map(\.id) == ["h1", "h0"])
        #expect(try await store.holdings(holder: KR).isEmpty)
        let restored = try Holding(snapshot: try #require(try await store.holding(id: "h1")), parties: bundledBook.parties)
        #expect(restored == holding)

        try holding.dispose(.destroy, by: "security officer", record: "burned, witness K. Sato", at: instant(120))
        try await store.commit(StepWrite(holdings: [holding.snapshot]))
        let disposed = try Holding(snapshot: try #require(try await store.holding(id: "h1")), parties: bundledBook.parties)
        #expect(disposed == holding)
        #expect(!disposed.isHeld)
        #expect(try await store.holding(id: "missing") == nil)
    }

    func usersRoundTrip() async throws {
        let scheme = try #require(bundledBook.parties[JP]).scheme
        let analyst = User(id: "sato", party: JP, clearance: try #require(scheme.level(named: "GOKUHI")),
                           needToKnow: [Topic("nk-missile")!, Topic("maritime")!])
        let record = UserRecord(user: analyst, tokenHash: "token-hash-sato", passwordHash: "pw-hash")
        let other = UserRecord(id: "abe", party: JP, clearance: "HI", needToKnow: [], tokenHash: "token-hash-abe")
        try await store.commit(StepWrite(users: [record, other]))
        #expect(try await store.user(id: "sato") == record)
        #expect(try await store.user(tokenHash: "token-hash-sato") == record)
        #expect(try await store.user(tokenHash: "unknown") == nil)
        #expect(try await store.users().map(\.id) == ["abe", "sato"])
        #expect(try record.user(parties: bundledBook.parties) == analyst)

        // Replacing keeps one row; another user cannot take the same token.
        let rotated = UserRecord(user: analyst, tokenHash: "token-hash-sato-2")
        try await store.commit(StepWrite(users: [rotated]))
        #expect(try await store.user(tokenHash: "token-hash-sato") == nil)
        #expect(try await store.user(id: "sato")?.passwordHash == nil)
        await expectStoreError(.conflict) {
            try await store.commit(StepWrite(users: [UserRecord(id: "mallory", party: JP, clearance: "HI", needToKnow: [], tokenHash: "token-hash-abe")]))
        }
        try await store.commit(StepWrite(removedUsers: ["abe"]))
        #expect(try await store.users().map(\.id) == ["sato"])

        let bad = UserRecord(id: "x", party: JP, clearance: "NO-SUCH-LEVEL", needToKnow: [], tokenHash: "t")
        #expect(throws: StoreError(.corrupt, "unknown level")) { try bad.user(parties: bundledBook.parties) }
    }

    func consentsRoundTrip() async throws {
        let perObject = Consent(id: "c1", originator: KR, intermediary: US, recipient: JP, coverage: .object("obj-1"),
                                validFrom: instant(0), validUntil: instant(86_400))
        let scope = Consent(id: "c2", originator: KR, intermediary: US, recipient: JP,
                            coverage: .scope(topics: [Topic("nk-missile")!], ceiling: "II"), validFrom: instant(0))
        let japanese = Consent(id: "c3", originator: JP, intermediary: US, recipient: KR, coverage: .object("obj-9"), validFrom: instant(0))
        try await store.commit(StepWrite(consents: [scope, japanese, perObject]))
        #expect(try await store.consent(id: "c1") == perObject)
        #expect(try await store.consent(id: "c2") == scope)
        #expect(try await store.consent(id: "nope") == nil)
        #expect(try await store.consents(originator: KR, intermediary: US, recipient: JP) == [perObject, scope])
        #expect(try await store.consents(originator: nil, intermediary: US, recipient: nil).map(\.id) == ["c1", "c2", "c3"])
        #expect(try await store.consents(originator: JP, intermediary: nil, recipient: nil) == [japanese])
        #expect(try await store.consents(originator: nil, intermediary: nil, recipient: US).isEmpty)
    }

    func notesAndKeyBundles() async throws {
        let notice = NoteRecord(agreementID: "kr-jp-gsomia-2016", noteID: "2019-08-23-notice", from: KR, date: instant(200), bytes: bytes("signed notice"))
        let signature = NoteRecord(agreementID: "kr-jp-gsomia-2016", noteID: "2016-11-23-signature", from: JP, date: instant(100), bytes: bytes("signed"))
        let other = NoteRecord(agreementID: "tisa-2014", noteID: "2014-12-29", from: US, date: instant(50), bytes: bytes("tisa"))
        let first = try await store.commit(StepWrite(notes: [notice, signature, other]))
        #expect(first.noteDuplicates.isEmpty)
        #expect(try await store.notes(agreementID: "kr-jp-gsomia-2016") == [signature, notice])
        #expect(try await store.notes(agreementID: nil) == [other, signature, notice])
        // The same note again (a peer resends) is a duplicate; other bytes under its id are refused.
        let again = try await store.commit(StepWrite(notes: [notice]))
        #expect(again.noteDuplicates == ["kr-jp-gsomia-2016/2019-08-23-notice"])
        await expectStoreError(.conflict) {
            try await store.commit(StepWrite(notes: [NoteRecord(agreementID: notice.agreementID, noteID: notice.noteID, from: KR,
                                                                date: instant(200), bytes: bytes("forged"))]))
        }
        #expect(try await store.notes(agreementID: "kr-jp-gsomia-2016") == [signature, notice])

        let jp1 = KeyBundleRecord(party: JP, keyID: "jp-2016", validFrom: instant(0), validUntil: instant(1000), bytes: bytes("jp keys 1"))
        let jp2 = KeyBundleRecord(party: JP, keyID: "jp-2019", validFrom: instant(1000), validUntil: nil, bytes: bytes("jp keys 2"))
        let kr = KeyBundleRecord(party: KR, keyID: "kr-1", validFrom: instant(0), validUntil: nil, bytes: bytes("kr keys"))
        try await store.commit(StepWrite(keyBundles: [jp2, kr, jp1]))
        try await store.commit(StepWrite(keyBundles: [jp2]))
        #expect(try await store.keyBundles(party: JP) == [jp1, jp2])
        #expect(try await store.keyBundles(party: nil) == [jp1, jp2, kr])
        await expectStoreError(.conflict) {
            try await store.commit(StepWrite(keyBundles: [KeyBundleRecord(party: JP, keyID: "jp-2019", validFrom: instant(1000),
                                                                          validUntil: instant(5000), bytes: bytes("jp keys 2"))]))
        }
        #expect(try await store.keyBundles(party: JP) == [jp1, jp2])
    }

    // MARK: Signed roots

    func signedRootsAreKeptOnce() async throws {
        func digest(_ byte: UInt8) -> Data { Data(repeating: byte, count: 32) }
        let a = SignedRootRecord(digest: digest(0xA1), bytes: bytes("root a"))
        let b = SignedRootRecord(digest: digest(0xB2), bytes: bytes("root b"))
        // Written with the step (the same root twice in one step, and again in a later step, is kept once).
        try await store.commit(StepWrite(outbox: [outbox("e1")], signedRoots: [a, a]))
        try await store.commit(StepWrite(signedRoots: [a, b]))
        #expect(try await store.signedRoots([a.digest, b.digest, digest(0xC3), a.digest]) == [a.digest: a.bytes, b.digest: b.bytes])
        #expect(try await store.signedRoots([]).isEmpty)
        // A step that fails writes no root.
        let c = SignedRootRecord(digest: digest(0xC3), bytes: bytes("root c"))
        await expectStoreError(.conflict) { try await store.commit(StepWrite(outbox: [outbox("e1")], signedRoots: [c])) }
        #expect(try await store.signedRoots([c.digest]).isEmpty)
        // A digest that is not 32 bytes is refused before anything is written.
        await expectStoreError(.invalid) {
            try await store.commit(StepWrite(signedRoots: [SignedRootRecord(digest: Data([1, 2]), bytes: bytes("short"))]))
        }
    }

    func outboxReadBackByCreation() async throws {
        // Committed in this order (z before a: its creation time is later, its sequence number earlier).
        try await store.commit(StepWrite(outbox: [outbox("z", seconds: 35), outbox("a", seconds: 10), outbox("b", seconds: 20),
                                                  outbox("u", to: US, seconds: 20)]))
        try await store.commit(StepWrite(outbox: [outbox("c", seconds: 20), outbox("d", seconds: 30), outbox("e", seconds: 40),
                                                  OutboxEnvelope(id: "j", sender: JP, recipient: JP, agreementID: "kr-jp-gsomia-2016",
                                                                 created: instant(20), bytes: bytes("sealed j"))]))
        try await store.commit(StepWrite(deliveries: [OutboxDelivery(envelopeID: "b", deliveredAt: instant(50), receipt: bytes("receipt b"))]))
        try await store.commit(StepWrite(withdrawals: [OutboxWithdrawal(envelopeID: "c", at: instant(50), by: "operator", reason: "r")]))
        func read(_ from: Int, _ through: Int, after: String? = nil, limit: Int = 10) async throws -> [String] {
            try await store.outboxEnvelopes(sender: KR, recipient: JP, created: instant(from)...instant(through), after: after, limit: limit).map(\.id)
        }
        // Every state, bounds included, by sequence number, one route only.
        #expect(try await read(20, 35) == ["z", "b", "c", "d"])
        #expect(try await read(0, 100) == ["z", "a", "b", "c", "d", "e"])
        // Page after page: after the last row read, whatever its creation time.
        #expect(try await read(0, 100, limit: 2) == ["z", "a"])
        #expect(try await read(0, 100, after: "a", limit: 2) == ["b", "c"])
        #expect(try await read(20, 30, after: "z") == ["b", "c", "d"])
        #expect(try await read(0, 100, after: "e").isEmpty)
        #expect(try await read(0, 100, after: "no-such-row") == ["z", "a", "b", "c", "d", "e"])
        #expect(try await read(0, 100, limit: 0).isEmpty)
        #expect(try await read(41, 100).isEmpty)
        let rows = try await store.outboxEnvelopes(sender: KR, recipient: JP, created: instant(20)...instant(20), after: nil, limit: 10)
        #expect(rows.map(\.bytes) == [bytes("sealed b"), bytes("sealed c")])
        #expect(rows.first?.state == .delivered(at: instant(50), receipt: bytes("receipt b")))
        #expect(rows.last?.state == .withdrawn(at: instant(50), by: "operator", reason: "r"))
    }

    func epochAnnouncementsAreKeptOnce() async throws {
        func id(_ byte: UInt8) -> Data { Data(repeating: byte, count: 16) }
        let a = EpochAnnouncementRecord(epochID: id(0xA1), bytes: bytes("epoch a"))
        let b = EpochAnnouncementRecord(epochID: id(0xB2), bytes: bytes("epoch b"))
        // Written with the step; the same epoch again (in the step, or later with other bytes) keeps the first bytes.
        try await store.commit(StepWrite(outbox: [outbox("e1")], epochAnnouncements: [a, a]))
        try await store.commit(StepWrite(epochAnnouncements: [EpochAnnouncementRecord(epochID: a.epochID, bytes: bytes("other")), b]))
        #expect(try await store.epochAnnouncements([a.epochID, b.epochID, id(0xC3), a.epochID]) == [a.epochID: a.bytes, b.epochID: b.bytes])
        #expect(try await store.epochAnnouncements([]).isEmpty)
        // A step that fails writes no announcement.
        let c = EpochAnnouncementRecord(epochID: id(0xC3), bytes: bytes("epoch c"))
        await expectStoreError(.conflict) { try await store.commit(StepWrite(outbox: [outbox("e1")], epochAnnouncements: [c])) }
        #expect(try await store.epochAnnouncements([c.epochID]).isEmpty)
        // An id that is not 16 bytes, or empty bytes, is refused before anything is written.
        await expectStoreError(.invalid) {
            try await store.commit(StepWrite(epochAnnouncements: [EpochAnnouncementRecord(epochID: Data([1, 2]), bytes: bytes("short"))]))
        }
        await expectStoreError(.invalid) { try await store.commit(StepWrite(epochAnnouncements: [EpochAnnouncementRecord(epochID: id(0xD4), bytes: Data())])) }
    }

    // MARK: Schema

    func migrationsAreIdempotent() async throws {
        let applied = try await appliedMigrations()
        #expect(applied == expectedMigrations)
        try await store.commit(StepWrite(outbox: [outbox("e1")]), audit: audit(["kept"]))
        try await store.migrate()
        try await store.migrate()
        #expect(try await appliedMigrations() == applied)
        #expect(try await store.outboxEnvelope(id: "e1") != nil)
        #expect(try await store.auditSize() == 1)
    }

    func corruptRowsAreTypedErrors() async throws {
        let holding = try receivedHolding(id: "h1").snapshot
        try await store.commit(StepWrite(holdings: [holding], consents: [
            Consent(id: "c1", originator: KR, intermediary: US, recipient: JP, coverage: .object("o"), validFrom: instant(0)),
        ]))
        try await store.commit(StepWrite(outbox: [outbox("e1")]), audit: audit(["a", "b"]))
        try await tamper("UPDATE holdings SET snapshot = '{\"id\": \"h1\", \"truncated' WHERE id = 'h1'")
        try await tamper("UPDATE consents SET consent = '[]' WHERE id = 'c1'")
        try await tamper("UPDATE outbox SET sender = 'kr!' WHERE envelope_id = 'e1'")
        await expectStoreError(.corrupt) { _ = try await store.holding(id: "h1") }
        await expectStoreError(.corrupt) { _ = try await store.holdings(holder: nil) }
        await expectStoreError(.corrupt) { _ = try await store.consent(id: "c1") }
        await expectStoreError(.corrupt) { _ = try await store.outboxEnvelope(id: "e1") }
        // A leaf removed from the middle of the log is a gap, not a shorter log.
        try await tamper("DELETE FROM audit_leaves WHERE idx = 0")
        await expectStoreError(.corrupt) { _ = try await store.auditLeaves(in: 0..<2) }
        // The frontier needs leaf 1's subtree 1/0, which survives; removing it breaks the next append.
        try await tamper("DELETE FROM audit_nodes WHERE level = 1 AND idx = 0")
        await expectStoreError(.corrupt) { try await store.commit(StepWrite(), audit: audit(["c"])) }
    }
}
