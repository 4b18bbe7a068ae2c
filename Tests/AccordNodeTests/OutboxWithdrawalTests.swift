import AccordAudit
import AccordCore
import AccordSQLite
import AccordStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
@testable import AccordNode

@Suite("Node engine: what waits in the outbox, and withdrawing an envelope")
struct OutboxWithdrawalTests {
    let jp = PartyCode("JP")!

    func pending(_ federation: Federation) async throws -> [OutboxEnvelope] {
        try await federation.stores["KR"]!.pendingOutbox(sender: PartyCode("KR")!, recipient: jp, limit: 10)
    }

    func lastEvent(_ federation: Federation, _ party: String) async throws -> AuditEvent {
        let store = federation.stores[party]!
        let size = try await store.auditSize()
        return try AuditEntry(decoding: try #require(try await store.auditLeaves(in: (size - 1)..<size).first).entry).event
    }

    @Test("a withdrawn envelope is never sent, leaves the pending rows, and the audit log says who withdrew it and why")
    func withdrawn() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let kr = federation.nodes["KR"]!
        let ids = try await federation.releaseToJP(["r1", "r2"])
        let waiting = try await kr.waiting()
        #expect(waiting.map(\.row.id) == ids)
        #expect(waiting.allSatisfy { !$0.onTheWire && !$0.isStatement })

        let row = try await kr.withdraw(ids[0], by: "operator-1", reason: "  JP's certificate was revoked  ")
        #expect(row.state == .withdrawn(at: federation.clock.read(), by: "operator-1", reason: "JP's certificate was revoked"))
        #expect(try await federation.stores["KR"]!.outboxEnvelope(id: ids[0]) == row)
        #expect(try await lastEvent(federation, "KR")
            == .envelopeWithdrawn(envelopeID: ids[0], recipient: "JP", by: "operator-1", reason: "JP's certificate was revoked"))
        #expect(try await kr.waiting(to: jp).map(\.row.id) == [ids[1]])
        #expect(try await federation.deliver("KR", "JP").deliveredIDs == [ids[1]])
        #expect(try await federation.stores["JP"]!.inboxHolds(ids) == [ids[1]])
        #expect(try await kr.waiting().isEmpty)
    }

    @Test("only a pending envelope of this node, with a reason: delivered, withdrawn, unknown and notes are refused, nothing audited")
    func refusals() async throws {
        let notes = try await NoteFederation(at: "2019-11-23T03:00:00Z")
        let federation = notes.inner
        let kr = federation.nodes["KR"]!
        let ids = try await federation.releaseToJP(["r1", "r2", "r3"])
        try await kr.withdraw(ids[2], by: "operator-1", reason: "sent in error")
        _ = try await federation.deliver("KR", "JP")
        _ = try await kr.issue(try #require(notes.later["gsomia-2019-notice"]))
        let note = try #require(try await kr.waiting().first)
        #expect(note.isStatement)
        let auditSize = try await federation.stores["KR"]!.auditSize()

        func expectRefused(_ id: String, _ code: NodeError.Code, reason: String = "r", _ words: String) async {
            do {
                try await kr.withdraw(id, by: "operator-1", reason: reason)
                Issue.record("withdrew \(id)")
            } catch let error as NodeError {
                #expect(error.code == code)
                #expect(error.message.contains(words), "\(error.message)")
            } catch { Issue.record("\(error)") }
        }
        await expectRefused(ids[0], .refused, "was delivered to JP")
        await expectRefused(ids[2], .refused, "was withdrawn by operator-1")
        await expectRefused("env-unknown", .notFound, "no envelope env-unknown")
        await expectRefused(note.row.id, .refused, "must receive")
        await expectRefused(note.row.id, .malformed, reason: " \n ", "needs a reason")
        await expectRefused(ids[1], .malformed, reason: "two\nlines", "without control characters")
        #expect(try await federation.stores["KR"]!.auditSize() == auditSize)
        // The note still goes.
        #expect(try await federation.deliver("KR", "JP").deliveredIDs == [note.row.id])
    }

    @Test("every envelope waiting for a peer, a bounded number a call, in one audited transaction; notes stay")
    func withdrawAll() async throws {
        let notes = try await NoteFederation(at: "2019-11-23T03:00:00Z")
        let federation = notes.inner
        let kr = federation.nodes["KR"]!
        let ids = try await federation.releaseToJP(["r1", "r2", "r3"])
        let note = try await kr.issue(try #require(notes.later["gsomia-2019-notice"]))
        let auditSize = try await federation.stores["KR"]!.auditSize()

        let first = try await kr.withdrawAll(to: jp, by: "operator-1", reason: "JP node decommissioned", limit: 2)
        #expect(first == NodeEngine.BulkWithdrawal(withdrawn: Array(ids.prefix(2)), more: true))
        let second = try await kr.withdrawAll(to: jp, by: "operator-1", reason: "JP node decommissioned", limit: 2)
        #expect(second.withdrawn == [ids[2]] && second.statements.count == 1 && !second.more)
        #expect(try await federation.stores["KR"]!.auditSize() == auditSize + 3)
        #expect(try await lastEvent(federation, "KR")
            == .envelopeWithdrawn(envelopeID: ids[2], recipient: "JP", by: "operator-1", reason: "JP node decommissioned"))
        // Only the note is left, and it still goes.
        #expect(try await kr.waiting().map(\.isStatement) == [true])
        #expect(try await federation.deliver("KR", "JP").deliveredIDs.count == 1)
        #expect(note.sentTo == [jp])
        // Nothing left: nothing done; bad input refused.
        #expect(try await kr.withdrawAll(to: jp, by: "operator-1", reason: "again") == NodeEngine.BulkWithdrawal())
        await #expect(throws: NodeError.self) { try await kr.withdrawAll(to: jp, by: "operator-1", reason: "") }
        await #expect(throws: NodeError.self) { try await kr.withdrawAll(to: PartyCode("KR")!, by: "operator-1", reason: "x") }
    }

    @Test("an envelope on the wire cannot be withdrawn: its receipt decides; once recorded it is delivered")
    func onTheWire() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let (kr, receiver) = (federation.nodes["KR"]!, federation.nodes["JP"]!)
        let id = try #require(try await federation.releaseToJP(["r1"]).first)
        let seen = Mutex<(onTheWire: Bool, refusal: String?)>((false, nil))
        let round = try await kr.deliver(to: jp) { transmission in
            let waiting = (try? await kr.waiting()) ?? []
            do {
                try await kr.withdraw(id, by: "operator-1", reason: "too late")
                seen.withLock { $0 = (waiting.first?.onTheWire ?? false, nil) }
            } catch {
                seen.withLock { $0 = (waiting.first?.onTheWire ?? false, "\(error)") }
            }
            return await receiver.receive(transmission)
        }
        #expect(round.deliveredIDs == [id])
        let (onTheWire, refusal) = seen.withLock { $0 }
        #expect(onTheWire)
        #expect(refusal?.contains("busy: envelope \(id) is on the wire to JP") == true)
        // Off the wire again after the round: delivered now, so refused for that reason.
        await #expect(throws: NodeError.self) { try await kr.withdraw(id, by: "operator-1", reason: "too late") }
    }

    @Test("a round never sends a row withdrawn after the round read it")
    func guardDropsWithdrawn() {
        var guarded = OutboxGuard()
        let rows = ["a", "b", "c"].map {
            OutboxEnvelope(id: $0, sender: PartyCode("KR")!, recipient: PartyCode("JP")!, agreementID: "x", created: Date(), bytes: Data([1]))
        }
        var claim = guarded.claim("b")
        #expect(claim == .claimed)
        claim = guarded.claim("b")
        #expect(claim == .withdrawnAlready)
        let first = guarded.take(rows).map(\.id)
        #expect(first == ["a", "c"])
        claim = guarded.claim("a")
        #expect(claim == .onTheWire)
        // Two rounds carry "c": it stays on the wire until both are done.
        let again = guarded.take([rows[2]]).map(\.id)
        #expect(again == ["c"])
        guarded.release(["a", "c"])
        claim = guarded.claim("a")
        #expect(claim == .claimed)
        claim = guarded.claim("c")
        #expect(claim == .onTheWire)
        guarded.release(["c"])
        claim = guarded.claim("c")
        #expect(claim == .claimed)
        guarded.unclaim("c")
        let taken = guarded.take([rows[2]]).map(\.id)
        #expect(taken == ["c"])
    }

    @Test("why a row failed and whether the peer refused it survive a restart: a refused row still holds nothing back")
    func refusalSurvivesRestart() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let (kr, receiver) = (federation.nodes["KR"]!, federation.nodes["JP"]!)
        let first = try #require(try await federation.releaseToJP(["r1"]).first)
        _ = try await kr.deliver(to: jp) { transmission in
            var envelope = transmission.envelopes[0]
            envelope[envelope.count - 5] ^= 0x01
            return await receiver.receive(Transmission(announcements: transmission.announcements, envelopes: [envelope], roots: transmission.roots))
        }
        let refused = try #require(try await pending(federation).first)
        #expect(refused.refused)
        #expect(refused.lastError?.isEmpty == false)
        let restarted = try federation.restarted("KR")
        let second = try #require(try await federation.releaseToJP(["r2"]).last)
        let round = try await restarted.deliver(to: jp) { transmission in await receiver.receive(transmission) }
        #expect(round.deliveredIDs == [second])
        #expect(try await pending(federation).map(\.id) == [first])
        // A failed send is kept with its error; the row the peer refused stays refused (the peer was not asked).
        struct Down: Error, CustomStringConvertible { var description: String { "connection refused" } }
        federation.clock.set(Instant.parse("2017-06-01T00:01:00Z")!)
        await #expect(throws: Down.self) { _ = try await restarted.deliver(to: jp) { _ in throw Down() } }
        let failed = try #require(try await pending(federation).first)
        #expect(failed.lastError == "connection refused" && failed.refused)
    }
}

@Suite("Analyst API: the outbox, for operators")
struct OutboxRouteTests {
    static let users = [
        TAXIIFixture.user("kr-analyst", "II"),
        NodeConfiguration.UserEntry(id: "kr-operator", clearance: "III", needToKnow: [], tokenSHA256: TAXIIFixture.sha("token-kr-operator"),
                                    roles: [.outbox]),
    ]

    func call(_ client: some TestClientProtocol, _ uri: String, _ method: HTTPRequest.Method = .get, user: String, body: String? = nil)
        async throws -> (HTTPResponse.Status, Any?)
    {
        try await client.execute(uri: uri, method: method, headers: [.authorization: "Bearer token-\(user)"],
                                 body: body.map { ByteBuffer(string: $0) }) { response in
            (response.status, try? JSONSerialization.jsonObject(with: Data(Array(buffer: response.body))))
        }
    }

    @Test("the outbox role lists what waits and withdraws an envelope; others get 403; errors are 400, 404 and 409")
    func routes() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let ids = try await federation.releaseToJP(["r1", "r2"])
        let app = try APIApplication.build(engine: federation.nodes["KR"]!, users: Self.users, clock: NodeClock(), metrics: NodeMetrics(),
                                           host: "127.0.0.1", port: 0)
        try await app.test(.router) { client in
            let (forbidden, message) = try await call(client, "/api/v1/outbox", user: "kr-analyst")
            #expect(forbidden == .forbidden)
            #expect(((message as? [String: Any])?["error"] as? [String: Any])?["message"] as? String
                == "user kr-analyst does not have the 'outbox' role, which sees the outbox")
            #expect(try await call(client, "/api/v1/outbox/\(ids[0])/withdraw", .post, user: "kr-analyst", body: #"{"reason":"x"}"#).0 == .forbidden)

            let (listed, rows) = try await call(client, "/api/v1/outbox?peer=JP", user: "kr-operator")
            #expect(listed == .ok)
            let list = try #require(rows as? [[String: Any]])
            #expect(list.map { $0["id"] as? String } == ids)
            #expect(list.first?["state"] as? String == "pending" && list.first?["kind"] as? String == "envelope")
            #expect(list.first?["on_the_wire"] as? Bool == false && list.first?["recipient"] as? String == "JP")
            #expect(try await call(client, "/api/v1/outbox?peer=XX", user: "kr-operator").0 == .badRequest)
            #expect(try await call(client, "/api/v1/outbox?limit=0", user: "kr-operator").0 == .badRequest)

            let (withdrawn, row) = try await call(client, "/api/v1/outbox/\(ids[0])/withdraw", .post, user: "kr-operator",
                                                  body: #"{"reason":"sent in error"}"#)
            #expect(withdrawn == .ok)
            let answer = try #require(row as? [String: Any])
            #expect(answer["state"] as? String == "withdrawn")
            #expect((answer["withdrawn"] as? [String: Any])?["by"] as? String == "kr-operator")
            #expect(try await call(client, "/api/v1/outbox/\(ids[0])/withdraw", .post, user: "kr-operator", body: #"{"reason":"again"}"#).0 == .conflict)
            #expect(try await call(client, "/api/v1/outbox/env-nope/withdraw", .post, user: "kr-operator", body: #"{"reason":"x"}"#).0 == .notFound)
            #expect(try await call(client, "/api/v1/outbox/\(ids[1])/withdraw", .post, user: "kr-operator", body: #"{"reason":""}"#).0 == .badRequest)
            #expect(try await call(client, "/api/v1/outbox/\(ids[1])/withdraw", .post, user: "kr-operator", body: "nope").0 == .badRequest)
            let (_, after) = try await call(client, "/api/v1/outbox", user: "kr-operator")
            #expect((after as? [[String: Any]])?.map { $0["id"] as? String } == [ids[1]])
            #expect(try await call(client, "/api/v1/outbox/withdraw", .post, user: "kr-analyst", body: #"{"peer":"JP","reason":"x"}"#).0 == .forbidden)
            #expect(try await call(client, "/api/v1/outbox/withdraw", .post, user: "kr-operator", body: #"{"peer":"KR","reason":"x"}"#).0 == .badRequest)
            #expect(try await call(client, "/api/v1/outbox/withdraw", .post, user: "kr-operator", body: #"{"peer":"JP"}"#).0 == .badRequest)

            // On the wire: 423 with Retry-After, and the row is listed as such.
            let receiver = federation.nodes["JP"]!
            let seen = Mutex<[String]>([])
            _ = try await federation.nodes["KR"]!.deliver(to: PartyCode("JP")!) { transmission in
                let (_, listed) = (try? await call(client, "/api/v1/outbox", user: "kr-operator")) ?? (.ok, nil)
                let onTheWire = ((listed as? [[String: Any]])?.first?["on_the_wire"] as? Bool) == true
                let retryAfter = try? await client.execute(
                    uri: "/api/v1/outbox/\(ids[1])/withdraw", method: .post, headers: [.authorization: "Bearer token-kr-operator"],
                    body: ByteBuffer(string: #"{"reason":"x"}"#)
                ) { response in "\(response.status.code) \(response.headers[.retryAfter] ?? "-")" }
                seen.withLock { $0 = ["\(onTheWire)", retryAfter ?? "no answer"] }
                return await receiver.receive(transmission)
            }
            #expect(seen.withLock { $0 } == ["true", "423 1"])

            // Every envelope waiting for a peer.
            let more = try await federation.releaseToJP(["r3", "r4"])
            let (bulk, report) = try await call(client, "/api/v1/outbox/withdraw", .post, user: "kr-operator", body: #"{"peer":"JP","reason":"revoked"}"#)
            #expect(bulk == .ok)
            let summary = try #require(report as? [String: Any])
            #expect(summary["withdrawn"] as? [String] == more && summary["more"] as? Bool == false)
            #expect((summary["on_the_wire"] as? [String])?.isEmpty == true && (summary["statements"] as? [String])?.isEmpty == true)
        }
    }
}
