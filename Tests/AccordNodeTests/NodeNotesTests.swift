import AccordAudit
import AccordCore
import AccordCrypto
import AccordSQLite
import AccordStore
import Foundation
import Testing
@testable import AccordNode

/// KR and JP nodes whose agreement files stop before 2019: the 2019 notes travel between the nodes.
struct NoteFederation {
    static let gsomia = "kr-jp-gsomia-2016"
    let inner: Federation
    /// The real 2019–2023 notes, as the bundled record has them.
    let later: [String: Note]

    init(at start: String) async throws {
        let bundled = try BundledPolicy.load()
        let cutoff = Instant.parse("2019-01-01")!
        let history = try #require(bundled.history(Self.gsomia))
        let book = try bundled.replacingNotes(of: Self.gsomia, with: history.notes.filter { $0.date < cutoff })
        inner = try await Federation(at: start, book: book)
        later = Dictionary(uniqueKeysWithValues: history.notes.filter { $0.date >= cutoff }.map { ($0.id, $0) })
    }

    func state(_ party: String, at instant: String) -> String? {
        inner.nodes[party]!.book.history(Self.gsomia)?.state(at: Instant.parse(instant)!).name
    }

    func events(_ party: String) async throws -> [AuditEvent] {
        let store = inner.stores[party]!
        return try await store.auditLeaves(in: 0..<store.auditSize()).map { try AuditEntry(decoding: $0.entry).event }
    }
}

@Suite("Node engine: diplomatic notes between nodes")
struct NodeNotesTests {
    let report = Array(#"{"type":"bundle","id":"bundle--1"}"#.utf8)

    @Test("KR's 2019 notice and suspension travel to JP as signed notes; each node decides with the notes it holds")
    func noticeAndSuspension() async throws {
        let notes = try await NoteFederation(at: "2019-11-23T03:00:00Z")
        let (kr, jp) = (notes.inner.nodes["KR"]!, notes.inner.nodes["JP"]!)
        #expect(notes.state("JP", at: "2019-11-23T12:00:00+09:00") == "in-force")

        let issued = try await kr.issue(try #require(notes.later["gsomia-2019-notice"]))
        #expect(issued.sentTo == [PartyCode("JP")!] && issued.notFederated.isEmpty)
        #expect(notes.state("KR", at: "2019-11-23T12:00:00+09:00") == "terminated")
        #expect(notes.state("JP", at: "2019-11-23T12:00:00+09:00") == "in-force")  // not delivered yet
        let delivery = try await notes.inner.deliver("KR", "JP")
        #expect(delivery.delivered == 1 && delivery.refused.isEmpty, "\(delivery)")
        #expect(notes.state("JP", at: "2019-11-23T12:00:00+09:00") == "terminated")
        #expect(notes.inner.nodes["US"]!.book.history(NoteFederation.gsomia)?.notes.count == 4)  // not a party: not sent

        // With the notice alone, KR's report to JP goes through the US after 2019-11-23.
        let user = notes.inner.user("KR", clearance: "II", topics: ["nk-missile"])
        let label = "KR//II//REL TO JP,US//TOPIC nk-missile"
        let before = try await kr.release([ReleaseSubmission(objectID: "r1", label: label, object: report, recipients: [PartyCode("JP")!])], by: user)
        #expect(before[0].first?.decision.kind == "via")

        // The suspension of 22 November 18:00 KST restores the direct route on both nodes.
        _ = try await kr.issue(try #require(notes.later["gsomia-2019-suspension"]))
        try await notes.inner.deliver("KR", "JP")
        #expect(notes.state("JP", at: "2019-11-23T12:00:00+09:00") == "notice-suspended")
        let after = try await kr.release([ReleaseSubmission(objectID: "r2", label: label, object: report, recipients: [PartyCode("JP")!])], by: user)
        #expect(after[0].first?.decision.kind == "direct")
        try await notes.inner.deliver("KR", "JP")
        #expect(try await notes.inner.stores["JP"]!.holdings(holder: PartyCode("JP")!).map(\.objectID) == ["r2"])

        // Both logs record the notes; both stores keep them.
        #expect(try await notes.events("KR").contains { if case .noteSent(let id, _, "JP", "suspension-of-notice") = $0 { id == "gsomia-2019-suspension" } else { false } })
        #expect(try await notes.events("JP").contains { if case .noteReceived("gsomia-2019-notice", _, "KR", "notice-of-termination") = $0 { true } else { false } })
        #expect(try await notes.inner.stores["JP"]!.notes(agreementID: NoteFederation.gsomia).map(\.noteID) == ["gsomia-2019-notice", "gsomia-2019-suspension"])
        _ = jp
    }

    @Test("a restarted node decides with the notes it holds")
    func restart() async throws {
        let notes = try await NoteFederation(at: "2019-11-23T03:00:00Z")
        _ = try await notes.inner.nodes["KR"]!.issue(try #require(notes.later["gsomia-2019-notice"]))
        try await notes.inner.deliver("KR", "JP")
        let again = try notes.inner.restarted("JP")
        #expect(again.book.history(NoteFederation.gsomia)?.state(at: Instant.parse("2019-11-23T12:00:00+09:00")!).name == "in-force")
        try await again.restoreNotes()
        #expect(again.book.history(NoteFederation.gsomia)?.state(at: Instant.parse("2019-11-23T12:00:00+09:00")!).name == "terminated")
    }

    @Test("a redelivered note is acknowledged again and held once")
    func redelivery() async throws {
        let notes = try await NoteFederation(at: "2019-09-01T00:00:00Z")
        _ = try await notes.inner.nodes["KR"]!.issue(try #require(notes.later["gsomia-2019-notice"]))
        let row = try #require(try await notes.inner.stores["KR"]!.pendingOutbox(sender: PartyCode("KR")!, recipient: PartyCode("JP")!, limit: 5).first)
        let frame = try Transmission(encoded: Array(row.bytes))
        #expect(frame.statements.count == 1 && frame.envelopes.isEmpty)
        try await notes.inner.deliver("KR", "JP")
        let results = await notes.inner.nodes["JP"]!.receive(frame)
        guard case .statementReceipt = results.first else { Issue.record("not acknowledged: \(results)"); return }
        #expect(try await notes.inner.stores["JP"]!.notes(agreementID: nil).count == 1)
    }

    @Test("forged, misattributed, foreign and ill-fitting notes are refused with a reason, audited, and change nothing")
    func refusals() async throws {
        let notes = try await NoteFederation(at: "2019-09-01T00:00:00Z")
        let (kr, jp) = (notes.inner.nodes["KR"]!, notes.inner.nodes["JP"]!)
        let notice = try #require(notes.later["gsomia-2019-notice"])
        let identities = notes.inner.identities

        // KR's node signs KR's notes only.
        let japanese = Note(id: "jp-notice", agreement: NoteFederation.gsomia, kind: .noticeOfTermination, from: PartyCode("JP")!,
                            date: notice.date)
        await #expect(throws: NodeError.self) { _ = try await kr.issue(japanese) }
        #expect(throws: NodeError.self) { _ = try SignedNote(signing: japanese, by: identities["KR"]!) }

        // A flipped bit in the signed note.
        var forged = try SignedNote(signing: notice, by: identities["KR"]!).encoded
        forged[forged.count - 10] ^= 0x01
        // A note about an agreement JP is not party to (KR–US), signed by KR.
        let foreign = try SignedNote(signing: Note(id: "x", agreement: "us-kr-1987", kind: .noticeOfTermination, from: PartyCode("KR")!,
                                                   date: notice.date), by: identities["KR"]!).encoded
        // A suspension of a notice JP never received.
        let dangling = try SignedNote(signing: try #require(notes.later["gsomia-2019-suspension"]), by: identities["KR"]!).encoded
        let results = await jp.receive(Transmission(announcements: [], envelopes: [], statements: [forged, foreign, dangling]))
        let messages = results.map { result -> String in if case .refused(let error) = result { error.message } else { "accepted" } }
        #expect(messages[0].contains("signature does not verify"), "\(messages[0])")
        #expect(messages[1].contains("not a party"), "\(messages[1])")
        #expect(messages[2].contains("gsomia-2019-notice"), "\(messages[2])")
        #expect(try await notes.inner.stores["JP"]!.notes(agreementID: nil).isEmpty)
        #expect(notes.state("JP", at: "2020-01-01") == "in-force")
        let security = try await notes.events("JP").filter { if case .securityEvent = $0 { true } else { false } }
        #expect(security.count == 3)

        // The issuing side checks the same: a note issued twice, or one that does not fit, is refused before anything is stored.
        _ = try await kr.issue(notice)
        await #expect(throws: NodeError.self) { _ = try await kr.issue(notice) }
        let bogus = Note(id: "bogus", agreement: NoteFederation.gsomia, kind: .suspensionOfNotice(of: "no-such-notice"), from: PartyCode("KR")!,
                         date: notice.date)
        await #expect(throws: NodeError.self) { _ = try await kr.issue(bogus) }
        // A note dated before this node's keys were valid would not verify at the peer: refused here.
        let early = Note(id: "early", agreement: NoteFederation.gsomia, kind: .entryIntoForce, from: PartyCode("KR")!,
                         date: Instant.parse("2009-06-01")!)
        do { _ = try await kr.issue(early); Issue.record("an early note was issued") } catch let error as NodeError {
            #expect(error.message.contains("key validity"))
        }
        #expect(notes.state("KR", at: "2009-12-01") == "draft")
        #expect(try await notes.inner.stores["KR"]!.notes(agreementID: nil).map(\.noteID) == ["gsomia-2019-notice"])
    }

    @Test("every bundled note survives its JSON form; a signed note round-trips and names its signer")
    func wire() throws {
        let book = try BundledPolicy.load()
        for note in book.histories.flatMap(\.notes) {
            #expect(try Note(json: try note.encodedJSON()) == note)
        }
        let identity = try NodeIdentity.generate(party: "KR", notBefore: Instant.parse("2010-01-01")!, notAfter: Instant.parse("2030-01-01")!)
        let note = try #require(book.history(NoteFederation.gsomia)?.notes.first { $0.id == "gsomia-2019-notice" })
        let signed = try SignedNote(signing: note, by: identity)
        let parsed = try SignedNote(encoded: signed.encoded, directory: KeyDirectory([try PartyKeyBundle(identity: identity)])) { _ in 0 }
        #expect(parsed.note == note && parsed.keyID == identity.keyID && parsed.digest == signed.digest)
        #expect(throws: NodeError.self) { _ = try SignedNote(encoded: signed.encoded, directory: KeyDirectory()) { _ in 0 } }
        #expect(throws: NodeError.self) { _ = try SignedNote(encoded: Array(signed.encoded.dropLast()), directory: KeyDirectory()) { _ in 0 } }
        // Transmissions without notes stay version 1; with notes they are version 2 and round-trip.
        let plain = Transmission(announcements: [[1]], envelopes: [[2, 3]])
        #expect(plain.encoded[1 + "accord.transmission".utf8.count] == 1)
        let withNotes = Transmission(announcements: [], envelopes: [[2]], statements: [signed.encoded])
        #expect(withNotes.encoded[1 + "accord.transmission".utf8.count] == 2)
        #expect(try Transmission(encoded: withNotes.encoded) == withNotes)
        #expect(try Transmission(encoded: plain.encoded) == plain)
    }
}
