import Foundation

extension Agreement {
    /// Decodes and checks one agreement file (`"format": "accord.agreement/1"`, see `docs/agreements.md`).
    public init(json: Data, parties: PartyDirectory) throws(AgreementFileError) {
        let file: AgreementFile
        do {
            file = try JSONDecoder().decode(AgreementFile.self, from: json)
        } catch {
            throw AgreementFileError("agreement file", DecodingErrorText.describe(error))
        }
        let id = file.id
        guard file.format == "accord.agreement/1" else {
            throw AgreementFileError(id, "format is '\(file.format)', expected 'accord.agreement/1'")
        }
        guard Topic(id) != nil else { throw AgreementFileError(id, "id must be lower-case words joined by hyphens") }
        guard file.parties.count >= 2, Set(file.parties).count == file.parties.count else {
            throw AgreementFileError(id, "an agreement needs two or more distinct parties")
        }
        for party in file.parties where parties[party] == nil {
            throw AgreementFileError(id, "party \(party) is not in the party directory")
        }
        let kind: Kind
        switch file.kind {
        case "bilateral":
            guard file.intermediary == nil, file.routes == nil else {
                throw AgreementFileError(id, "a bilateral agreement has no intermediary or routes")
            }
            kind = .bilateral
        case "arrangement":
            guard let intermediary = file.intermediary, file.parties.contains(intermediary) else {
                throw AgreementFileError(id, "an arrangement names its intermediary, who must be a party")
            }
            let routes = file.routes ?? []
            guard !routes.isEmpty else { throw AgreementFileError(id, "an arrangement lists at least one route") }
            for route in routes {
                guard route.count == 3, route[1] == intermediary, route[0] != route[2],
                      route.allSatisfy(file.parties.contains) else {
                    throw AgreementFileError(id, "route \(route.map(\.rawValue).joined(separator: "→")) must be originator→\(intermediary)→recipient between parties")
                }
            }
            kind = .arrangement(intermediary: intermediary, routes: routes, governedBy: file.governedBy ?? [])
        default:
            throw AgreementFileError(id, "kind '\(file.kind)' is not 'bilateral' or 'arrangement'")
        }
        guard let offset = Instant.parseOffset(file.term.utcOffset) else {
            throw AgreementFileError(id, "term.utcOffset '\(file.term.utcOffset)' is not like +09:00")
        }
        guard (1...3650).contains(file.term.noticeDays), (file.term.initialYears ?? 1) >= 1 else {
            throw AgreementFileError(id, "term.noticeDays must be 1…3650 and term.initialYears at least 1")
        }
        let equivalence = try EquivalenceTable(
            rows: file.equivalence.map { ($0.english, $0.levels) }, parties: parties, agreement: id)
        guard let top = equivalence.rows.first, top.english == file.ceiling else {
            throw AgreementFileError(id, "ceiling '\(file.ceiling)' must name the first (most sensitive) equivalence row")
        }
        if case .bilateral = kind {
            for row in equivalence.rows where Set(row.levels.keys) != Set(file.parties) {
                throw AgreementFileError(id, "equivalence row '\(row.english)' must give a level for every party")
            }
        }
        guard !file.purposes.isEmpty, file.purposes.allSatisfy({ Topic($0) != nil }) else {
            throw AgreementFileError(id, "purposes must be a non-empty list of lower-case words")
        }
        for consent in file.standingConsents ?? [] where !file.parties.contains(consent.originator) {
            throw AgreementFileError(id, "standing consent \(consent.id) is given by \(consent.originator), not a party")
        }
        self.init(
            id: id, title: file.title, shortName: file.shortName, kind: kind, parties: file.parties,
            scope: file.scope.map(Set.init), equivalence: equivalence, purposes: Set(file.purposes),
            term: Term(initialYears: file.term.initialYears, automaticRenewal: file.term.automaticRenewal,
                       noticeDays: file.term.noticeDays, utcOffsetSeconds: offset),
            obligationsSurviveTermination: file.obligationsSurviveTermination,
            onwardReleaseNeedsConsent: file.onwardReleaseNeedsConsent, requiresAssurance: file.requiresAssurance,
            standingConsents: file.standingConsents ?? [], assumed: file.assumed ?? [], sources: file.sources ?? [])
    }
}

private struct AgreementFile: Decodable {
    struct Row: Decodable {
        let english: String
        let levels: [PartyCode: [String]]

        enum CodingKeys: CodingKey { case english, levels }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            english = try container.decode(String.self, forKey: .english)
            let raw = try container.decode([String: [String]].self, forKey: .levels)
            var levels: [PartyCode: [String]] = [:]
            for (key, value) in raw {
                guard let party = PartyCode(key) else {
                    throw DecodingError.dataCorruptedError(forKey: .levels, in: container, debugDescription: "'\(key)' is not a party code")
                }
                levels[party] = value
            }
            self.levels = levels
        }
    }
    struct Term: Decodable {
        let initialYears: Int?
        let automaticRenewal: Bool
        let noticeDays: Int
        let utcOffset: String
    }
    let format: String
    let id: String
    let title: String
    let shortName: String
    let kind: String
    let parties: [PartyCode]
    let intermediary: PartyCode?
    let routes: [[PartyCode]]?
    let governedBy: [String]?
    let scope: [Topic]?
    let ceiling: String
    let equivalence: [Row]
    let purposes: [String]
    let term: Term
    let obligationsSurviveTermination: Bool
    let onwardReleaseNeedsConsent: Bool
    let requiresAssurance: Bool
    let standingConsents: [Consent]?
    let assumed: [String]?
    let sources: [String]?
}
