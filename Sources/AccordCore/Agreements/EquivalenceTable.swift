/// An agreement's table of equivalent classification levels (GSOMIA Art. 4): each row names the
/// levels of every party that are treated alike. Levels in no row cannot be exchanged.
public struct EquivalenceTable: Sendable {
    /// One row: an English name (`SECRET`) and, per party, the levels in that row, primary first.
    public struct Row: Sendable {
        /// The English equivalent (`SECRET`).
        public let english: String
        /// Per party, its levels in this row; the first is the one a recipient marks with.
        public let levels: [PartyCode: [ClassificationLevel]]
    }

    /// Rows, most sensitive first; the first row is the ceiling.
    public let rows: [Row]
    /// Flat (party, level code, row) entries: tables are tiny, so a scan of short strings beats hashing.
    private let entries: [(party: PartyCode, code: String, row: Int)]

    private struct LevelKey: Hashable {
        let party: PartyCode
        let code: String
    }

    /// Resolves a table written with level codes against the parties' schemes.
    init(rows written: [(english: String, levels: [PartyCode: [String]])], parties: PartyDirectory, agreement: String)
        throws(AgreementFileError)
    {
        var rows: [Row] = []
        var index: [LevelKey: Int] = [:]
        for (rowNumber, row) in written.enumerated() {
            var levels: [PartyCode: [ClassificationLevel]] = [:]
            for (party, codes) in row.levels {
                guard let scheme = parties[party]?.scheme else {
                    throw AgreementFileError(agreement, "equivalence row '\(row.english)' names unknown party \(party)")
                }
                guard !codes.isEmpty else {
                    throw AgreementFileError(agreement, "equivalence row '\(row.english)' lists no level for \(party)")
                }
                levels[party] = try codes.map { (code: String) throws(AgreementFileError) -> ClassificationLevel in
                    guard let level = scheme.level(named: code) else {
                        throw AgreementFileError(agreement, "equivalence row '\(row.english)': '\(code)' is not a level of \(party)")
                    }
                    guard index.updateValue(rowNumber, forKey: LevelKey(party: party, code: level.code)) == nil else {
                        throw AgreementFileError(agreement, "equivalence table lists \(party) \(level.code) twice")
                    }
                    return level
                }
            }
            rows.append(Row(english: row.english, levels: levels))
        }
        for (upper, lower) in zip(rows, rows.dropFirst()) {
            for (party, upperLevels) in upper.levels {
                guard let lowerLevels = lower.levels[party] else { continue }
                guard upperLevels.map(\.rank).min()! > lowerLevels.map(\.rank).max()! else {
                    throw AgreementFileError(agreement, "equivalence rows must be listed most sensitive first (\(party): '\(upper.english)' is not above '\(lower.english)')")
                }
            }
        }
        self.rows = rows
        self.entries = index.map { ($0.key.party, $0.key.code, $0.value) }.sorted { $0.row < $1.row }
    }

    /// The row holding `level` of `party`, if the table has it.
    public func row(of level: ClassificationLevel, party: PartyCode) -> Row? {
        for entry in entries where entry.code == level.code && entry.party == party { return rows[entry.row] }
        return nil
    }

    /// The recipient's primary level equivalent to `level` of `party`, if both are in one row.
    public func equivalent(of level: ClassificationLevel, from party: PartyCode, to recipient: PartyCode) -> ClassificationLevel? {
        row(of: level, party: party)?.levels[recipient]?.first
    }

    /// The most sensitive level of `party` in the table (its ceiling), if the party appears.
    public func ceiling(for party: PartyCode) -> ClassificationLevel? {
        rows.lazy.compactMap { $0.levels[party]?.first }.first
    }
}
