import AccordCore
import AccordSTIX
import AccordStore
import Foundation

extension TAXIIService {
    /// Adds a posted envelope to a release collection: checks everything first (any bad object
    /// refuses the whole request, nothing stored), then releases each object through
    /// ``NodeEngine/release(_:by:)`` to the agreement's parties in its REL TO. The status lists, per
    /// object, success (with each recipient's route and level) or failure (with the decision's reasons).
    func add(_ body: [UInt8], to entry: TAXIICollectionEntry, by user: User) async throws -> TAXIIStatus {
        guard let agreement = entry.agreement else {
            throw TAXIIFailure(403, "Collection is read-only", code: "forbidden",
                               "'\(entry.alias)' holds what allies released to \(engine.party); release under an agreement's collection instead")
        }
        let envelope: TAXIIEnvelope
        do {
            envelope = try TAXIIEnvelope.decode(body, limits: .init(maxBytes: options.maxContentLength, maxObjects: options.maxObjects))
        } catch { throw TAXIIFailure(error) }
        guard !envelope.objects.isEmpty else {
            throw TAXIIFailure(400, "Invalid request", code: "missing-property", "the envelope has no objects", field: "objects")
        }
        let parties = engine.book.parties
        var labels: [STIXIdentifier: Label] = [:]
        for (index, object) in envelope.objects.enumerated() where object.type == "marking-definition" {
            do { labels[object.id] = try LabelMarking(object: object, parties: parties).label } catch {
                throw TAXIIFailure(STIXError(error.code, field: "objects[\(index)]." + error.field, error.message))
            }
        }
        let now = Date()
        var submissions: [(index: Int, submission: ReleaseSubmission)] = []
        var refused: [Int: String] = [:]
        for (index, object) in envelope.objects.enumerated() where object.type != "marking-definition" {
            let field = "objects[\(index)].object_marking_refs"
            let found = object.objectMarkingRefs.compactMap { labels[$0] }
            guard let label = found.first else {
                throw TAXIIFailure(400, "Object without a label", code: "missing-label",
                                   "\(object.id) references no Accord national-classification marking-definition of this envelope; every object needs its label",
                                   field: field)
            }
            guard found.count == 1 else {
                throw TAXIIFailure(400, "Object with several labels", code: "contradiction", "\(object.id) references \(found.count) labels; one object has one label", field: field)
            }
            let recipients = entry.counterparts.filter(label.releasableTo.contains)
            if let contradiction = contradiction(label, agreement: agreement, recipients: recipients) {
                throw TAXIIFailure(400, "Label contradicts the collection", code: "contradiction", "\(object.id): \(contradiction)", field: field)
            }
            do { try engine.authorise(user, for: label) } catch {
                refused[index] = error.message
                continue
            }
            let bytes = JSONWriter.encode(object.json)
            let stored = StoredObject(
                collection: entry.id, stixID: object.id.description, version: (object.version ?? TAXIIService.stamp(now)).text, dateAdded: now,
                originator: engine.party, label: label.text, localLevel: label.level.code, bytes: Data(bytes))
            var submission = ReleaseSubmission(objectID: object.id.description, label: label.text, object: bytes, recipients: recipients)
            submission.stored = stored
            submissions.append((index, submission))
        }
        let outcomes = submissions.isEmpty ? [] : try await engine.release(submissions.map(\.submission), by: user)
        var byIndex: [Int: [RecipientOutcome]] = [:]
        for (entry, outcome) in zip(submissions, outcomes) { byIndex[entry.index] = outcome }
        var status = TAXIIStatus(id: UUID().uuidString.lowercased(), requestTimestamp: TAXIIService.stamp(now))
        for (index, object) in envelope.objects.enumerated() {
            let version = (object.version ?? TAXIIService.stamp(now)).text
            if object.type == "marking-definition" {
                let text = labels[object.id]?.text ?? ""
                status.successes.append(.init(id: object.id.description, version: version, message: "label \(text): served with the objects it marks"))
            } else if let reason = refused[index] {
                status.failures.append(.init(id: object.id.description, version: version, message: "not released: \(reason)"))
            } else if let outcome = byIndex[index] {
                let message = outcome.map(Self.describe).joined(separator: "; ")
                if outcome.contains(where: \.decision.isAllowed) {
                    status.successes.append(.init(id: object.id.description, version: version, message: message))
                } else {
                    status.failures.append(.init(id: object.id.description, version: version, message: "not released: \(message)"))
                }
            }
        }
        keep(status, owner: user.id)
        return status
    }

    /// Why `label` cannot be released under the collection's agreement, if it cannot.
    func contradiction(_ label: Label, agreement: Agreement, recipients: [PartyCode]) -> String? {
        if label.originator != engine.party {
            return "the label's originator is \(label.originator); \(engine.party) releases only its own information"
        }
        if recipients.isEmpty {
            return "REL TO \(label.releasableTo.map(\.rawValue).joined(separator: ",")) names no party of \(agreement.id) "
                + "(\(agreement.parties.map(\.rawValue).joined(separator: ", ")))"
        }
        if !agreement.covers(topics: label.topics) {
            return "topics \(label.topics.map(\.rawValue).joined(separator: ", ")) are outside the scope of \(agreement.id)"
        }
        return nil
    }

    /// One recipient's outcome, for the status message: route and level, or the decision's reasons.
    static func describe(_ outcome: RecipientOutcome) -> String {
        switch outcome.decision {
        case .direct(let agreement, let level):
            return "\(outcome.recipient): released directly under \(agreement), marked \(outcome.recipient) \(level.nativeName) (\(level.code))"
        case .viaIntermediary(let route, let agreements, let level, _):
            return "\(outcome.recipient): released via \(route.map(\.rawValue).joined(separator: "→")) under \(agreements.joined(separator: ", ")), "
                + "marked \(outcome.recipient) \(level.nativeName) (\(level.code))"
        case .denied(let reasons):
            return "\(outcome.recipient): denied: \(reasons.map(\.description).joined(separator: "; "))"
        }
    }
}
