import AccordCore
import Foundation

/// A signed diplomatic note about an agreement, as exchanged between nodes.
///
/// Keyed by (agreement, note id). Storing the same note again is reported as a duplicate;
/// different bytes under a stored key are a ``StoreError/Code/conflict``.
public struct NoteRecord: Sendable, Equatable {
    public let agreementID: String
    public let noteID: String
    /// The party that issued it.
    public let from: PartyCode
    /// The note's date.
    public let date: Date
    /// The signed note; opaque to the store.
    public let bytes: Data

    public init(agreementID: String, noteID: String, from: PartyCode, date: Date, bytes: Data) {
        self.agreementID = agreementID
        self.noteID = noteID
        self.from = from
        self.date = date
        self.bytes = bytes
    }
}

/// A party's public key bundle (signing and key-encapsulation keys), valid for a period.
///
/// Keyed by (party, key id). Storing the same bundle again changes nothing; different bytes
/// under a stored key are a ``StoreError/Code/conflict``: keys are never replaced silently.
public struct KeyBundleRecord: Sendable, Equatable {
    public let party: PartyCode
    public let keyID: String
    /// First instant the keys are valid.
    public let validFrom: Date
    /// Instant after which they are not; `nil` for no end.
    public let validUntil: Date?
    /// The signed bundle; opaque to the store.
    public let bytes: Data

    public init(party: PartyCode, keyID: String, validFrom: Date, validUntil: Date?, bytes: Data) {
        self.party = party
        self.keyID = keyID
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.bytes = bytes
    }
}
