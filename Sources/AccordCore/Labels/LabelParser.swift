/// Reads label text (`KR//II//REL TO JP,US//TOPIC nk-missile`) against a party directory.
///
/// Whitespace around the whole text and after list commas is tolerated; everything else follows
/// the grammar in `docs/labels.md` exactly. The parser never traps: every failure is a ``LabelError``.
public struct LabelParser: Sendable {
    /// Longest label text accepted, in UTF-8 bytes.
    public static let maximumLength = 1024
    /// Most entries accepted in one list (REL TO, TOPIC or CAVEAT).
    public static let maximumListCount = 32

    private let parties: PartyDirectory

    public init(parties: PartyDirectory) {
        self.parties = parties
    }

    /// Parses label text.
    public func parse(_ input: some StringProtocol) throws(LabelError) -> Label {
        guard input.utf8.count <= Self.maximumLength else {
            throw LabelError(.tooLong, "label is \(input.utf8.count) bytes; at most \(Self.maximumLength) are accepted")
        }
        let text = input.trimmingASCIIWhitespace()
        guard !text.isEmpty else { throw LabelError(.malformed, "label is empty; expected <PARTY>//<LEVEL>//REL TO <P>,...") }
        let segments = text.split(separator: "//", omittingEmptySubsequences: false)
        guard segments.count >= 3 else {
            throw LabelError(.malformed, "'\(text)' has \(segments.count) part(s); expected <PARTY>//<LEVEL>//REL TO <P>,...")
        }
        guard segments.count <= 5 else {
            throw LabelError(.malformed, "'\(text)' has \(segments.count) parts; at most 5 (party, level, REL TO, TOPIC, CAVEAT)")
        }

        let partyText = segments[0]
        guard let originator = PartyCode(partyText) else {
            throw LabelError(.unknownParty, "originator '\(partyText)' is not a party code (upper-case letters, e.g. KR)")
        }
        guard let party = parties[originator] else {
            throw LabelError(.unknownParty, "originator '\(originator)' is not a known party (known: \(knownParties))")
        }
        let level = try parseLevel(segments[1], scheme: party.scheme)
        guard let relText = segments[2].dropPrefix("REL TO ") else {
            throw LabelError(.malformed, "third part '\(segments[2])' must start with 'REL TO '")
        }
        let releasableTo = try parseList(relText, what: "REL TO") { (item: Substring) throws(LabelError) -> PartyCode in
            guard let code = PartyCode(item), parties[code] != nil else {
                throw LabelError(.unknownParty, "REL TO names '\(item)', which is not a known party (known: \(knownParties))")
            }
            return code
        }

        var topics: [Topic] = []
        var caveats: [String] = []
        var seenCaveat = false
        for segment in segments.dropFirst(3) {
            if let list = segment.dropPrefix("TOPIC ") {
                guard topics.isEmpty, !seenCaveat else {
                    throw LabelError(.malformed, "TOPIC must appear once, after REL TO and before CAVEAT")
                }
                topics = try parseList(list, what: "TOPIC") { (item: Substring) throws(LabelError) -> Topic in
                    guard let topic = Topic(item) else {
                        throw LabelError(.badTopic, "topic '\(item)' must be lower-case words joined by hyphens (e.g. nk-missile)")
                    }
                    return topic
                }
            } else if let list = segment.dropPrefix("CAVEAT ") {
                guard !seenCaveat else { throw LabelError(.malformed, "CAVEAT must appear once, last") }
                seenCaveat = true
                caveats = try parseList(list, what: "CAVEAT") { (item: Substring) throws(LabelError) -> String in
                    guard Self.isCaveat(item) else {
                        throw LabelError(.badCaveat, "caveat '\(item)' must be upper-case letters, digits and hyphens (e.g. ORCON)")
                    }
                    return String(item)
                }
            } else {
                throw LabelError(.malformed, "part '\(segment)' must start with 'TOPIC ' or 'CAVEAT '")
            }
        }
        return Label(originator: originator, level: level, releasableTo: releasableTo, topics: topics, caveats: caveats)
    }

    private var knownParties: String { parties.all.map(\.code.rawValue).joined(separator: ", ") }

    private func parseLevel(_ text: Substring, scheme: ClassificationScheme) throws(LabelError) -> ClassificationLevel {
        if let level = scheme.level(named: text) { return level }
        if text.isEmpty { throw LabelError(.malformed, "level is empty (after '\(scheme.party)//')") }
        var message = "level '\(text)' is not in \(scheme.party)'s scheme (accepted: \(scheme.acceptedNames.joined(separator: ", ")))"
        if let near = scheme.level(named: text.uppercased()) { message += "; did you mean '\(near.code)'?" }
        throw LabelError(.unknownLevel, message)
    }

    private func parseList<Item: Hashable>(
        _ text: Substring, what: String, _ makeItem: (Substring) throws(LabelError) -> Item
    ) throws(LabelError) -> [Item] {
        let rawItems = text.split(separator: ",", omittingEmptySubsequences: false)
        guard rawItems.count <= Self.maximumListCount else {
            throw LabelError(.tooLong, "\(what) lists \(rawItems.count) entries; at most \(Self.maximumListCount)")
        }
        var items: [Item] = []
        var seen = Set<Item>()
        for raw in rawItems {
            let item = raw.trimmingASCIIWhitespace()
            guard !item.isEmpty else { throw LabelError(.malformed, "\(what) list '\(text)' has an empty entry") }
            let value = try makeItem(item)
            guard seen.insert(value).inserted else { throw LabelError(.duplicate, "\(what) lists '\(item)' twice") }
            items.append(value)
        }
        return items
    }

    static func isCaveat(_ text: some StringProtocol) -> Bool {
        guard let first = text.utf8.first, (0x41...0x5A).contains(first) || (0x30...0x39).contains(first),
              text.utf8.count <= 32 else { return false }
        return text.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}

extension StringProtocol {
    func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let whole = self[...]
        guard let start = whole.firstIndex(where: { !isSpace($0) }),
              let end = whole.lastIndex(where: { !isSpace($0) }) else { return Substring() }
        return Substring(whole[start...end])
    }

    func dropPrefix(_ prefix: String) -> Substring? {
        hasPrefix(prefix) ? Substring(dropFirst(prefix.count)) : nil
    }
}
