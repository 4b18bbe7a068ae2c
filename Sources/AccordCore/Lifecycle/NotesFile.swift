import Foundation

extension Note {
    /// Decodes a notes file (`"format": "accord.notes/1"`, see `docs/agreements.md`). Date-only values
    /// mean local midnight on the agreement's clock, whose UTC offset `utcOffset` gives for the file's agreement.
    public static func decodeFile(_ json: Data, utcOffset: (String) -> Int = { _ in 0 }) throws(AgreementFileError) -> [Note] {
        let file: NotesFile
        do {
            file = try JSONDecoder().decode(NotesFile.self, from: json)
        } catch {
            throw AgreementFileError("notes file", DecodingErrorText.describe(error))
        }
        guard file.format == "accord.notes/1" else {
            throw AgreementFileError(file.agreement, "notes format is '\(file.format)', expected 'accord.notes/1'")
        }
        let offset = utcOffset(file.agreement)
        return try file.notes.map { (entry: NotesFile.Entry) throws(AgreementFileError) -> Note in
            try entry.note(agreement: file.agreement, offset: offset)
        }
    }
}

struct NotesFile: Decodable {
    struct AmendmentEntry: Decodable {
        let id: String
        let scope: [Topic]?
        let purposes: [String]?
        let effective: String?
    }
    struct Entry: Decodable {
        let id: String
        let kind: String
        let from: PartyCode
        let date: String
        let written: Bool?
        let channel: String?
        let summary: String?
        let refersTo: [String]?
        let amendment: AmendmentEntry?
        let level: String?

        func note(agreement: String, offset: Int) throws(AgreementFileError) -> Note {
            func fail(_ message: String) -> AgreementFileError { AgreementFileError(agreement, "note \(id): \(message)") }
            guard let date = Instant.parse(date, defaultOffsetSeconds: offset) else {
                throw fail("date '\(self.date)' is not YYYY-MM-DD or an ISO 8601 instant")
            }
            let kind: Note.Kind
            switch self.kind {
            case "entry-into-force": kind = .entryIntoForce
            case "notice-of-termination": kind = .noticeOfTermination
            case "suspension-of-notice":
                guard let refers = refersTo, refers.count == 1 else { throw fail("a suspension refers to exactly one notice (refersTo)") }
                kind = .suspensionOfNotice(of: refers[0])
            case "withdrawal-of-notice":
                guard let refers = refersTo, !refers.isEmpty else { throw fail("a withdrawal refers to the notes it withdraws (refersTo)") }
                kind = .withdrawalOfNotice(of: refers)
            case "amendment":
                guard let amendment else { throw fail("an amendment note carries an 'amendment' object") }
                var effective: Date?
                if let text = amendment.effective {
                    guard let parsed = Instant.parse(text, defaultOffsetSeconds: offset) else { throw fail("amendment.effective '\(text)' is not a date") }
                    effective = parsed
                }
                guard amendment.scope != nil || amendment.purposes != nil else { throw fail("an amendment changes scope or purposes") }
                kind = .amendment(.init(id: amendment.id, scope: amendment.scope, purposes: amendment.purposes, effective: effective))
            case "assurance":
                guard let level else { throw fail("an assurance names the highest level assured (level)") }
                kind = .assurance(level: level)
            default:
                throw fail("kind '\(self.kind)' is not one of entry-into-force, notice-of-termination, suspension-of-notice, withdrawal-of-notice, amendment, assurance")
            }
            let channel: Note.Channel
            switch self.channel ?? "diplomatic" {
            case "diplomatic": channel = .diplomatic
            case "other": channel = .other
            case let other: throw fail("channel '\(other)' is not 'diplomatic' or 'other'")
            }
            return Note(id: id, agreement: agreement, kind: kind, from: from, date: date,
                        written: written ?? true, channel: channel, summary: summary ?? "")
        }
    }
    let format: String
    let agreement: String
    let notes: [Entry]
}
