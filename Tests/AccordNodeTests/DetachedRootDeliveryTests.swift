import AccordAudit
import AccordCore
import AccordCrypto
import AccordSQLite
import AccordStore
import Crypto
import Foundation
import GRDB
import Synchronization
import Testing
@testable import AccordNode

/// Delivery with detached envelopes and receipts (`docs/node.md`): peers not yet upgraded, rows written
/// before, roots the store lacks, answers whose roots are unreadable, and what each side keeps.
@Suite("Node engine: signed roots carried once per batch")
struct DetachedRootDeliveryTests {
    let JP = PartyCode("JP")!

    func receiptVersion(_ federation: Federation, _ id: String) async throws -> UInt8? {
        guard case .delivered(_, let bytes) = try await federation.stores["KR"]!.outboxEnvelope(id: id)?.state else { return nil }
        return bytes[1 + Int(bytes[0])]
    }

    @Test("a peer that reads transmissions up to version 2 gets self-contained envelopes, and its receipts carry their root")
    func peerNotYetUpgraded() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let jp = federation.nodes["JP"]!, kr = federation.nodes["KR"]!
        let versionThree = Mutex(0)
        // What a node built before detached roots does: HTTP 400 to version 3; version 1 envelopes otherwise.
        let oldNode: @Sendable (Transmission) async throws -> PeerAnswer = { transmission in
            guard transmission.roots.isEmpty else {
                versionThree.withLock { $0 += 1 }
                throw NodeError(.refused, "JP answered HTTP 400: transmission has version \(transmission.version); this node reads 1...2")
            }
            for envelope in transmission.envelopes { #expect(try Envelope.parts(ofEncoded: envelope).rootDigest == nil) }
            return await jp.receive(transmission)
        }
        let first = try await federation.releaseToJP(["a", "b"])
        #expect(try await kr.deliver(to: JP, send: oldNode).deliveredIDs == first)
        for id in first {
            #expect(try await receiptVersion(federation, id) == 2)
            #expect(try Envelope.parts(ofEncoded: try #require(try await federation.stores["JP"]!.inboxEnvelope(id: id)).bytes).rootDigest == nil)
        }
        // Later rounds go self-contained at once.
        let second = try await federation.releaseToJP(["c"])
        #expect(try await kr.deliver(to: JP, send: oldNode).deliveredIDs == second)
        #expect(versionThree.withLock { $0 } == 1)
        // Any other refusal is not taken for an old peer.
        let third = try await federation.releaseToJP(["d"])
        let other = NodeError(.refused, "JP answered HTTP 400: transmission is not an accord.transmission")
        await #expect(throws: NodeError.self) { _ = try await kr.deliver(to: PartyCode("JP")!) { _ in throw other } }
        federation.clock.set(Instant.parse("2017-06-01T00:01:00Z")!)
        #expect(try await federation.deliver("KR", "JP").deliveredIDs == third)
    }

    @Test("a relayed envelope goes as version 3 with the originator's and consent roots beside it; a peer that reads up to version 3 gets it as version 2, one that reads 2 self-contained",
          arguments: [3, 2])
    func relayedToAPeerNotYetUpgraded(readsUpTo newest: Int) async throws {
        let federation = try await Federation(at: "2015-06-01T00:00:00Z")
        let jp = federation.nodes["JP"]!, us = federation.nodes["US"]!
        _ = try await federation.nodes["KR"]!.release(
            [ReleaseSubmission(objectID: "r1", label: "KR//II//REL TO JP,US//TOPIC nk-missile", object: Array("{}".utf8), recipients: [JP]),
             ReleaseSubmission(objectID: "r2", label: "KR//II//REL TO JP,US//TOPIC nk-missile", object: Array("{}".utf8), recipients: [JP])],
            by: federation.user("KR", clearance: "I", topics: ["nk-missile"]))
        #expect(try await federation.deliver("KR", "US").delivered == 2)
        let seen = Mutex<[UInt8]>([])
        // What a node built before version 4 (or 3) does: HTTP 400 naming the version it was sent and those it reads.
        let oldNode: @Sendable (Transmission) async throws -> PeerAnswer = { transmission in
            seen.withLock { $0.append(transmission.version) }
            guard transmission.version <= newest else {
                throw NodeError(.refused, "JP answered HTTP 400: transmission has version \(transmission.version); this node reads 1...\(newest)")
            }
            for envelope in transmission.envelopes {
                #expect(envelope[1 + Int(envelope[0])] == (newest >= 3 ? Envelope.detachedVersion : Envelope.version))
            }
            return await jp.receive(transmission)
        }
        // The US writes both relayed envelopes as version 3: the round goes as transmission version 4 first, each root once.
        let sent = Mutex<Transmission?>(nil)
        _ = try? await us.deliver(to: JP) { transmission in
            sent.withLock { $0 = transmission }
            throw NodeError(.store, "JP is down")
        }
        let first = try #require(sent.withLock { $0 })
        #expect(first.version == 4 && first.roots.count == 2 && first.consentRoots.count == 1)
        #expect(first.envelopes.allSatisfy { $0[1 + Int($0[0])] == Envelope.relayDetachedVersion })
        federation.clock.set(Instant.parse("2015-06-01T00:01:00Z")!)
        let report = try await us.deliver(to: JP, send: oldNode)
        #expect(report.delivered == 2, "\(report)")
        #expect(seen.withLock { $0 } == [4, newest >= 3 ? 3 : 1])
        #expect(try await federation.stores["JP"]!.holdings(holder: JP).count == 2)
        // Later rounds go in the form the peer reads at once: a direct envelope (2017) still detached for a reader of 3.
        federation.clock.set(Instant.parse("2017-06-01T00:00:00Z")!)
        _ = try await federation.nodes["US"]!.release(
            [ReleaseSubmission(objectID: "u1", label: "US//SECRET//REL TO JP//TOPIC nk-missile", object: Array("{}".utf8), recipients: [JP])],
            by: federation.user("US", clearance: "SECRET", topics: ["nk-missile"]))
        #expect(try await us.deliver(to: JP, send: oldNode).delivered == 1)
        #expect(seen.withLock { $0 }.last == (newest >= 3 ? 3 : 1) && seen.withLock { $0 }.count == 3)
    }

    @Test("a peer that reads less than it said (rolled back) is asked down version by version; each form carries only the roots it names")
    func steppingDown() async throws {
        let federation = try await Federation(at: "2015-06-01T00:00:00Z")
        let us = federation.nodes["US"]!
        _ = try await federation.nodes["KR"]!.release(
            [ReleaseSubmission(objectID: "r1", label: "KR//II//REL TO JP,US//TOPIC nk-missile", object: Array("{}".utf8), recipients: [JP])],
            by: federation.user("KR", clearance: "I", topics: ["nk-missile"]))
        #expect(try await federation.deliver("KR", "US").delivered == 1)
        let sent = Mutex<Transmission?>(nil)
        _ = try? await us.deliver(to: JP) { transmission in
            sent.withLock { $0 = transmission }
            throw NodeError(.store, "JP is down")
        }
        let original = try #require(sent.withLock { $0 })
        #expect(original.version == 4 && original.roots.count == 2)
        // The form for a reader of 3: the relayed envelope as version 2, only its own batch's root (KR's is inside it).
        let three = try NodeEngine.form(of: original, readableUpTo: 3)
        #expect(three.version == 3 && three.roots.count == 1 && three.consentRoots.isEmpty)
        #expect(three.envelopes.allSatisfy { $0[1 + Int($0[0])] == Envelope.detachedVersion })
        #expect(try NodeEngine.form(of: original, readableUpTo: 2).version == 1)
        #expect(try NodeEngine.form(of: original, readableUpTo: nil) == original && NodeEngine.form(of: original, readableUpTo: 4) == original)
        // Remembered 3, then the peer says 1...2: the same round goes self-contained.
        let versions = Mutex<[UInt8]>([])
        let jp = federation.nodes["JP"]!
        let answer = try await us.sendCompatible(to: JP, original) { transmission in
            versions.withLock { $0.append(transmission.version) }
            let newest = versions.withLock { $0.count } == 1 ? 3 : 2
            guard Int(transmission.version) <= newest else {
                throw NodeError(.refused, "JP answered HTTP 400: transmission has version \(transmission.version); this node reads 1...\(newest)")
            }
            return await jp.receive(transmission)
        }
        #expect(versions.withLock { $0 } == [4, 3, 1])
        #expect(answer.results.count == 1)
        if case .receipt = answer.results[0] {} else { Issue.record("not a receipt: \(answer.results[0])") }
        // A peer that refuses every form ends with an error, not a loop.
        await #expect(throws: NodeError.self) {
            _ = try await us.sendCompatible(to: JP, original) { transmission in
                throw NodeError(.refused, "transmission has version \(transmission.version); this node reads 1...0")
            }
        }
    }

    @Test("what a node not yet upgraded answers is told apart from other refusals")
    func olderVersionRefusals() {
        for (sent, read) in [(3, 2), (4, 2), (4, 3)] {
            #expect(Transmission.newestVersionRead(from: "JP answered HTTP 400: transmission has version \(sent); this node reads 1...\(read)") == read)
        }
        for message in ["transmission has version 3; this node reads 1...3", "transmission is not an accord.transmission",
                        "transmission of version 4 carries no consent roots", "transmission has version 9999; this node reads 1...2"] {
            #expect(Transmission.newestVersionRead(from: message) == nil)
        }
    }

    @Test("an outbox row written before detached envelopes goes in the same round as detached ones")
    func rowsWrittenBefore() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let ids = try await federation.releaseToJP(["a", "b"])
        let store = federation.stores["KR"]!
        // Rewrite the first row as an older node wrote it: the envelope self-contained, its root inside.
        let row = try #require(try await store.outboxEnvelope(id: ids[0]))
        let frame = try Transmission(encoded: Array(row.bytes))
        let digest = try #require(try Envelope.parts(ofEncoded: frame.envelopes[0]).rootDigest)
        let roots = try SignedBatchRoot.index(encoded: try await store.signedRoots([Data(digest)]).values.map { Array($0) })
        let old = Transmission(announcements: frame.announcements, envelopes: [try Envelope(encoded: frame.envelopes[0], roots: roots).encoded])
        try await store.writer.write { db in
            try db.execute(sql: "UPDATE outbox_bytes SET bytes = ? WHERE seq = (SELECT seq FROM outbox WHERE envelope_id = ?)",
                           arguments: [Data(old.encoded), ids[0]])
        }
        #expect(try await federation.deliver("KR", "JP").deliveredIDs == ids)
        let jp = federation.stores["JP"]!
        #expect(try Envelope.parts(ofEncoded: try #require(try await jp.inboxEnvelope(id: ids[0])).bytes).rootDigest == nil)
        #expect(try Envelope.parts(ofEncoded: try #require(try await jp.inboxEnvelope(id: ids[1])).bytes).rootDigest == digest)
    }

    @Test("a row whose root the store lacks, or holds unreadable, is held back on its own backoff; later rows still go",
          arguments: ["DELETE FROM signed_roots", "UPDATE signed_roots SET bytes = substr(bytes, 1, 100)"])
    func rootMissingFromTheStore(damage: String) async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let lost = try await federation.releaseToJP(["a"])
        try await federation.stores["KR"]!.writer.write { db in try db.execute(sql: damage) }
        let kept = try await federation.releaseToJP(["b"])
        let sent = Mutex<[String]>([])
        let jp = federation.nodes["JP"]!
        let round = try await federation.nodes["KR"]!.deliver(to: JP) { transmission in
            sent.withLock { $0 += try! transmission.envelopes.map { try Envelope.header(ofEncoded: $0).id.description } }
            return await jp.receive(transmission)
        }
        #expect(sent.withLock { $0 } == kept && round.deliveredIDs == kept)
        let row = try #require(try await federation.stores["KR"]!.outboxEnvelope(id: lost[0]))
        #expect(row.state == .pending && row.attempts == 1)
    }

    @Test("an answer whose receipt roots are unreadable delivers nothing and is audited; the rows stay pending")
    func unreadableAnswerRoots() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let ids = try await federation.releaseToJP(["a", "b"])
        let jp = federation.nodes["JP"]!
        let before = try await federation.stores["KR"]!.auditSize()
        let round = try await federation.nodes["KR"]!.deliver(to: JP) { transmission in
            var answer = await jp.receive(transmission)
            answer.roots = answer.roots.map { Array($0.dropLast()) }
            return answer
        }
        #expect(round.delivered == 0 && round.refused.count == 2)
        #expect(round.refused.allSatisfy { $0.contains("unknownRoot") })
        let entries = try await federation.stores["KR"]!.auditLeaves(in: before..<(try await federation.stores["KR"]!.auditSize()))
        let text = entries.map { String(decoding: $0.entry, as: UTF8.self) }.joined(separator: "\n")
        #expect(text.contains("receipt roots are unreadable"))
        for id in ids { #expect(try await federation.stores["KR"]!.outboxEnvelope(id: id)?.state == .pending) }
        // The next round is answered properly and delivers both (JP acknowledges them again as already held).
        federation.clock.set(Instant.parse("2017-06-01T00:01:00Z")!)
        #expect(try await federation.deliver("KR", "JP").deliveredIDs == ids)
    }

    @Test("a peer's tree head is verified and kept once, however many answers carry it")
    func peerHeadKeptOnce() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        for name in ["a", "b", "c"] {
            _ = try await federation.releaseToJP([name])
            #expect(try await federation.deliver("KR", "JP").delivered == 1)
        }
        // JP's clock stands still: one head, carried by all three answers, kept once and referenced by each receipt.
        let heads = try await federation.stores["KR"]!.peerTreeHeads(of: "JP")
        #expect(heads.count == 1)
        let size = try await federation.stores["KR"]!.auditSize()
        let references = try await federation.stores["KR"]!.auditLeaves(in: 0..<size).compactMap { leaf -> PeerTreeHeadReference?? in
            guard case .receiptReceived(_, _, let head) = try AuditEntry(decoding: leaf.entry).event else { return nil }
            return head
        }
        #expect(references.count == 3)
        #expect(Set(references).count == 1 && references.first??.treeSize == UInt64(heads[0].size))
    }

    @Test("each side keeps only the roots that what it holds names, not others sent along")
    func onlyNamedRootsAreKept() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let store = federation.stores["KR"]!
        _ = try await federation.releaseToJP(["a"])
        let first = try await Self.roots(store)
        _ = try await federation.releaseToJP(["b"])
        let second = try await Self.roots(store).filter { !first.contains($0) }
        #expect(first.count == 1 && second.count == 1)
        let jp = federation.nodes["JP"]!
        // Only the first row goes (limit 1), and the second batch's root is sent along: JP keeps the first only.
        let round = try await federation.nodes["KR"]!.deliver(to: JP, limit: 1) { transmission in
            #expect(transmission.envelopes.count == 1 && transmission.roots == first)
            return await jp.receive(Transmission(announcements: transmission.announcements, envelopes: transmission.envelopes,
                                                 roots: transmission.roots + second))
        }
        #expect(round.delivered == 1)
        let digests = (first + second).map { Data(SHA256.hash(data: $0)) }
        #expect(try await federation.stores["JP"]!.signedRoots(digests).values.map { Array($0) } == first)
    }

    static func roots(_ store: SQLiteStore) async throws -> [[UInt8]] {
        try await store.writer.read { db in try Data.fetchAll(db, sql: "SELECT bytes FROM signed_roots") }.map { Array($0) }
    }
}
