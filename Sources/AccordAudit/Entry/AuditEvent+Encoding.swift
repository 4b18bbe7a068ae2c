extension AuditEvent {
    /// Writes the fields of this case, in the order `docs/audit.md` gives.
    func encodeBody(into w: inout ByteWriter) throws {
        switch self {
        case let .releaseDecided(objectID, recipient, label, outcome, reasons):
            try w.string(objectID, .identifier, name: "object id")
            try w.string(recipient, .party, name: "recipient")
            try w.string(label, .nonEmptyText, name: "label")
            try outcome.encode(into: &w)
            try w.list(reasons, .text, name: "reason")
        case let .envelopeSent(envelopeID, recipient, label, agreementID):
            try w.string(envelopeID, .identifier, name: "envelope id")
            try w.string(recipient, .party, name: "recipient")
            try w.string(label, .nonEmptyText, name: "label")
            try w.string(agreementID, .identifier, name: "agreement id")
        case let .receiptReceived(envelopeID, from, peerTreeHead):
            try w.string(envelopeID, .identifier, name: "envelope id")
            try w.string(from, .party, name: "from")
            w.bool(peerTreeHead != nil)
            if let peerTreeHead {
                w.u64(peerTreeHead.treeSize)
                w.hash(peerTreeHead.rootHash)
            }
        case let .envelopeReceived(envelopeID, sender, originator, label, agreementID):
            try w.string(envelopeID, .identifier, name: "envelope id")
            try w.string(sender, .party, name: "sender")
            try w.string(originator, .party, name: "originator")
            try w.string(label, .nonEmptyText, name: "label")
            try w.string(agreementID, .identifier, name: "agreement id")
        case let .relayed(incoming, outgoing, originator, recipient, consentID):
            try w.string(incoming, .identifier, name: "incoming envelope id")
            try w.string(outgoing, .identifier, name: "outgoing envelope id")
            try w.string(originator, .party, name: "originator")
            try w.string(recipient, .party, name: "recipient")
            try w.string(consentID, .identifier, name: "consent id")
        case let .accessGranted(user, envelopeID):
            try w.string(user, .identifier, name: "user")
            try w.string(envelopeID, .identifier, name: "envelope id")
        case let .accessDenied(user, envelopeID, reasons):
            try w.string(user, .identifier, name: "user")
            try w.string(envelopeID, .identifier, name: "envelope id")
            try w.list(reasons, .text, name: "reason")
        case let .holdingDestroyed(envelopeID, method):
            try w.string(envelopeID, .identifier, name: "envelope id")
            try w.string(method, .text, name: "method")
        case let .holdingReturned(envelopeID, to):
            try w.string(envelopeID, .identifier, name: "envelope id")
            try w.string(to, .party, name: "returned to")
        case let .compromiseReported(envelopeID, reportedTo, description):
            try w.string(envelopeID, .identifier, name: "envelope id")
            try w.list(reportedTo, .party, name: "reported to")
            try w.string(description, .text, name: "description")
        case let .reclassified(envelopeID, oldLabel, newLabel, authority):
            try w.string(envelopeID, .identifier, name: "envelope id")
            try w.string(oldLabel, .nonEmptyText, name: "old label")
            try w.string(newLabel, .nonEmptyText, name: "new label")
            try w.string(authority, .party, name: "authority")
        case let .securityEvent(kind, peer, envelopeID, detail):
            w.u8(kind.rawValue)
            w.bool(peer != nil)
            if let peer { try w.string(peer, .party, name: "peer") }
            w.bool(envelopeID != nil)
            if let envelopeID { try w.string(envelopeID, .identifier, name: "envelope id") }
            try w.string(detail, .text, name: "detail")
        case let .noteSent(noteID, agreementID, party, noteKind), let .noteReceived(noteID, agreementID, party, noteKind):
            try w.string(noteID, .identifier, name: "note id")
            try w.string(agreementID, .identifier, name: "agreement id")
            try w.string(party, .party, name: "party")
            try w.string(noteKind, .nonEmptyText, name: "note kind")
        case let .keyRotated(purpose, oldKeyID, newKeyID):
            try w.string(purpose, .nonEmptyText, name: "purpose")
            try w.string(oldKeyID, .identifier, name: "old key id")
            try w.string(newKeyID, .identifier, name: "new key id")
        case let .envelopeWithdrawn(envelopeID, recipient, by, reason):
            try w.string(envelopeID, .identifier, name: "envelope id")
            try w.string(recipient, .party, name: "recipient")
            try w.string(by, .identifier, name: "withdrawn by")
            try w.string(reason, .nonEmptyText, name: "reason")
        }
    }

    /// Reads the fields of the case with tag `tag`.
    init(decodingBodyOf tag: UInt8, from r: inout ByteReader) throws {
        switch tag {
        case 1:
            self = .releaseDecided(
                objectID: try r.string("object id", .identifier), recipient: try r.string("recipient", .party),
                label: try r.string("label", .nonEmptyText), outcome: try ReleaseOutcome(from: &r),
                reasons: try r.list("reason", .text))
        case 2:
            self = .envelopeSent(
                envelopeID: try r.string("envelope id", .identifier), recipient: try r.string("recipient", .party),
                label: try r.string("label", .nonEmptyText), agreementID: try r.string("agreement id", .identifier))
        case 3:
            let envelopeID = try r.string("envelope id", .identifier)
            let from = try r.string("from", .party)
            var head: PeerTreeHeadReference?
            if try r.bool("peer tree head present") {
                head = PeerTreeHeadReference(treeSize: try r.u64("peer tree size"), rootHash: try r.hash("peer root"))
            }
            self = .receiptReceived(envelopeID: envelopeID, from: from, peerTreeHead: head)
        case 4:
            self = .envelopeReceived(
                envelopeID: try r.string("envelope id", .identifier), sender: try r.string("sender", .party),
                originator: try r.string("originator", .party), label: try r.string("label", .nonEmptyText),
                agreementID: try r.string("agreement id", .identifier))
        case 5:
            self = .relayed(
                incomingEnvelopeID: try r.string("incoming envelope id", .identifier),
                outgoingEnvelopeID: try r.string("outgoing envelope id", .identifier),
                originator: try r.string("originator", .party), recipient: try r.string("recipient", .party),
                consentID: try r.string("consent id", .identifier))
        case 6:
            self = .accessGranted(user: try r.string("user", .identifier), envelopeID: try r.string("envelope id", .identifier))
        case 7:
            self = .accessDenied(
                user: try r.string("user", .identifier), envelopeID: try r.string("envelope id", .identifier),
                reasons: try r.list("reason", .text))
        case 8:
            self = .holdingDestroyed(envelopeID: try r.string("envelope id", .identifier), method: try r.string("method", .text))
        case 9:
            self = .holdingReturned(envelopeID: try r.string("envelope id", .identifier), to: try r.string("returned to", .party))
        case 10:
            self = .compromiseReported(
                envelopeID: try r.string("envelope id", .identifier), reportedTo: try r.list("reported to", .party),
                description: try r.string("description", .text))
        case 11:
            self = .reclassified(
                envelopeID: try r.string("envelope id", .identifier), oldLabel: try r.string("old label", .nonEmptyText),
                newLabel: try r.string("new label", .nonEmptyText), authority: try r.string("authority", .party))
        case 12:
            let raw = try r.u8("security event kind")
            guard let kind = SecurityEventKind(rawValue: raw) else { throw r.fail("unknown security event kind \(raw)") }
            let peer = try r.bool("peer present") ? try r.string("peer", .party) : nil
            let envelopeID = try r.bool("envelope id present") ? try r.string("envelope id", .identifier) : nil
            self = .securityEvent(kind: kind, peer: peer, envelopeID: envelopeID, detail: try r.string("detail", .text))
        case 13, 14:
            let noteID = try r.string("note id", .identifier)
            let agreementID = try r.string("agreement id", .identifier)
            let party = try r.string("party", .party)
            let noteKind = try r.string("note kind", .nonEmptyText)
            self = tag == 13
                ? .noteSent(noteID: noteID, agreementID: agreementID, recipient: party, noteKind: noteKind)
                : .noteReceived(noteID: noteID, agreementID: agreementID, sender: party, noteKind: noteKind)
        case 15:
            self = .keyRotated(
                purpose: try r.string("purpose", .nonEmptyText), oldKeyID: try r.string("old key id", .identifier),
                newKeyID: try r.string("new key id", .identifier))
        case 16:
            self = .envelopeWithdrawn(
                envelopeID: try r.string("envelope id", .identifier), recipient: try r.string("recipient", .party),
                by: try r.string("withdrawn by", .identifier), reason: try r.string("reason", .nonEmptyText))
        default:
            throw r.fail("unknown event tag \(tag)")
        }
    }
}

extension ReleaseOutcome {
    func encode(into w: inout ByteWriter) throws {
        switch self {
        case let .direct(agreementID, recipientLabel):
            w.u8(1)
            try w.string(agreementID, .identifier, name: "agreement id")
            try w.string(recipientLabel, .nonEmptyText, name: "recipient label")
        case let .viaIntermediary(intermediary, agreementID, consentID):
            w.u8(2)
            try w.string(intermediary, .party, name: "intermediary")
            try w.string(agreementID, .identifier, name: "agreement id")
            try w.string(consentID, .identifier, name: "consent id")
        case .denied:
            w.u8(3)
        }
    }

    init(from r: inout ByteReader) throws {
        switch try r.u8("outcome tag") {
        case 1:
            self = .direct(
                agreementID: try r.string("agreement id", .identifier),
                recipientLabel: try r.string("recipient label", .nonEmptyText))
        case 2:
            self = .viaIntermediary(
                intermediary: try r.string("intermediary", .party), agreementID: try r.string("agreement id", .identifier),
                consentID: try r.string("consent id", .identifier))
        case 3:
            self = .denied
        case let other:
            throw r.fail("unknown release outcome tag \(other)")
        }
    }
}

extension ByteWriter {
    /// A list: u16 count (at most 64), then each item as a string field.
    mutating func list(_ items: [String], _ rule: FieldRule, name: String) throws {
        guard items.count <= AuditEntry.maxListCount else {
            throw AuditError(.invalidField, "at most \(AuditEntry.maxListCount) \(name) items, got \(items.count)")
        }
        u16(UInt16(items.count))
        for item in items { try string(item, rule, name: name) }
    }
}

extension ByteReader {
    mutating func list(_ field: String, _ rule: FieldRule) throws -> [String] {
        let count = Int(try u16("\(field) count"))
        guard count <= AuditEntry.maxListCount else { throw fail("\(count) \(field) items, more than \(AuditEntry.maxListCount)") }
        var items = [String]()
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try string(field, rule)) }
        return items
    }
}
