/// The rules a string field obeys, checked both when encoding and when decoding, so that
/// nothing that could not have been written is ever accepted.
struct FieldRule: Sendable {
    /// Which characters are allowed.
    enum Alphabet: Sendable {
        /// ASCII letters, digits, `-`, `_`, `.` (party codes).
        case code
        /// Printable ASCII without space, 0x21–0x7E (identifiers).
        case identifier
        /// Any Unicode scalar except control characters (C0, DEL, C1), so a shown entry is one line.
        case text
    }

    let alphabet: Alphabet
    let minBytes: Int
    let maxBytes: Int

    /// A party code such as `KR`: 1–16 characters.
    static let party = FieldRule(alphabet: .code, minBytes: 1, maxBytes: 16)
    /// An envelope, agreement, object, note, consent, key or user id: 1–256 characters.
    static let identifier = FieldRule(alphabet: .identifier, minBytes: 1, maxBytes: 256)
    /// Free text such as a label or a reason: up to 4,096 UTF-8 bytes.
    static let text = FieldRule(alphabet: .text, minBytes: 0, maxBytes: 4096)
    /// Text that must not be empty (a label).
    static let nonEmptyText = FieldRule(alphabet: .text, minBytes: 1, maxBytes: 4096)

    func check(_ value: String, name: String) throws {
        let count = value.utf8.count
        guard count >= minBytes, count <= maxBytes else {
            throw AuditError(.invalidField, "\(name) must be \(minBytes)–\(maxBytes) bytes, got \(count)")
        }
        switch alphabet {
        case .code:
            for byte in value.utf8 {
                let ok = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                    || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F || byte == 0x2E
                guard ok else { throw AuditError(.invalidField, "\(name) may hold only letters, digits, '-', '_' and '.'") }
            }
        case .identifier:
            for byte in value.utf8 where byte < 0x21 || byte > 0x7E {
                throw AuditError(.invalidField, "\(name) may hold only printable ASCII without spaces")
            }
        case .text:
            for scalar in value.unicodeScalars {
                let v = scalar.value
                if v < 0x20 || (v >= 0x7F && v <= 0x9F) {
                    throw AuditError(.invalidField, "\(name) must not contain control characters")
                }
            }
        }
    }
}
