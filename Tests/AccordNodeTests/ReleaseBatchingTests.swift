import AccordAudit
import AccordCore
import AccordCrypto
import AccordSQLite
import AccordStore
import Foundation
import Testing
@testable import AccordNode

@Suite("Release calls written together: one signature, one transaction, each call's outcome its own")
struct ReleaseBatchingTests {
    let report = Array(#"{"type":"bundle","id":"bundle--1"}"#.utf8)

    /// Two calls prepared separately in 2015: one direct to the US, one to JP through the US (with a consent).
    func twoCalls(_ federation: Federation) throws -> (PreparedRelease, PreparedRelease) {
        let kr = federation.nodes["KR"]!
        let analyst = federation.user("KR", clearance: "II", topics: ["nk-missile"])
        let (direct, _) = try kr.prepareRelease(
            [ReleaseSubmission(objectID: "to-us", label: "KR//II//REL TO US//TOPIC nk-missile", object: report)], by: analyst)
        let (relayed, _) = try kr.prepareRelease(
            [ReleaseSubmission(objectID: "to-jp", label: "KR//II//REL TO JP,US//TOPIC nk-missile", object: report, recipients: [PartyCode("JP")!])],
            by: analyst)
        return (direct, relayed)
    }

    func events(_ store: SQLiteStore) async throws -> [AuditEvent] {
        try await store.auditLeaves(in: 0..<(try await store.auditSize())).map { try AuditEntry(decoding: $0.entry).event }
    }

    @Test("two calls written as one batch share one batch root; each call's decisions come before its envelopes; both are delivered")
    func together() async throws {
        let federation = try await Federation(at: "2015-06-01T00:00:00Z")
        let kr = federation.nodes["KR"]!, store = federation.stores["KR"]!
        let (direct, relayed) = try twoCalls(federation)
        #expect(direct.drafts.count == 1 && relayed.drafts.count == 1 && relayed.consents.count == 1)
        try await kr.writeReleases([direct, relayed])

        let pending = try await store.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode("US")!, limit: 10)
        #expect(pending.map(\.id) == [direct.drafts[0].draft.id.description, relayed.drafts[0].draft.id.description])
        let digests = try Set(pending.map { try #require(try Envelope.parts(ofEncoded: try Transmission(encoded: Array($0.bytes)).envelopes[0]).rootDigest) })
        #expect(digests.count == 1, "one hybrid signature over both calls' envelopes")

        let kinds = try await events(store).map { event -> String in
            switch event {
            case .releaseDecided(let objectID, _, _, _, _): "decided \(objectID)"
            case .envelopeSent(let id, _, _, _): id == pending[0].id ? "sent to-us" : "sent to-jp"
            default: "\(event)"
            }
        }
        #expect(kinds == ["decided to-us", "sent to-us", "decided to-jp", "sent to-jp"])

        #expect(try await federation.deliver("KR", "US").delivered == 2)
        #expect(try await federation.deliver("US", "JP").delivered == 1)
        let held = try await federation.stores["JP"]!.holdings(holder: PartyCode("JP")!)
        #expect(held.map(\.receivedFrom.rawValue) == ["US"])
    }

    @Test("a batch is all or nothing: a call that cannot be sealed fails the batch, which writes nothing; the good call alone then goes")
    func allOrNothing() async throws {
        let federation = try await Federation(at: "2015-06-01T00:00:00Z")
        let kr = federation.nodes["KR"]!, store = federation.stores["KR"]!
        var (good, bad) = try twoCalls(federation)
        bad.drafts[0].draft.recipient = "XX"  // no key bundle: sealing fails
        await #expect(throws: (any Error).self) { try await kr.writeReleases([good, bad]) }
        #expect(try await store.auditSize() == 0)
        #expect(try await store.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode("US")!, limit: 10).isEmpty)

        try await kr.writeReleases([good])
        #expect(try await store.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode("US")!, limit: 10).map(\.id)
                == [good.drafts[0].draft.id.description])
        #expect(try await store.auditSize() == 2)
        // The failed batch had opened KR's epoch to the US; the good call's row carries its announcement all the same,
        // so KR restarted (its epoch keys gone from memory) still delivers it.
        let us = federation.nodes["US"]!
        let delivery = try await federation.restarted("KR").deliver(to: PartyCode("US")!) { await us.receive($0) }
        #expect(delivery.delivered == 1, "\(delivery)")
    }

    @Test("a batch whose commit fails leaves no epoch unannounced: the next call's row carries the announcement, and a restarted KR delivers it")
    func commitFailure() async throws {
        let federation = try await Federation(at: "2015-06-01T00:00:00Z")
        let kr = federation.nodes["KR"]!, store = federation.stores["KR"]!
        let (direct, _) = try twoCalls(federation)
        // The same call twice: it seals (opening KR's epoch to the US), and the commit fails on the repeated envelope id.
        await #expect(throws: (any Error).self) { try await kr.writeReleases([direct, direct]) }
        #expect(try await store.auditSize() == 0)
        let (next, _) = try twoCalls(federation)
        try await kr.writeReleases([next])
        let us = federation.nodes["US"]!
        let delivery = try await federation.restarted("KR").deliver(to: PartyCode("US")!) { await us.receive($0) }
        #expect(delivery.delivered == 1, "\(delivery)")
    }

    @Test("calls that decided at different times go together only if the earlier ones decide the same at the later time")
    func decisionTime() async throws {
        let federation = try await Federation(at: "2016-11-01T00:00:00Z")
        let kr = federation.nodes["KR"]!, store = federation.stores["KR"]!
        let analyst = federation.user("KR", clearance: "II", topics: ["nk-missile"])
        func prepared(_ objectID: String, at date: String) throws -> PreparedRelease {
            federation.clock.set(Instant.parse(date)!)
            return try kr.prepareRelease(
                [ReleaseSubmission(objectID: objectID, label: "KR//II//REL TO JP,US//TOPIC nk-missile", object: report, recipients: [PartyCode("JP")!])],
                by: analyst).0
        }
        // Before GSOMIA (2016-11-23) KR→JP goes through the US; after it, directly: sealed at the later time, the earlier
        // call's envelope would reach JP under a route JP decides otherwise for. The batch fails and writes nothing.
        let viaUS = try prepared("before", at: "2016-11-01T00:00:00Z")
        let direct = try prepared("after", at: "2017-06-01T00:00:00Z")
        #expect(viaUS.drafts.map(\.recipient.rawValue) == ["US"] && direct.drafts.map(\.recipient.rawValue) == ["JP"])
        await #expect(throws: NodeError.self) { try await kr.writeReleases([viaUS, direct]) }
        #expect(try await store.auditSize() == 0)
        // Alone, each is sealed at its own time.
        try await kr.writeReleases([viaUS])
        try await kr.writeReleases([direct])
        let header = { (peer: String) async throws -> EnvelopeHeader in
            let row = try #require(try await store.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode(peer)!, limit: 10).first)
            return try Envelope.header(ofEncoded: try Transmission(encoded: Array(row.bytes)).envelopes[0])
        }
        #expect(try await header("US").createdAt == Instant.parse("2016-11-01T00:00:00Z")!)
        #expect(try await header("JP").createdAt == Instant.parse("2017-06-01T00:00:00Z")!)
        // Two calls a day apart that decide alike go together, sealed at the later time.
        let first = try prepared("first", at: "2017-06-02T00:00:00Z")
        let second = try prepared("second", at: "2017-06-03T00:00:00Z")
        try await kr.writeReleases([first, second])
        let rows = try await store.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode("JP")!, limit: 10).dropFirst()
        let created = try rows.map { try Envelope.header(ofEncoded: try Transmission(encoded: Array($0.bytes)).envelopes[0]).createdAt }
        #expect(created == [Instant.parse("2017-06-03T00:00:00Z")!, Instant.parse("2017-06-03T00:00:00Z")!])
    }

    @Test("many concurrent release calls, however they were combined: every call gets its own outcomes and every envelope is delivered once")
    func concurrent() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let calls = 24
        let byCall = try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
            for call in 0..<calls {
                group.addTask { (call, try await federation.releaseToJP(["c\(call)-a", "c\(call)-b"])) }
            }
            return try await group.reduce(into: [Int: [String]]()) { $0[$1.0] = $1.1 }
        }
        let callOf = Dictionary(uniqueKeysWithValues: byCall.flatMap { call, ids in ids.map { ($0, call) } })
        let ids = Array(callOf.keys)
        #expect(ids.count == 2 * calls && byCall.values.allSatisfy { $0.count == 2 })
        #expect(federation.nodes["KR"]!.releaseTotals.calls == calls)
        let delivered = try await federation.deliver("KR", "JP")
        #expect(Set(delivered.deliveredIDs) == Set(ids))
        #expect(try await federation.stores["JP"]!.holdings(holder: PartyCode("JP")!).count == ids.count)
        // Each call's two decisions precede its two envelopes, whichever batch it went in.
        let events = try await events(federation.stores["KR"]!)
        var decidedFirst: [String: Int] = [:]
        for event in events {
            switch event {
            case .releaseDecided(let objectID, _, _, _, _): decidedFirst[String(objectID.prefix { $0 != "-" }), default: 0] += 1
            case .envelopeSent(let id, _, _, _):
                let call = try #require(callOf[id])
                #expect(decidedFirst["c\(call)"] == 2, "call \(call)'s envelope logged before both its decisions")
            default: break
            }
        }
    }
}
