import AccordCore

/// A party's level, as that party marks an object (`JP 極秘`).
public struct PartyLevel: Hashable, Sendable, CustomStringConvertible {
    /// The party.
    public let party: PartyCode
    /// A level of the party's own scheme.
    public let level: ClassificationLevel

    public init(party: PartyCode, level: ClassificationLevel) {
        self.party = party
        self.level = level
    }

    public var description: String { "\(party) \(level.nativeName)" }
}

/// An Accord label as a STIX `marking-definition` with the national-classification extension.
///
/// The marking's id is a UUIDv5 over the label text and its creation time (plus the recipient, for
/// a copy rendered for one), so the same label always maps to the same marking on every node.
public struct LabelMarking: Hashable, Sendable {
    /// The originator's label, never rewritten.
    public let label: Label
    /// The level each recipient marks with, for parties of `releasableTo`, in that order.
    public let equivalentLevels: [PartyLevel]
    /// The recipient this copy is rendered for, with its equivalent level; `nil` for the originator's marking.
    public let shownTo: PartyLevel?

    /// A marking for `label` with the given equivalent levels: each party in REL TO, at most one
    /// level each, and `shownTo` (if any) in REL TO and agreeing with `equivalentLevels`.
    public init(label: Label, equivalentLevels: [PartyLevel] = [], shownTo: PartyLevel? = nil) throws(STIXError) {
        var seen = Set<PartyCode>()
        for (index, level) in equivalentLevels.enumerated() {
            guard label.releasableTo.contains(level.party) else {
                throw STIXError(.contradiction, field: "equivalent_levels[\(index)]", "\(level.party) is not in the label's REL TO")
            }
            guard seen.insert(level.party).inserted else {
                throw STIXError(.contradiction, field: "equivalent_levels[\(index)]", "gives \(level.party) a second level")
            }
        }
        if let shownTo {
            guard label.releasableTo.contains(shownTo.party) else {
                throw STIXError(.contradiction, field: "shown_to", "\(shownTo.party) is not in the label's REL TO")
            }
            if let listed = equivalentLevels.first(where: { $0.party == shownTo.party }), listed.level != shownTo.level {
                throw STIXError(.contradiction, field: "shown_to", "shows \(shownTo.party) \(shownTo.level.code) but equivalent_levels gives \(listed.level.code)")
            }
        }
        self.init(checked: label, equivalentLevels: equivalentLevels, shownTo: shownTo)
    }

    private init(checked label: Label, equivalentLevels: [PartyLevel], shownTo: PartyLevel?) {
        self.label = label
        self.equivalentLevels = equivalentLevels
        self.shownTo = shownTo
    }

    /// A marking whose equivalent levels come from the book's equivalence tables: for each party of
    /// REL TO, the first bilateral agreement with the originator that maps the level, else an
    /// arrangement route mapped leg by leg. Tables only: whether a release is allowed at an
    /// instant is the release decision's business.
    public init(label: Label, book: PolicyBook) {
        self.init(checked: label, equivalentLevels: label.releasableTo.compactMap { party in
            Self.equivalent(of: label, for: party, book: book).map { PartyLevel(party: party, level: $0) }
        }, shownTo: nil)
    }

    /// The marking as `recipient` shows it, with the level an allowed decision gives it.
    public static func forRecipient(_ recipient: PartyCode, label: Label, decision: Decision) throws(STIXError) -> LabelMarking {
        guard let level = decision.recipientLevel else {
            throw STIXError(.invalidMarking, field: "decision", "a denied release has no recipient marking")
        }
        let shown = PartyLevel(party: recipient, level: level)
        return try LabelMarking(label: label, equivalentLevels: [shown], shownTo: shown)
    }

    /// The marking as the holder of a received object shows it: the originator's label and the holder's level.
    public static func forHolding(_ holding: Holding) throws(STIXError) -> LabelMarking {
        let shown = PartyLevel(party: holding.holder, level: holding.localLevel)
        return try LabelMarking(label: holding.originatorLabel, equivalentLevels: [shown], shownTo: shown)
    }

    /// The STIX `name`: the label text.
    public var name: String { label.text }

    /// What a person reads on the object: the originator's level, and the recipient's beside it
    /// (`KR 군사II급비밀 / JP 極秘`), or just the originator's.
    public var displayText: String {
        let origin = "\(label.originator) \(label.level.nativeName)"
        guard let shownTo else { return origin }
        return "\(origin) / \(shownTo)"
    }

    /// The label's creation time at STIX precision (milliseconds).
    var createdStamp: STIXTimestamp? { label.created.map(STIXTimestamp.init) }

    /// The deterministic identifier.
    public var id: STIXIdentifier {
        var name = "accord-label:\(label.text)|created:\(createdStamp?.text ?? "")"
        if let shownTo { name += "|shown-to:\(shownTo.party.rawValue):\(shownTo.level.code)" }
        return .named(type: "marking-definition", namespace: AccordSTIXIdentity.namespace, name: name)
    }

    /// The `marking-definition` object. `created` is the label's creation time, or Accord's
    /// publication instant for a label without one (so the object stays deterministic).
    public var object: STIXObject {
        func levelJSON(_ level: PartyLevel) -> JSONValue {
            ["party": .string(level.party.rawValue), "level_code": .string(level.level.code),
             "level_native_name": .string(level.level.nativeName)]
        }
        typealias P = NationalClassificationExtension.Property
        var body: [String: JSONValue] = [
            P.extensionType: "property-extension",
            P.label: .string(label.text),
            P.originator: .string(label.originator.rawValue),
            P.policy: .string(label.originator.rawValue),
            P.levelCode: .string(label.level.code),
            P.levelNativeName: .string(label.level.nativeName),
            P.releasableTo: .array(label.releasableTo.map { .string($0.rawValue) }),
        ]
        if !equivalentLevels.isEmpty { body[P.equivalentLevels] = .array(equivalentLevels.map(levelJSON)) }
        if !label.topics.isEmpty { body[P.topics] = .array(label.topics.map { .string($0.rawValue) }) }
        if !label.caveats.isEmpty { body[P.caveats] = .array(label.caveats.map { .string($0) }) }
        if let createdStamp { body[P.labelCreated] = .string(createdStamp.text) }
        if let shownTo { body[P.shownTo] = levelJSON(shownTo) }
        return AccordSTIXIdentity.build([
            "type": "marking-definition", "spec_version": "2.1", "id": .string(id.description),
            "created": .string((createdStamp ?? AccordSTIXIdentity.published).text),
            "created_by_ref": .string(AccordSTIXIdentity.partyID(label.originator).description),
            "name": .string(shownTo == nil ? name : "\(name) (\(displayText))"),
            "extensions": .object([NationalClassificationExtension.id.description: .object(body)]),
        ])
    }

    static func equivalent(of label: Label, for party: PartyCode, book: PolicyBook) -> ClassificationLevel? {
        let histories = book.histories.map(\.agreement)
        for agreement in histories where agreement.kind == .bilateral
            && agreement.parties.contains(label.originator) && agreement.parties.contains(party) {
            if let level = agreement.equivalence.equivalent(of: label.level, from: label.originator, to: party) { return level }
        }
        for agreement in histories {
            guard case .arrangement(let hub, let routes, let governedBy) = agreement.kind,
                  routes.contains([label.originator, hub, party]) else { continue }
            for order in [governedBy, governedBy.reversed()] {
                if let level = book.equivalent(of: label.level, originator: label.originator, holder: party, agreements: order) {
                    return level
                }
            }
        }
        return nil
    }
}
