import AccordCore
import AccordSQLite
import AccordStore
import Foundation
import Synchronization
import Testing
@testable import AccordNode

@Suite("Node engine: delivery order, refusals and the outbox doorbell")
struct DeliveryOrderTests {
    let report = Array(#"{"type":"bundle","id":"bundle--1"}"#.utf8)

    func release(_ federation: Federation, _ objectID: String) async throws -> String {
        let outcomes = try await federation.nodes["KR"]!.release(
            [ReleaseSubmission(objectID: objectID, label: "KR//II//REL TO JP//TOPIC nk-missile", object: report)],
            by: federation.user("KR", clearance: "II", topics: ["nk-missile"]))
        return try #require(outcomes[0].first?.envelopeID)
    }

    func pending(_ federation: Federation) async throws -> [OutboxEnvelope] {
        try await federation.stores["KR"]!.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode("JP")!, limit: 10)
    }

    @Test("after a failed round, envelopes queued later wait behind the older ones and go in release order")
    func orderAfterFailure() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let first = try await release(federation, "r1")
        struct Down: Error {}
        await #expect(throws: Down.self) {
            _ = try await federation.nodes["KR"]!.deliver(to: PartyCode("JP")!) { _ in throw Down() }
        }
        let second = try await release(federation, "r2")
        // The newer envelope is due, but the older one is waiting for its retry: nothing goes yet.
        #expect(try await federation.deliver("KR", "JP").attempted == 0)
        federation.clock.set(Instant.parse("2017-06-01T00:01:00Z")!)
        let round = try await federation.deliver("KR", "JP")
        #expect(round.deliveredIDs == [first, second])
    }

    @Test("an envelope the peer refused is offered again on its own backoff, not at every round, and does not hold back later ones")
    func refusedBacksOff() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let kr = federation.nodes["KR"]!, jp = federation.nodes["JP"]!
        let first = try await release(federation, "r1")
        let tampered = try await kr.deliver(to: PartyCode("JP")!) { transmission in
            var envelope = transmission.envelopes[0]
            envelope[envelope.count - 5] ^= 0x01
            return await jp.receive(Transmission(announcements: transmission.announcements, envelopes: [envelope], roots: transmission.roots))
        }
        #expect(tampered.refused.count == 1)
        #expect(try await pending(federation).map(\.attempts) == [1])
        let auditAfterRefusal = try await federation.stores["JP"]!.auditSize()
        // Not offered again at once: the peer would audit the same refusal at every round.
        #expect(try await federation.deliver("KR", "JP").attempted == 0)
        #expect(try await federation.stores["JP"]!.auditSize() == auditAfterRefusal)
        // A later envelope is not held back by the refused one.
        let second = try await release(federation, "r2")
        #expect(try await federation.deliver("KR", "JP").deliveredIDs == [second])
        // Once its backoff has passed, the refused envelope is offered again (here, intact) and held.
        federation.clock.set(Instant.parse("2017-06-01T00:01:00Z")!)
        #expect(try await federation.deliver("KR", "JP").deliveredIDs == [first])
        #expect(try await pending(federation).isEmpty)
    }

    @Test("a peer that could not store the envelope is retried like a failed send: later envelopes wait behind it")
    func transientRefusal() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let first = try await release(federation, "r1")
        let round = try await federation.nodes["KR"]!.deliver(to: PartyCode("JP")!) { transmission in
            PeerAnswer(results: transmission.envelopes.map { _ in .refused(NodeError(.store, "could not hold the envelope: disk full")) })
        }
        #expect(round.refused.count == 1)
        let second = try await release(federation, "r2")
        #expect(try await federation.deliver("KR", "JP").attempted == 0)
        federation.clock.set(Instant.parse("2017-06-01T00:01:00Z")!)
        #expect(try await federation.deliver("KR", "JP").deliveredIDs == [first, second])
        // The same refusal as read from the wire (`store: …` in the answer) counts as passing too.
        #expect(NodeEngine.isTransient(try #require(PeerAnswer(encoded: PeerAnswer(results: [.refused(NodeError(.store, "x"))]).encoded)
            .first.flatMap { if case .refused(let error) = $0 { error } else { nil } })))
        #expect(!NodeEngine.isTransient(NodeError(.refused, "peer refused: refused: envelope from KR: no agreement")))
    }

    @Test("deliverAll stops between rounds when told to (shutdown), after recording what it sent")
    func deliverAllStops() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        for index in 0..<5 { _ = try await release(federation, "r\(index)") }
        let jp = federation.nodes["JP"]!
        let rounds = Mutex(0)
        let report = try await federation.nodes["KR"]!.deliverAll(to: PartyCode("JP")!, limit: 2, while: { rounds.withLock { $0 } < 1 }) { transmission in
            rounds.withLock { $0 += 1 }
            return await jp.receive(transmission)
        }
        #expect(report.delivered == 2 && rounds.withLock { $0 } == 1)
        #expect(try await pending(federation).count == 3)
    }

    @Test("deliverAll sends round after round, recording each while the next is on the wire: everything once, in release order")
    func pipelinedRounds() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        var released: [String] = []
        for index in 0..<7 { released.append(try await release(federation, "r\(index)")) }
        let jp = federation.nodes["JP"]!
        let rounds = Mutex(0)
        let report = try await federation.nodes["KR"]!.deliverAll(to: PartyCode("JP")!, limit: 2) { transmission in
            rounds.withLock { $0 += 1 }
            return await jp.receive(transmission)
        }
        #expect(report.deliveredIDs == released)
        #expect(report.attempted == 7 && report.delivered == 7 && report.refused.isEmpty)
        #expect(rounds.withLock { $0 } == 4)
        #expect(try await pending(federation).isEmpty)
        #expect(try await federation.stores["JP"]!.holdings(holder: nil).count == 7)
        // Each envelope reached JP once: seven receipts, no replay acknowledged.
        #expect(try await federation.stores["JP"]!.auditSize() == 7)
    }

    @Test("a transmission of forty envelopes with one tampered: each answer matches its envelope, the other thirty-nine are held")
    func largeTransmission() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let ids = try await federation.releaseToJP((0..<40).map { "r\($0)" }, object: report)
        let jp = federation.nodes["JP"]!
        let round = try await federation.nodes["KR"]!.deliver(to: PartyCode("JP")!) { transmission in
            var envelopes = transmission.envelopes
            envelopes[30][envelopes[30].count - 5] ^= 0x01
            return await jp.receive(Transmission(announcements: transmission.announcements, envelopes: envelopes, roots: transmission.roots))
        }
        #expect(round.deliveredIDs == ids.enumerated().filter { $0.offset != 30 }.map(\.element))
        #expect(round.refused.count == 1 && round.refused.first?.hasPrefix(ids[30]) == true)
        #expect(try await federation.stores["JP"]!.holdings(holder: nil).count == 39)
    }

    @Test("a committed release rings its peer's doorbell: a waiting delivery loop wakes without waiting for its poll")
    func doorbell() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let kr = federation.nodes["KR"]!
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await kr.waitForOutbox(to: PartyCode("JP")!, timeout: .seconds(300)) }
            try await Task.sleep(for: .milliseconds(50))
            _ = try await release(federation, "r1")
            try await group.waitForAll()
        }
        // The wait returned because of the release, far before its five-minute timeout.
        #expect(ContinuousClock.now - started < .seconds(120))
        // A ring while nobody waits is kept for the next wait; a party nothing was queued for is not rung.
        _ = try await release(federation, "r2")
        let immediate = ContinuousClock.now
        await kr.waitForOutbox(to: PartyCode("JP")!, timeout: .seconds(300))
        #expect(ContinuousClock.now - immediate < .seconds(120))
        #expect(kr.doorbell.isRung(PartyCode("JP")!) == false)
        #expect(kr.doorbell.isRung(PartyCode("US")!) == false)
    }
}
