import Foundation

/// A nation (or organisation) that runs a node.
public struct Party: Sendable {
    /// Short code (`KR`).
    public let code: PartyCode
    /// Full name (`Republic of Korea`).
    public let name: String
    /// The party's own classification levels.
    public let scheme: ClassificationScheme
}

/// The parties a node knows, loaded from a data file (`Bundled/parties.json`, format in `docs/agreements.md`).
public struct PartyDirectory: Sendable {
    private let parties: [PartyCode: Party]

    /// Every party, ordered by code.
    public var all: [Party] { parties.values.sorted { $0.code < $1.code } }

    /// Creates a directory from parties with distinct codes.
    public init(_ parties: [Party]) throws(PartyDataError) {
        var map: [PartyCode: Party] = [:]
        for party in parties {
            guard map.updateValue(party, forKey: party.code) == nil else {
                throw .init("party \(party.code) is listed twice")
            }
        }
        self.parties = map
    }

    /// The party with this code, if known.
    public subscript(code: PartyCode) -> Party? { parties[code] }

    /// Decodes a party data file (`"format": "accord.parties/1"`).
    public init(json: Data) throws(PartyDataError) {
        let file: PartyFile
        do {
            file = try JSONDecoder().decode(PartyFile.self, from: json)
        } catch {
            throw .init(DecodingErrorText.describe(error))
        }
        guard file.format == "accord.parties/1" else {
            throw .init("format is '\(file.format)', expected 'accord.parties/1'")
        }
        var parties: [Party] = []
        for entry in file.parties {
            let levels = entry.levels.enumerated().map { rank, level in
                ClassificationLevel(
                    code: level.code, nativeName: level.native, englishName: level.english,
                    rank: level.rank ?? rank, aliases: level.aliases ?? [])
            }
            guard levels.allSatisfy({ $0.code.utf8.allSatisfy { (0x20...0x7E).contains($0) } && !$0.code.isEmpty })
            else { throw .init("party \(entry.code): level codes must be printable ASCII") }
            parties.append(Party(code: entry.code, name: entry.name, scheme: try ClassificationScheme(party: entry.code, levels: levels)))
        }
        try self.init(parties)
    }
}

private struct PartyFile: Decodable {
    struct Level: Decodable {
        let code: String
        let native: String
        let english: String
        let rank: Int?
        let aliases: [String]?
    }
    struct Entry: Decodable {
        let code: PartyCode
        let name: String
        let levels: [Level]
    }
    let format: String
    let parties: [Entry]
}
