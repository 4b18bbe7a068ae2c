import AccordCore
import AccordSTIX

/// The labels of one listing, each parsed and marked once: a collection's rows share a few labels,
/// and parsing a label and deriving its marking-definition id (a UUIDv5) cost more than the rest
/// of a row's checks.
struct TAXIILabelCache {
    /// A row's label and the level it is held at on this node.
    struct Read {
        let key: String
        let label: Label
        let level: ClassificationLevel
    }

    let parser: LabelParser
    let scheme: ClassificationScheme
    private var reads: [String: Read?] = [:]
    private var markings: [String: (marking: LabelMarking, id: STIXIdentifier)] = [:]

    init(parser: LabelParser, scheme: ClassificationScheme) {
        self.parser = parser
        self.scheme = scheme
    }

    /// The label `text` held at `level` (a level code of this node's scheme); `nil` if either is unreadable.
    mutating func read(_ text: String, level: String) -> Read? {
        let key = text + "\u{1F}" + level
        if let cached = reads[key] { return cached }
        var read: Read?
        if let label = try? parser.parse(text), let held = scheme.level(named: level) { read = Read(key: key, label: label, level: held) }
        reads[key] = .some(read)
        return read
    }

    /// The marking-definition a reader on `party`'s node sees for `read`: the originator's own
    /// marking for this node's labels; for another party's, the recipient rendering at the level held.
    /// Its id comes with it (computing it hashes the label).
    mutating func marking(_ read: Read, party: PartyCode, book: PolicyBook) throws -> (marking: LabelMarking, id: STIXIdentifier) {
        if let cached = markings[read.key] { return cached }
        let marking: LabelMarking
        if read.label.originator == party {
            marking = LabelMarking(label: read.label, book: book)
        } else {
            let shown = PartyLevel(party: party, level: read.level)
            marking = try LabelMarking(label: read.label, equivalentLevels: [shown], shownTo: shown)
        }
        let entry = (marking: marking, id: marking.id)
        markings[read.key] = entry
        return entry
    }
}
