import AccordCore
import AccordCrypto
import Foundation

/// A diplomatic note as one party's node signs it and sends it to the other parties' nodes: a
/// ``SignedStatement`` of kind `note` (tag `accord.note`, context `note`) whose JSON is
/// ``AccordCore/Note/encodedJSON()``. The signer must be the note's `from` party, and its key valid at the note's date.
public struct SignedNote: Sendable, Equatable {
    public let note: Note
    let statement: SignedStatement

    /// Signs `note` as `identity`'s party, which must be the note's sender.
    public init(signing note: Note, by identity: NodeIdentity) throws {
        guard note.from.rawValue == identity.party else {
            throw NodeError(.forbidden, "note \(note.id) is from \(note.from); this node signs for \(identity.party) only")
        }
        self.note = note
        self.statement = try SignedStatement(.note, body: Array(try note.encodedJSON()), by: identity)
    }

    /// Parses and verifies a signed note against the trusted keys; every failure is a ``NodeError``.
    public init(encoded bytes: [UInt8], directory: KeyDirectory, utcOffset: (String) -> Int) throws(NodeError) {
        let statement = try SignedStatement(encoded: bytes)
        try self.init(statement, directory: directory, utcOffset: utcOffset)
    }

    init(_ statement: SignedStatement, directory: KeyDirectory, utcOffset: (String) -> Int) throws(NodeError) {
        guard statement.kind == .note else { throw NodeError(.malformed, "a \(statement.kind.rawValue) statement is not a note") }
        let note: Note
        do { note = try Note(json: Data(statement.body), utcOffset: utcOffset) } catch {
            throw NodeError(.malformed, "signed note: \(error.description)")
        }
        guard note.from.rawValue == statement.party else {
            throw NodeError(.refused, "note \(note.id) says it is from \(note.from) but is signed by \(statement.party)")
        }
        try statement.verify(directory: directory, at: note.date)
        self.note = note
        self.statement = statement
    }

    public var encoded: [UInt8] { statement.encoded }
    public var keyID: KeyID { statement.keyID }
    /// SHA-256 of the signed bytes.
    public var digest: [UInt8] { statement.digest }
    /// Names the signed note in outboxes.
    public var shortID: String { statement.shortID }
}
