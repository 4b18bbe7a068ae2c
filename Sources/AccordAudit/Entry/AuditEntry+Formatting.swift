import Foundation

extension AuditEntry {
    /// One readable line, as `accord audit show` prints it:
    /// `#12 2019-08-22T09:30:00.000Z KR release-decided object=… recipient=JP decision=denied reasons="…"`.
    public func formatted() -> String {
        "#\(sequence) \(timestamp) \(node) \(event.name)" + event.formattedFields.map { " " + $0 }.joined()
    }
}

extension AuditEvent {
    /// `key=value` pairs; text values are quoted (field rules forbid control characters, so a
    /// line can never be split or forged by an entry).
    var formattedFields: [String] {
        func q(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        func list(_ items: [String]) -> String { "[" + items.map(q).joined(separator: ", ") + "]" }
        switch self {
        case let .releaseDecided(objectID, recipient, label, outcome, reasons):
            var fields = ["object=\(objectID)", "recipient=\(recipient)", "label=\(q(label))"]
            switch outcome {
            case let .direct(agreementID, recipientLabel):
                fields += ["decision=direct", "agreement=\(agreementID)", "recipient-label=\(q(recipientLabel))"]
            case let .viaIntermediary(intermediary, agreementID, consentID):
                fields += ["decision=via-intermediary", "intermediary=\(intermediary)", "agreement=\(agreementID)", "consent=\(consentID)"]
            case .denied:
                fields += ["decision=denied"]
            }
            return fields + ["reasons=\(list(reasons))"]
        case let .envelopeSent(envelopeID, recipient, label, agreementID):
            return ["envelope=\(envelopeID)", "to=\(recipient)", "label=\(q(label))", "agreement=\(agreementID)"]
        case let .receiptReceived(envelopeID, from, head):
            var fields = ["envelope=\(envelopeID)", "from=\(from)"]
            if let head { fields += ["peer-tree-size=\(head.treeSize)", "peer-root=\(head.rootHash.hex)"] }
            return fields
        case let .envelopeReceived(envelopeID, sender, originator, label, agreementID):
            return ["envelope=\(envelopeID)", "from=\(sender)", "originator=\(originator)", "label=\(q(label))", "agreement=\(agreementID)"]
        case let .relayed(incoming, outgoing, originator, recipient, consentID):
            return ["incoming=\(incoming)", "outgoing=\(outgoing)", "originator=\(originator)", "to=\(recipient)", "consent=\(consentID)"]
        case let .accessGranted(user, envelopeID):
            return ["user=\(user)", "envelope=\(envelopeID)"]
        case let .accessDenied(user, envelopeID, reasons):
            return ["user=\(user)", "envelope=\(envelopeID)", "reasons=\(list(reasons))"]
        case let .holdingDestroyed(envelopeID, method):
            return ["envelope=\(envelopeID)", "method=\(q(method))"]
        case let .holdingReturned(envelopeID, to):
            return ["envelope=\(envelopeID)", "to=\(to)"]
        case let .compromiseReported(envelopeID, reportedTo, description):
            return ["envelope=\(envelopeID)", "reported-to=\(reportedTo.joined(separator: ","))", "description=\(q(description))"]
        case let .reclassified(envelopeID, oldLabel, newLabel, authority):
            return ["envelope=\(envelopeID)", "old-label=\(q(oldLabel))", "new-label=\(q(newLabel))", "authority=\(authority)"]
        case let .securityEvent(kind, peer, envelopeID, detail):
            var fields = ["kind=\(kind.name)"]
            if let peer { fields.append("peer=\(peer)") }
            if let envelopeID { fields.append("envelope=\(envelopeID)") }
            return fields + ["detail=\(q(detail))"]
        case let .noteSent(noteID, agreementID, recipient, noteKind):
            return ["note=\(noteID)", "agreement=\(agreementID)", "to=\(recipient)", "kind=\(q(noteKind))"]
        case let .noteReceived(noteID, agreementID, sender, noteKind):
            return ["note=\(noteID)", "agreement=\(agreementID)", "from=\(sender)", "kind=\(q(noteKind))"]
        case let .keyRotated(purpose, oldKeyID, newKeyID):
            return ["purpose=\(q(purpose))", "old-key=\(oldKeyID)", "new-key=\(newKeyID)"]
        case let .envelopeWithdrawn(envelopeID, recipient, by, reason):
            return ["envelope=\(envelopeID)", "recipient=\(recipient)", "by=\(by)", "reason=\(q(reason))"]
        }
    }
}
