import AccordCore
import AccordCrypto
import AccordSQLite
import AccordStore
import Foundation
import GRDB
import Synchronization
import Testing
@testable import AccordNode

/// Every round carries the announcement of each epoch its envelopes were sealed in, from the sealer while current and
/// from the store after: epoch keys live in memory at both ends, so without it rows of an epoch could become impossible
/// to open after a restart.
@Suite("Node engine: epoch announcements survive restarts and withdrawals")
struct EpochAnnouncementDeliveryTests {
    let jp = PartyCode("JP")!

    @Test("both nodes restarted while rows of an epoch whose announcement JP already took wait: JP opens them")
    func bothRestarted() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let first = try await federation.releaseToJP(["r1"])
        #expect(try await federation.deliver("KR", "JP").deliveredIDs == first)
        // The same epoch, the row carrying no announcement of its own (its batch's was stored with r1's).
        let second = try await federation.releaseToJP(["r2", "r3"])
        // JP went down and came back (its epoch keys gone), and so did KR (its sealer's current epochs gone).
        let kr = try federation.restarted("KR"), receiver = try federation.restarted("JP")
        let report = try await kr.deliver(to: jp) { await receiver.receive($0) }
        #expect(report.deliveredIDs == second && report.refused.isEmpty, "\(report)")
        #expect(try await federation.stores["JP"]!.inboxHolds(first + second) == Set(first + second))
    }

    @Test("JP restarted after KR moved to a new epoch: the rows of the old epoch still open")
    func receiverRestartedAcrossEpochs() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let kr = federation.nodes["KR"]!
        #expect(try await federation.deliver("KR", "JP").delivered == 0)
        let first = try await federation.releaseToJP(["r1"])
        #expect(try await federation.deliver("KR", "JP").deliveredIDs == first)
        let old = try await federation.releaseToJP(["r2"])
        // Two hours on, KR's epoch to JP has ended: the next release opens a new one.
        federation.clock.set(federation.clock.read().addingTimeInterval(2 * 3_600))
        let new = try await federation.releaseToJP(["r3"])
        let receiver = try federation.restarted("JP")
        let report = try await kr.deliver(to: jp) { await receiver.receive($0) }
        #expect(report.deliveredIDs == old + new && report.refused.isEmpty, "\(report)")
    }

    @Test("the one row that carried an epoch's announcement is withdrawn: a restarted KR still delivers the epoch's later rows")
    func carrierWithdrawn() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let ids = try await federation.releaseToJP(["r1"]) + (try await federation.releaseToJP(["r2"]))
        try await federation.nodes["KR"]!.withdraw(ids[0], by: "operator-1", reason: "sent in error")
        let kr = try federation.restarted("KR"), receiver = federation.nodes["JP"]!
        let report = try await kr.deliver(to: jp) { await receiver.receive($0) }
        #expect(report.deliveredIDs == [ids[1]] && report.refused.isEmpty, "\(report)")
    }

    @Test("rows written before announcements were stored apart still deliver: with the one their first row carries, or the sealer's")
    func rowsOfAnOlderStore() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let store = federation.stores["KR"]!
        let ids = try await federation.releaseToJP(["r1", "r2"])
        // As a v6 store held them: the announcement inside the batch's first row, none kept apart.
        try await store.writer.write { db in
            let announcement = try #require(try Data.fetchOne(db, sql: "SELECT bytes FROM epoch_announcements"))
            let seq = try #require(try Int64.fetchOne(db, sql: "SELECT seq FROM outbox WHERE envelope_id = ?", arguments: [ids[0]]))
            let row = try Transmission(encoded: Array(try #require(try Data.fetchOne(db, sql: "SELECT bytes FROM outbox_bytes WHERE seq = ?", arguments: [seq]))))
            let old = Transmission(announcements: [Array(announcement)], envelopes: row.envelopes)
            try db.execute(sql: "UPDATE outbox_bytes SET bytes = ? WHERE seq = ?", arguments: [Data(old.encoded), seq])
            try db.execute(sql: "DELETE FROM epoch_announcements")
        }
        let receiver = federation.nodes["JP"]!
        let report = try await federation.restarted("KR").deliver(to: jp) { await receiver.receive($0) }
        #expect(report.deliveredIDs == ids, "\(report)")
        // A row of an epoch neither its row nor the store announces (its batch's announcement went with r1's, and the
        // store lost it above): the sealer that opened it still knows it.
        let more = try await federation.releaseToJP(["r3"])
        let fresh = try federation.restarted("JP")
        #expect(try await federation.nodes["KR"]!.deliver(to: jp) { await fresh.receive($0) }.deliveredIDs == more)
    }

    @Test("rows an older build queued, whose announcing row went before both nodes restarted: the announcement is found in that row, kept, and sent")
    func recoveredFromAnOlderRow() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let store = federation.stores["KR"]!
        let first = try await federation.releaseToJP(["r1"])
        let later = try await federation.releaseToJP(["r2", "r3"])
        // As a v6 store held them: the announcement inside r1's row only.
        try await store.writer.write { db in
            let announcement = try #require(try Data.fetchOne(db, sql: "SELECT bytes FROM epoch_announcements"))
            let seq = try #require(try Int64.fetchOne(db, sql: "SELECT seq FROM outbox WHERE envelope_id = ?", arguments: [first[0]]))
            let row = try Transmission(encoded: Array(try #require(try Data.fetchOne(db, sql: "SELECT bytes FROM outbox_bytes WHERE seq = ?", arguments: [seq]))))
            try db.execute(sql: "UPDATE outbox_bytes SET bytes = ? WHERE seq = ?",
                           arguments: [Data(Transmission(announcements: [Array(announcement)], envelopes: row.envelopes).encoded), seq])
            try db.execute(sql: "DELETE FROM epoch_announcements")
        }
        #expect(try await federation.nodes["KR"]!.deliver(to: jp, limit: 1) { await federation.nodes["JP"]!.receive($0) }.deliveredIDs == first)
        let kr = try federation.restarted("KR"), receiver = try federation.restarted("JP")
        let report = try await kr.deliver(to: jp) { await receiver.receive($0) }
        #expect(report.deliveredIDs == later && report.refused.isEmpty, "\(report)")
        let row = try #require(try await store.outboxEnvelope(id: later[0]))
        let epoch = try Envelope.references(ofEncoded: try Transmission(encoded: Array(row.bytes)).envelopes[0]).epoch
        #expect(try await store.epochAnnouncements([Data(epoch.bytes)]).count == 1)
    }

    @Test("two epochs an hour apart whose announcing rows went (one delivered, one withdrawn): each is searched for in its own time")
    func recoveredForTwoEpochs() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let store = federation.stores["KR"]!
        let a = try await federation.releaseToJP(["a1"]) + (try await federation.releaseToJP(["a2"]))
        federation.clock.set(federation.clock.read().addingTimeInterval(2 * 3_600))
        let b = try await federation.releaseToJP(["b1"]) + (try await federation.releaseToJP(["b2"]))
        // As a v6 store held them: each epoch's announcement inside its first row only.
        try await store.writer.write { db in
            let announcements = try Data.fetchAll(db, sql: "SELECT bytes FROM epoch_announcements")
            #expect(announcements.count == 2)
            for id in [a[0], b[0]] {
                let seq = try #require(try Int64.fetchOne(db, sql: "SELECT seq FROM outbox WHERE envelope_id = ?", arguments: [id]))
                let row = try Transmission(encoded: Array(try #require(try Data.fetchOne(db, sql: "SELECT bytes FROM outbox_bytes WHERE seq = ?", arguments: [seq]))))
                let epochs = try row.envelopes.map { try Envelope.references(ofEncoded: $0).epoch }
                let own = try announcements.first { try EpochAnnouncement(encoded: $0).epochID == epochs[0] }
                try db.execute(sql: "UPDATE outbox_bytes SET bytes = ? WHERE seq = ?",
                               arguments: [Data(Transmission(announcements: [Array(try #require(own))], envelopes: row.envelopes).encoded), seq])
            }
            try db.execute(sql: "DELETE FROM epoch_announcements")
        }
        #expect(try await federation.nodes["KR"]!.deliver(to: jp, limit: 1) { await federation.nodes["JP"]!.receive($0) }.deliveredIDs == [a[0]])
        try await federation.nodes["KR"]!.withdraw(b[0], by: "operator-1", reason: "sent in error")
        let kr = try federation.restarted("KR"), receiver = try federation.restarted("JP")
        let report = try await kr.deliver(to: jp) { await receiver.receive($0) }
        #expect(report.deliveredIDs == [a[1], b[1]] && report.refused.isEmpty, "\(report)")
        #expect(try await store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM epoch_announcements") } == 2)
    }

    @Test("a round whose rows span two epochs carries both announcements, once each, in the order the rows use them")
    func twoEpochsInOneRound() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        _ = try await federation.releaseToJP(["r1", "r2"])
        federation.clock.set(federation.clock.read().addingTimeInterval(2 * 3_600))
        _ = try await federation.releaseToJP(["r3", "r4"])
        let kr = try federation.restarted("KR"), receiver = try federation.restarted("JP")
        let sent = Sent()
        let report = try await kr.deliver(to: jp) { transmission in
            sent.add(transmission)
            return await receiver.receive(transmission)
        }
        #expect(report.delivered == 4 && report.refused.isEmpty, "\(report)")
        let transmission = try #require(sent.all.first)
        #expect(sent.all.count == 1)
        let announced = try transmission.announcements.map { try EpochAnnouncement(encoded: $0).epochID }
        let used = try transmission.envelopes.map { try Envelope.references(ofEncoded: $0).epoch }
        #expect(used.count == 4 && used[0] == used[1] && used[2] == used[3] && used[0] != used[2])
        #expect(announced == [used[0], used[2]])
    }

    @Test("a round carries the announcement of each epoch its envelopes use, once, and no other")
    func roundAnnouncements() async throws {
        let federation = try await Federation(at: "2017-06-01T00:00:00Z")
        let old = try await federation.releaseToJP(["r1", "r2"])
        federation.clock.set(federation.clock.read().addingTimeInterval(2 * 3_600))
        let new = try await federation.releaseToJP(["r3"])
        let kr = federation.nodes["KR"]!, receiver = federation.nodes["JP"]!
        let sent = Sent()
        let send: @Sendable (Transmission) async throws -> PeerAnswer = { transmission in
            sent.add(transmission)
            return await receiver.receive(transmission)
        }
        // The first round takes the old epoch's rows only: KR's current epoch is not announced with them.
        #expect(try await kr.deliver(to: jp, limit: 2, send: send).deliveredIDs == old)
        #expect(try await kr.deliver(to: jp, send: send).deliveredIDs == new)
        let rounds = try sent.all.map { transmission in
            (announced: try transmission.announcements.map { try EpochAnnouncement(encoded: $0).epochID },
             used: try transmission.envelopes.map { try Envelope.references(ofEncoded: $0).epoch })
        }
        #expect(rounds.count == 2)
        for round in rounds { #expect(round.announced == [round.used[0]] && Set(round.used).count == 1, "\(round)") }
        #expect(rounds[0].announced != rounds[1].announced)
    }
}

/// Transmissions a test's send closure saw.
final class Sent: Sendable {
    private let transmissions = Mutex<[Transmission]>([])
    func add(_ transmission: Transmission) { transmissions.withLock { $0.append(transmission) } }
    var all: [Transmission] { transmissions.withLock { $0 } }
}
