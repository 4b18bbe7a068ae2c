import Foundation

extension Note {
    /// Reads one note on its own, as nodes exchange them (`docs/agreements.md`, "One note"): a notes-file
    /// entry plus the `agreement` it concerns. Date-only values mean local midnight on the agreement's
    /// clock, whose UTC offset `utcOffset` gives.
    public init(json: Data, utcOffset: (String) -> Int = { _ in 0 }) throws(AgreementFileError) {
        struct Agreement: Decodable { let agreement: String }
        let agreement: String
        let entry: NotesFile.Entry
        do {
            agreement = try JSONDecoder().decode(Agreement.self, from: json).agreement
            entry = try JSONDecoder().decode(NotesFile.Entry.self, from: json)
        } catch {
            throw AgreementFileError("note", DecodingErrorText.describe(error))
        }
        self = try entry.note(agreement: agreement, offset: utcOffset(agreement))
    }

    /// The note as one JSON object with sorted keys and its date as a UTC instant: the form that is signed.
    public func encodedJSON() throws -> Data {
        var wire = NoteWire(id: id, agreement: agreement, kind: kind.wireName, from: from.rawValue, date: Instant.format(date),
                            written: written, channel: channel.rawValue, summary: summary)
        switch kind {
        case .entryIntoForce, .noticeOfTermination: break
        case .suspensionOfNotice(let notice): wire.refersTo = [notice]
        case .withdrawalOfNotice(let notes): wire.refersTo = notes
        case .amendment(let amendment):
            wire.amendment = .init(id: amendment.id, scope: amendment.scope, purposes: amendment.purposes,
                                   effective: amendment.effective.map { Instant.format($0) })
        case .assurance(let level): wire.level = level
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(wire)
    }
}

extension Note.Kind {
    /// The kind's name in notes files and on the wire (`notice-of-termination`).
    public var wireName: String {
        switch self {
        case .entryIntoForce: "entry-into-force"
        case .noticeOfTermination: "notice-of-termination"
        case .suspensionOfNotice: "suspension-of-notice"
        case .withdrawalOfNotice: "withdrawal-of-notice"
        case .amendment: "amendment"
        case .assurance: "assurance"
        }
    }
}

private struct NoteWire: Encodable {
    struct Amendment: Encodable {
        let id: String
        let scope: [Topic]?
        let purposes: [String]?
        let effective: String?
    }
    let id: String
    let agreement: String
    let kind: String
    let from: String
    let date: String
    let written: Bool
    let channel: String
    let summary: String
    var refersTo: [String]?
    var amendment: Amendment?
    var level: String?
}
