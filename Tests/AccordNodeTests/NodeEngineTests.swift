import AccordAudit
import AccordCore
import AccordCrypto
import AccordSQLite
import AccordStore
import Foundation
import GRDB
import Synchronization
import Testing
@testable import AccordNode

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let now: Mutex<Date>
    init(_ start: Date) { now = Mutex(start) }
    func read() -> Date { now.withLock { $0 } }
    func set(_ date: Date) { now.withLock { $0 = date } }
}

/// Three in-process nodes (KR, JP, US) on in-memory SQLite stores, sharing one simulated clock.
struct Federation {
    let clock: TestClock
    let identities: [String: NodeIdentity]
    let book: PolicyBook
    let nodes: [String: NodeEngine]
    let stores: [String: SQLiteStore]

    init(at start: String, book: PolicyBook? = nil) async throws {
        let book = try book ?? BundledPolicy.load()
        let clock = TestClock(Instant.parse(start)!)
        let from = Instant.parse("2010-01-01")!, until = Instant.parse("2030-01-01")!
        var identities: [String: NodeIdentity] = [:]
        for party in ["KR", "JP", "US"] { identities[party] = try NodeIdentity.generate(party: party, notBefore: from, notAfter: until) }
        var nodes: [String: NodeEngine] = [:]
        var stores: [String: SQLiteStore] = [:]
        for (party, identity) in identities {
            let store = try SQLiteStore.inMemory()
            try await store.migrate()
            let peers = try identities.filter { $0.key != party }.map { try PartyKeyBundle(identity: $0.value) }
            nodes[party] = try NodeEngine(identity: identity, peers: peers, book: book, store: store, clock: { clock.read() })
            stores[party] = store
        }
        self.clock = clock
        self.identities = identities
        self.book = book
        self.nodes = nodes
        self.stores = stores
    }

    /// A fresh engine for `party` over the same store and keys: the node after a restart.
    func restarted(_ party: String) throws -> NodeEngine {
        let peers = try identities.filter { $0.key != party }.map { try PartyKeyBundle(identity: $0.value) }
        let clock = self.clock
        return try NodeEngine(identity: identities[party]!, peers: peers, book: book, store: stores[party]!, clock: { clock.read() })
    }

    /// Delivers everything pending from `a` to `b` directly (no network).
    @discardableResult
    func deliver(_ a: String, _ b: String) async throws -> NodeEngine.DeliveryReport {
        let receiver = nodes[b]!
        return try await nodes[a]!.deliver(to: PartyCode(b)!) { transmission in await receiver.receive(transmission) }
    }

    func user(_ party: String, clearance: String, topics: [String]) -> User {
        let scheme = nodes[party]!.book.parties[PartyCode(party)!]!.scheme
        return User(id: "analyst-\(party)", party: PartyCode(party)!, clearance: scheme.level(named: clearance)!,
                    needToKnow: Set(topics.compactMap(Topic.init)))
    }

    /// KR releases one object per id to JP in one call, by an analyst cleared at II for the label's topic;
    /// returns the envelope ids.
    func releaseToJP(_ objectIDs: [String], label: String = "KR//II//REL TO JP//TOPIC nk-missile", topic: String = "nk-missile",
                     object: [UInt8] = Array(#"{"type":"bundle","id":"bundle--1"}"#.utf8)) async throws -> [String] {
        let outcomes = try await nodes["KR"]!.release(objectIDs.map { ReleaseSubmission(objectID: $0, label: label, object: object) },
                                                      by: user("KR", clearance: "II", topics: [topic]))
        return outcomes.compactMap { $0.first?.envelopeID }
    }
}

@Suite("Node engine: the path of one release")
struct NodeEngineTests {
    let report = Array(#"{"type":"bundle","id":"bundle--1"}"#.utf8)

    @Test("2017: KR releases to JP directly; JP holds it at 極秘 and KR records the signed receipt")
    func direct() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let kr = federation.nodes["KR"]!
        let outcomes = try await kr.release(
            [ReleaseSubmission(objectID: "report-1", label: "KR//II//REL TO JP//TOPIC nk-missile", object: report)],
            by: federation.user("KR", clearance: "II", topics: ["nk-missile"]))
        #expect(outcomes[0].map(\.decision.kind) == ["direct"])
        // Its id is time-ordered: the node's clock in milliseconds, then random bytes (docs/envelope.md, "Header").
        let id = try #require(outcomes[0].first?.envelopeID)
        #expect(id.hasPrefix(String(UInt64(federation.clock.read().timeIntervalSince1970 * 1_000), radix: 16).leftPadded(to: 12)), "\(id)")
        let delivery = try await federation.deliver("KR", "JP")
        #expect(delivery.delivered == 1 && delivery.refused.isEmpty)
        let held = try await federation.stores["JP"]!.holdings(holder: PartyCode("JP")!)
        #expect(held.count == 1)
        #expect(held.first?.label == "KR//II//REL TO JP//TOPIC nk-missile")
        #expect(held.first?.localLevel == "GOKUHI")
        #expect(try await federation.stores["KR"]!.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode("JP")!, limit: 10).isEmpty)
        // Both logs recorded their side.
        #expect(try await federation.stores["KR"]!.auditSize() == 3)  // decided, sent, receipt
        #expect(try await federation.stores["JP"]!.auditSize() == 1)  // received
    }

    @Test("2015: KR→JP goes through the US with KR's consent; JP verifies both and holds it")
    func relayed() async throws {
        let federation = try await Federation(at: "2015-06-01T00:00:00Z")
        let outcomes = try await federation.nodes["KR"]!.release(
            [ReleaseSubmission(objectID: "report-2", label: "KR//II//REL TO JP,US//TOPIC nk-missile", object: report, recipients: [PartyCode("JP")!])],
            by: federation.user("KR", clearance: "I", topics: ["nk-missile"]))
        #expect(outcomes[0].first?.decision.kind == "via")
        #expect(try await federation.deliver("KR", "US").delivered == 1)
        let usHeld = try await federation.stores["US"]!.holdings(holder: PartyCode("US")!)
        #expect(usHeld.first?.localLevel == "SECRET")
        let pending = try await federation.stores["US"]!.pendingOutbox(sender: PartyCode("US")!, recipient: PartyCode("JP")!, limit: 10)
        let relay = try await federation.deliver("US", "JP")
        #expect(relay.delivered == 1, "\(relay)")
        let jpHeld = try await federation.stores["JP"]!.holdings(holder: PartyCode("JP")!)
        #expect(jpHeld.count == 1)
        #expect(jpHeld.first?.receivedFrom.rawValue == "US")
        #expect(jpHeld.first?.label.hasPrefix("KR//II") == true)
        #expect(jpHeld.first?.localLevel == "GOKUHI")
        #expect(jpHeld.first?.agreements == ["tisa-2014", "us-kr-1987", "us-jp-2007"])
        // JP holds the relayed envelope as received, version 3, and every root it names once (the US's batch root, KR's
        // batch root and KR's consent root): with them, an auditor re-reads it whole, both signed headers included.
        let jp = federation.stores["JP"]!
        let id = try #require(pending.first?.id)
        let held = try #require(try await jp.inboxEnvelope(id: id)).bytes
        #expect(held[1 + Int(held[0])] == Envelope.relayDetachedVersion)
        let named = try Envelope.namedRoots(ofEncoded: held)
        #expect(named.batch.count == 2 && named.consent.count == 1)
        let stored = try await jp.signedRoots((named.batch + named.consent).map { Data($0) })
        let roots = try DetachedRoots(encodedBatch: named.batch.map { Array(stored[Data($0)]!) }, encodedConsent: named.consent.map { Array(stored[Data($0)]!) })
        let envelope = try Envelope(encoded: held, detachedRoots: roots)
        #expect(envelope.header.relay?.originatorHeader.originator == "KR" && envelope.header.sender == "US")
    }

    @Test("a replayed transmission is acknowledged again and held once")
    func replay() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        _ = try await federation.nodes["KR"]!.release(
            [ReleaseSubmission(objectID: "r", label: "KR//III//REL TO JP//TOPIC maritime", object: report)],
            by: federation.user("KR", clearance: "II", topics: ["maritime"]))
        let jp = federation.nodes["JP"]!
        let sent = Mutex<Transmission?>(nil)
        let first = try await federation.nodes["KR"]!.deliver(to: PartyCode("JP")!) { transmission in
            sent.withLock { $0 = transmission }
            return await jp.receive(transmission)
        }
        #expect(first.delivered == 1)
        // The envelope went detached, its batch root once beside it.
        let transmission = try #require(sent.withLock { $0 })
        #expect(transmission.roots.count == 1 && transmission.acceptsDetachedReceipts)
        let again = await jp.receive(transmission)
        guard case .receipt = again.first else { Issue.record("replay not acknowledged: \(again)"); return }
        #expect(try await federation.stores["JP"]!.holdings(holder: PartyCode("JP")!).count == 1)
    }

    @Test("signed roots go and are kept once per batch: detached envelopes and receipts, their roots beside them in both stores")
    func detachedRoots() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let ids = try await federation.releaseToJP((0..<3).map { "r\($0)" }, label: "KR//III//REL TO JP//TOPIC maritime", topic: "maritime",
                                                   object: report)
        let kr = federation.stores["KR"]!, jp = federation.stores["JP"]!
        // KR's outbox rows hold detached envelopes naming one root, which KR's store keeps once.
        let pending = try await kr.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode("JP")!, limit: 10)
        let digests = try Set(pending.map { try #require(try Envelope.parts(ofEncoded: try Transmission(encoded: Array($0.bytes)).envelopes[0]).rootDigest) })
        #expect(digests.count == 1)
        let batchRoot = try #require(digests.first)
        #expect(try await kr.signedRoots([Data(batchRoot)]).count == 1)
        #expect(try await federation.deliver("KR", "JP").deliveredIDs == ids)
        // JP holds the envelopes as received, detached, and the root once.
        for id in ids {
            let held = try #require(try await jp.inboxEnvelope(id: id))
            #expect(try Envelope.parts(ofEncoded: held.bytes).rootDigest == batchRoot)
        }
        let jpRoots = try await jp.signedRoots([Data(batchRoot)])
        #expect(jpRoots.count == 1)
        // With the stored root, an auditor re-reads the held envelope whole.
        let roots = try SignedBatchRoot.index(encoded: jpRoots.values.map { Array($0) })
        let envelope = try Envelope(encoded: try #require(try await jp.inboxEnvelope(id: ids[0])).bytes, roots: roots)
        #expect(envelope.id.description == ids[0])
        // KR keeps JP's detached receipts and the receipt root once.
        var receiptRoots = Set<Data>()
        for id in ids {
            guard case .delivered(_, let bytes) = try #require(try await kr.outboxEnvelope(id: id)).state else { Issue.record("\(id) not delivered"); continue }
            #expect(bytes[1 + Int(bytes[0])] == Receipt.detachedVersion)
            receiptRoots.insert(Data(bytes.suffix(32)))
        }
        #expect(receiptRoots.count == 1)
        let storedReceiptRoot = try #require(try await kr.signedRoots(Array(receiptRoots)).values.first)
        let receiptIndex = try ReceiptRoot.index(encoded: [Array(storedReceiptRoot)])
        guard case .delivered(_, let receiptBytes) = try #require(try await kr.outboxEnvelope(id: ids[1])).state else { return }
        let header = try Envelope.header(ofEncoded: try #require(try await jp.inboxEnvelope(id: ids[1])).bytes)
        try Receipt(encoded: receiptBytes, roots: receiptIndex).verify(forHeader: header, directory: federation.nodes["KR"]!.directory)
        #expect(throws: AccordCryptoError.self) { try Receipt(encoded: receiptBytes) }
    }

    @Test("a transmission whose signed roots are unreadable is refused whole and audited; nothing is held")
    func unreadableRoots() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        _ = try await federation.nodes["KR"]!.release(
            [ReleaseSubmission(objectID: "r", label: "KR//III//REL TO JP//TOPIC maritime", object: report)],
            by: federation.user("KR", clearance: "II", topics: ["maritime"]))
        let jp = federation.nodes["JP"]!
        let round = try await federation.nodes["KR"]!.deliver(to: PartyCode("JP")!) { transmission in
            await jp.receive(Transmission(announcements: transmission.announcements, envelopes: transmission.envelopes,
                                          roots: transmission.roots.map { Array($0.dropLast()) }))
        }
        #expect(round.delivered == 0 && round.refused.count == 1)
        #expect(round.refused.first?.contains("signed batch roots are unreadable") == true)
        #expect(try await federation.stores["JP"]!.holdings(holder: nil).isEmpty)
        #expect(try await federation.stores["JP"]!.auditSize() == 1)
    }

    @Test("a tampered envelope is refused and audited; nothing is held")
    func tampered() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        _ = try await federation.nodes["KR"]!.release(
            [ReleaseSubmission(objectID: "r", label: "KR//II//REL TO JP//TOPIC nk-missile", object: report)],
            by: federation.user("KR", clearance: "II", topics: ["nk-missile"]))
        let jp = federation.nodes["JP"]!
        let results = try await federation.nodes["KR"]!.deliver(to: PartyCode("JP")!) { transmission in
            var envelope = transmission.envelopes[0]
            envelope[envelope.count - 5] ^= 0x01
            return await jp.receive(Transmission(announcements: transmission.announcements, envelopes: [envelope], roots: transmission.roots))
        }
        #expect(results.delivered == 0 && results.refused.count == 1)
        #expect(try await federation.stores["JP"]!.holdings(holder: nil).isEmpty)
        #expect(try await federation.stores["JP"]!.auditSize() == 1)  // the security event
    }

    @Test("denied releases queue nothing; analysts need clearance and need-to-know")
    func refusals() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let kr = federation.nodes["KR"]!
        let outcomes = try await kr.release(
            [ReleaseSubmission(objectID: "r", label: "KR//I//REL TO JP//TOPIC nk-missile", object: report)],
            by: federation.user("KR", clearance: "I", topics: ["nk-missile"]))
        #expect(outcomes[0].first?.decision.kind == "denied")
        #expect(try await federation.stores["KR"]!.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode("JP")!, limit: 10).isEmpty)
        await #expect(throws: NodeError.self) {
            _ = try await kr.release([ReleaseSubmission(objectID: "r", label: "KR//II//REL TO JP//TOPIC nk-missile", object: report)],
                                     by: federation.user("KR", clearance: "III", topics: ["nk-missile"]))
        }
        await #expect(throws: NodeError.self) {
            _ = try await kr.release([ReleaseSubmission(objectID: "r", label: "KR//II//REL TO JP//TOPIC nk-missile", object: report)],
                                     by: federation.user("KR", clearance: "I", topics: ["maritime"]))
        }
    }

    @Test("a peer that is down: the round fails, the envelope stays pending with a backoff, and a later round delivers it once")
    func peerDown() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        _ = try await federation.nodes["KR"]!.release(
            [ReleaseSubmission(objectID: "r", label: "KR//II//REL TO JP//TOPIC nk-missile", object: report)],
            by: federation.user("KR", clearance: "II", topics: ["nk-missile"]))
        struct Down: Error {}
        await #expect(throws: Down.self) {
            _ = try await federation.nodes["KR"]!.deliver(to: PartyCode("JP")!) { _ in throw Down() }
        }
        let pending = try await federation.stores["KR"]!.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode("JP")!, limit: 10)
        #expect(pending.count == 1 && pending[0].attempts == 1)
        #expect(try await federation.deliver("KR", "JP").attempted == 0)  // not due yet
        federation.clock.set(Instant.parse("2017-06-01T00:01:00Z")!)
        #expect(try await federation.deliver("KR", "JP").delivered == 1)
        #expect(try await federation.stores["JP"]!.holdings(holder: nil).count == 1)
    }

    @Test("a receiver whose step cannot commit answers store refusals and no receipt; the sender retries and the envelope arrives once")
    func receiverCannotCommit() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let ids = try await federation.releaseToJP(["r1", "r2"])
        let jp = federation.stores["JP"]!
        try await jp.writer.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse_inbox BEFORE INSERT ON inbox BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        }
        let failed = try await federation.deliver("KR", "JP")
        #expect(failed.delivered == 0 && failed.refused.count == 2)
        #expect(failed.refused.allSatisfy { $0.contains("could not hold the envelope") && $0.contains("disk full") }, "\(failed.refused)")
        #expect(try await jp.holdings(holder: nil).isEmpty)
        #expect(try await federation.stores["KR"]!.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode("JP")!, limit: 10).map(\.id) == ids)
        // The store recovers; once the retry is due, the envelopes arrive, once.
        try await jp.writer.write { db in try db.execute(sql: "DROP TRIGGER refuse_inbox") }
        federation.clock.set(federation.clock.read().addingTimeInterval(60))
        let delivered = try await federation.deliver("KR", "JP")
        #expect(delivered.delivered == 2 && delivered.refused.isEmpty, "\(delivered)")
        #expect(try await jp.holdings(holder: nil).count == 2)
    }

    @Test("a node restarted before delivering still delivers what it queued: the store keeps its epoch announcements")
    func restart() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        _ = try await federation.nodes["KR"]!.release(
            [ReleaseSubmission(objectID: "r", label: "KR//II//REL TO JP//TOPIC nk-missile", object: report)],
            by: federation.user("KR", clearance: "II", topics: ["nk-missile"]))
        let restarted = try federation.restarted("KR")
        let jp = federation.nodes["JP"]!
        let report = try await restarted.deliver(to: PartyCode("JP")!) { await jp.receive($0) }
        #expect(report.delivered == 1, "\(report)")
        #expect(try await federation.stores["JP"]!.holdings(holder: nil).count == 1)
    }
}

@Suite("Node engine: holdings after receipt")
struct NodeHoldingTests {
    @Test("destroy with a record, then nothing more; compromise is recorded for the originator; uncleared users are refused and audited")
    func lifecycle() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        _ = try await federation.nodes["KR"]!.release(
            [ReleaseSubmission(objectID: "r", label: "KR//II//REL TO JP//TOPIC nk-missile", object: Array("{}".utf8))],
            by: federation.user("KR", clearance: "II", topics: ["nk-missile"]))
        try await federation.deliver("KR", "JP")
        let jp = federation.nodes["JP"]!
        let store = federation.stores["JP"]!
        let id = try #require(try await store.holdings(holder: nil).first?.id)
        let low = federation.user("JP", clearance: "HI", topics: ["nk-missile"])
        await #expect(throws: NodeError.self) { _ = try await jp.dispose(holdingID: id, .destroy, by: low, record: "shredded") }
        let cleared = federation.user("JP", clearance: "GOKUHI", topics: ["nk-missile"])
        let (report, queued) = try await jp.reportCompromise(holdingID: id, by: cleared, suspected: true, detail: "courier bag found open")
        #expect(report.originator.rawValue == "KR" && queued)
        let destroyed = try await jp.dispose(holdingID: id, .destroy, by: cleared, record: "cross-cut shredded, witness Ito")
        #expect(!destroyed.isHeld)
        await #expect(throws: NodeError.self) { _ = try await jp.dispose(holdingID: id, .returnToOriginator, by: cleared, record: "again") }
        // received, access denied (low clearance), compromise, destroyed, access denied (no longer held)
        #expect(try await store.auditSize() == 5)

        // The report reaches KR's node (Art. 17): signed by JP, verified, recorded in KR's log and listed.
        let krBefore = try await federation.stores["KR"]!.auditSize()
        let delivery = try await federation.deliver("JP", "KR")
        #expect(delivery.delivered == 1 && delivery.refused.isEmpty, "\(delivery)")
        #expect(try await federation.stores["KR"]!.auditSize() == krBefore + 1)
        let received = try await federation.nodes["KR"]!.receivedCompromiseReports()
        #expect(received.count == 1)
        let listed = try #require(received.first)
        #expect(listed.holder == "JP" && listed.holding == id && listed.suspected && listed.label == "KR//II//REL TO JP//TOPIC nk-missile")
        #expect(listed.object == (try await store.holding(id: id))?.objectID)
        #expect(listed.reported == listed.recorded && listed.reported == "2017-06-01T00:00:00Z")
        #expect(listed.detail.hasSuffix(": courier bag found open") && listed.detail.hasPrefix("possible compromise of \(listed.object) "))
        // The listing reads the signed report kept in the inbox, and says what KR's audit entry says.
        let leaf = try #require(try await federation.stores["KR"]!.auditLeaves(in: krBefore..<(krBefore + 1)).first)
        guard case .compromiseReported(let holding, _, let description) = try AuditEntry(decoding: leaf.entry).event else {
            Issue.record("KR's last audit entry is not the compromise report"); return
        }
        #expect(holding == id && description == "report from JP: " + listed.detail)
        #expect(try await federation.nodes["JP"]!.receivedCompromiseReports().isEmpty)
    }

    /// JP's signed report on a holding of KR's information.
    static func jpReport(_ federation: Federation, suspected: Bool, detail: String) throws -> (CompromiseReport, SignedCompromiseReport) {
        let report = CompromiseReport(holdingID: "h", objectID: "o", originator: PartyCode("KR")!, holder: PartyCode("JP")!, suspected: suspected,
                                      detail: detail, reported: Instant.parse("2017-06-01T00:00:00Z")!)
        return (report, try SignedCompromiseReport(signing: report, label: "KR//II//REL TO JP//TOPIC nk-missile", by: federation.identities["JP"]!))
    }

    @Test("a compromise report delivered twice (the holder lost the answer) is acknowledged again and recorded once, the second time as a replay")
    func compromiseRedelivered() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let (_, signed) = try Self.jpReport(federation, suspected: true, detail: "courier bag found open")
        let kr = federation.nodes["KR"]!
        let transmission = Transmission(announcements: [], envelopes: [], statements: [signed.encoded])
        for _ in 0..<2 {
            let answer = await kr.receive(transmission)
            guard case .statementReceipt = answer.first else { Issue.record("not acknowledged: \(answer)"); return }
        }
        #expect(try await kr.receivedCompromiseReports().count == 1)
        let leaves = try await federation.stores["KR"]!.auditLeaves(in: 0..<2)
        let events = try leaves.map { try AuditEntry(decoding: $0.entry).event }
        guard case .compromiseReported = events.first, case .securityEvent(let kind, _, _, _) = events.last else {
            Issue.record("unexpected audit entries: \(events)"); return
        }
        #expect(kind == .replay)
    }

    @Test("a compromise report for another originator, or signed by someone else than the holder, is refused and audited")
    func compromiseRefusals() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let (report, signed) = try Self.jpReport(federation, suspected: false, detail: "lost")
        #expect(throws: NodeError.self) { _ = try SignedCompromiseReport(signing: report, label: "x", by: federation.identities["US"]!) }
        // Sent to the US node, which did not originate it.
        let us = await federation.nodes["US"]!.receive(Transmission(announcements: [], envelopes: [], statements: [signed.encoded]))
        guard case .refused(let error) = us.first else { Issue.record("accepted: \(us)"); return }
        #expect(error.message.contains("not US"))
        // A label that is not the originator's.
        let wrongLabel = try SignedCompromiseReport(signing: report, label: "JP//GOKUHI//REL TO KR//TOPIC nk-missile", by: federation.identities["JP"]!)
        let kr = await federation.nodes["KR"]!.receive(Transmission(announcements: [], envelopes: [], statements: [wrongLabel.encoded]))
        guard case .refused = kr.first else { Issue.record("accepted: \(kr)"); return }
        #expect(try await federation.nodes["KR"]!.receivedCompromiseReports().isEmpty)
        #expect(try await federation.stores["US"]!.auditSize() == 1)  // the security events
        #expect(try await federation.stores["KR"]!.auditSize() == 1)
    }
}

extension String {
    /// The text with zeros in front up to `width` characters.
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
