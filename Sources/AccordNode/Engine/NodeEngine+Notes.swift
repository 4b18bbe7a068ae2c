import AccordAudit
import AccordCore
import AccordCrypto
import AccordStore
import Foundation
import Logging
import Synchronization

/// What issuing a note did.
public struct IssuedNote: Sendable, Equatable {
    public let agreementID: String
    public let noteID: String
    /// Names the signed note (first 16 bytes of its SHA-256, hex).
    public let signedID: String
    /// Peers it is queued to (the agreement's other parties this node federates with).
    public let sentTo: [PartyCode]
    /// Parties of the agreement without a node here: they must get the note through the diplomatic channel.
    public let notFederated: [PartyCode]
}

extension NodeEngine {
    /// The UTC offset of an agreement's clock (date-only note values mean local midnight on it).
    var agreementOffset: @Sendable (String) -> Int {
        let book = self.book
        return { id in book.history(id)?.agreement.term.utcOffsetSeconds ?? 0 }
    }

    /// Takes the signed notes this node holds into its book (at start): the book is the agreement files
    /// plus these. Each is verified again; one that no longer verifies or fits stops the start.
    public func restoreNotes() async throws {
        let records = try await store.notes(agreementID: nil)
        var notes: [Note] = []
        for record in records {
            let signed = try SignedNote(encoded: Array(record.bytes), directory: directory, utcOffset: agreementOffset)
            notes.append(signed.note)
        }
        try policy.withLock { (book: inout PolicyBook) throws(NodeError) in
            book = try Self.book(book, adding: notes.filter { Self.held($0, in: book) == nil })
        }
    }

    /// Issues a note of this node's party: signs it, adds it to the book, keeps it and queues it to the
    /// agreement's other parties, with its audit entry, in one transaction.
    public func issue(_ note: Note) async throws -> IssuedNote {
        guard note.from == party else { throw NodeError(.forbidden, "note \(note.id) is from \(note.from); this node issues \(party)'s notes only") }
        guard let history = book.history(note.agreement), history.agreement.parties.contains(party) else {
            throw NodeError(.refused, "\(party) is not a party to \(note.agreement)")
        }
        let signed = try SignedNote(signing: note, by: identity)
        // Peers verify with the key valid at the note's date: refuse here what they would refuse there.
        guard identity.notBefore <= note.date, note.date <= identity.notAfter else {
            throw NodeError(.refused, "note \(note.id) is dated \(Instant.format(note.date)), outside this node's key validity "
                + "(\(Instant.format(identity.notBefore)) – \(Instant.format(identity.notAfter))); earlier notes belong in the agreement files")
        }
        try admit(note)
        let now = clock()
        let others = history.agreement.parties.filter { $0 != party }
        let peers = others.filter { !directory.bundles(of: $0.rawValue).isEmpty }
        let frame = Data(Transmission(announcements: [], envelopes: [], statements: [signed.encoded]).encoded)
        let outbox = peers.map { peer in
            OutboxEnvelope(id: "note-\(signed.shortID)-\(peer)", sender: party, recipient: peer, agreementID: note.agreement,
                           created: now, bytes: frame)
        }
        let record = NoteRecord(agreementID: note.agreement, noteID: note.id, from: party, date: note.date, bytes: Data(signed.encoded))
        do {
            // One entry per addressee, federated or not (the others get it through the diplomatic channel).
            try await commit(StepWrite(outbox: outbox, notes: [record]), events: others.map { other in
                .noteSent(noteID: note.id, agreementID: note.agreement, recipient: other.rawValue, noteKind: note.kind.wireName)
            })
        } catch {
            retract(note)
            throw NodeError(.store, "could not keep note \(note.id): \(error)")
        }
        logger.info("note issued", metadata: ["accord.note": "\(note.agreement)/\(note.id)", "accord.to": "\(peers)"])
        return IssuedNote(agreementID: note.agreement, noteID: note.id, signedID: signed.shortID, sentTo: peers,
                          notFederated: others.filter { !peers.contains($0) })
    }

    /// Takes a transmission's signed statements, in order: notes (verified against the sender's pinned
    /// keys, about an agreement this node is party to, fitting its history; kept with their audit entry)
    /// and compromise reports about this node's information. Each held statement is answered with a
    /// signed statement receipt; a note already held is acknowledged again; refusals are audited.
    func receiveStatements(_ statements: [[UInt8]]) async -> [EnvelopeResult] {
        var results: [EnvelopeResult] = []
        for bytes in statements {
            do {
                let statement = try SignedStatement(encoded: bytes)
                switch statement.kind {
                case .note: try await receiveNote(SignedNote(statement, directory: directory, utcOffset: agreementOffset))
                case .compromise: try await receiveCompromiseReport(statement)
                }
                results.append(.statementReceipt(try StatementReceipt.sign(digest: statement.digest, by: identity)))
            } catch let error as NodeError {
                results.append(.refused(error))
                await audit(.securityEvent(kind: error.code == .crypto ? .forgedSignature : .malformedInput, peer: nil, envelopeID: nil,
                                           detail: "statement refused: \(error.message)"))
            } catch {
                results.append(.refused(NodeError(.crypto, "cannot sign the statement receipt: \(error)")))
            }
        }
        return results
    }

    private func receiveNote(_ signed: SignedNote) async throws {
        let note = signed.note
        guard let history = book.history(note.agreement), history.agreement.parties.contains(party) else {
            throw NodeError(.refused, "note \(note.id) is about \(note.agreement), to which \(party) is not a party")
        }
        if let held = Self.held(note, in: book) {
            guard held == note else { throw NodeError(.refused, "note \(note.id) of \(note.agreement) differs from the one held under that id") }
            await audit(.securityEvent(kind: .replay, peer: note.from.rawValue, envelopeID: nil,
                                       detail: "note \(note.agreement)/\(note.id) already held; acknowledged again"))
            return
        }
        try admit(note)
        let record = NoteRecord(agreementID: note.agreement, noteID: note.id, from: note.from, date: note.date, bytes: Data(signed.encoded))
        do {
            try await commit(StepWrite(notes: [record]), events: [
                .noteReceived(noteID: note.id, agreementID: note.agreement, sender: note.from.rawValue, noteKind: note.kind.wireName),
            ])
        } catch {
            retract(note)
            throw NodeError(.store, "could not keep note \(note.id): \(error)")
        }
        logger.info("note received", metadata: ["accord.note": "\(note.agreement)/\(note.id)", "accord.from": "\(note.from)"])
    }

    /// Adds a note to the book if it fits: a new id, and the agreement's history still folds with it
    /// (a suspension must refer to an earlier notice, …) without setting it aside as of no effect.
    private func admit(_ note: Note) throws(NodeError) {
        try policy.withLock { (book: inout PolicyBook) throws(NodeError) in
            if Self.held(note, in: book) != nil { throw NodeError(.refused, "note \(note.id) of \(note.agreement) is already held") }
            let updated = try Self.book(book, adding: [note])
            if let ignored = updated.history(note.agreement)?.ignoredNotes.first(where: { $0.note == note.id }) {
                throw NodeError(.refused, "note \(note.id) of \(note.agreement) has no effect: \(ignored.reason)")
            }
            book = updated
        }
    }

    /// Takes a note back out of the book (its step could not be stored).
    private func retract(_ note: Note) {
        policy.withLock { book in
            guard let history = book.history(note.agreement),
                  let updated = try? book.replacingNotes(of: note.agreement, with: history.notes.filter { $0.id != note.id }) else { return }
            book = updated
        }
    }

    static func held(_ note: Note, in book: PolicyBook) -> Note? {
        book.history(note.agreement)?.notes.first { $0.id == note.id }
    }

    static func book(_ book: PolicyBook, adding notes: [Note]) throws(NodeError) -> PolicyBook {
        var book = book
        for (agreement, group) in Dictionary(grouping: notes, by: \.agreement) {
            guard let history = book.history(agreement) else { throw NodeError(.refused, "note about \(agreement), which this node has no agreement file for") }
            do { book = try book.replacingNotes(of: agreement, with: history.notes + group) } catch {
                throw NodeError(.refused, "notes do not fit \(agreement): \(error.description)")
            }
        }
        return book
    }
}
