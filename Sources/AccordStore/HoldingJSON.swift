import AccordCore
import Foundation

extension StoredValue {
    /// A holding snapshot as the JSON document ``json(_:_:)`` writes, byte for byte — sorted keys, absent
    /// optionals left out, dates as Foundation's default (seconds since 2001-01-01 as a number) — written directly.
    /// Every received envelope stores a holding; `JSONEncoder` spent ≈ 40 µs on each, about a twentieth
    /// of a node's CPU in `accord bench node`. `JSONDecoder` reads it back (`holdingJSON` is tested to
    /// decode to the same snapshot, and to equal `JSONEncoder`'s document, over random snapshots).
    public static func holdingJSON(_ snapshot: Holding.Snapshot) throws(StoreError) -> String {
        var text = JSONText()
        text.bytes.reserveCapacity(512 + snapshot.record.count * 96)
        text.open("{")
        text.key("agreements")
        text.open("[")
        for (index, agreement) in snapshot.agreements.enumerated() {
            if index > 0 { text.bytes.append(UInt8(ascii: ",")) }
            text.string(agreement)
        }
        text.close("]")
        text.member("custodian", string: snapshot.custodian)
        if let record = snapshot.disposalRecord { text.member("disposalRecord", string: record) }
        if let at = snapshot.disposedAt { try text.member("disposedAt", date: at) }
        if let by = snapshot.disposedBy { text.member("disposedBy", string: by) }
        text.member("holder", string: snapshot.holder.rawValue)
        text.member("id", string: snapshot.id)
        text.member("label", string: snapshot.label)
        if let created = snapshot.labelCreated { try text.member("labelCreated", date: created) }
        text.member("localLevel", string: snapshot.localLevel)
        text.member("location", string: snapshot.location)
        text.member("objectID", string: snapshot.objectID)
        text.member("purpose", string: snapshot.purpose)
        try text.member("received", date: snapshot.received)
        text.member("receivedFrom", string: snapshot.receivedFrom.rawValue)
        text.next("record")
        text.open("[")
        for (index, entry) in snapshot.record.enumerated() {
            if index > 0 { text.bytes.append(UInt8(ascii: ",")) }
            text.open("{")
            text.key("at")
            try text.date(entry.at)
            text.member("what", string: entry.what)
            text.close("}")
        }
        text.close("]")
        text.member("status", string: snapshot.status)
        text.close("}")
        return String(decoding: text.bytes, as: UTF8.self)
    }
}

/// Appends JSON text as JSONEncoder does: strings through ``JSONStringText`` with `\b \f` named,
/// numbers in Swift's shortest round-trip form without a trailing `.0`.
private struct JSONText {
    var bytes: [UInt8] = []

    mutating func open(_ bracket: Unicode.Scalar) { bytes.append(UInt8(ascii: bracket)) }
    mutating func close(_ bracket: Unicode.Scalar) { bytes.append(UInt8(ascii: bracket)) }

    mutating func key(_ name: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// `,"name":`: every member of an object but the first starts so.
    mutating func next(_ name: StaticString) {
        bytes.append(UInt8(ascii: ","))
        key(name)
    }

    mutating func member(_ name: StaticString, string value: String) {
        next(name)
        string(value)
    }

    mutating func member(_ name: StaticString, date value: Date) throws(StoreError) {
        next(name)
        try date(value)
    }

    mutating func string(_ value: String) {
        JSONStringText.append(value, to: &bytes, namingBackspaceAndFormFeed: true)
    }

    mutating func date(_ value: Date) throws(StoreError) {
        let seconds = value.timeIntervalSinceReferenceDate
        guard seconds.isFinite else { throw StoreError(.invalid, "a holding date is not a finite number of seconds") }
        // As JSONEncoder writes a Double: Swift's shortest round-trip form, without a trailing ".0".
        var text = "\(seconds)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }
}
