import Foundation

/// Everything a node needs to decide releases: the parties, and every agreement with its notes.
/// Immutable and cheap to share; ``decide(_:consents:)`` is a pure function of it.
public struct PolicyBook: Sendable {
    /// The parties and their schemes.
    public let parties: PartyDirectory
    /// Every agreement with its timeline, in the order given.
    public let histories: [AgreementHistory]
    private let byID: [String: Int]
    private let bilateral: [PairKey: [Int]]
    private let routes: [PairKey: [Route]]
    /// Agreements that carry standing consents.
    let standingConsentHolders: [Int]

    /// An arrangement route resolved once: the arrangement, its hub, and the candidate agreements of each leg.
    struct Route {
        let arrangement: Int
        let intermediary: PartyCode
        let legs: [[Int]]
    }

    struct PairKey: Hashable {
        let low: PartyCode
        let high: PartyCode
        init(_ a: PartyCode, _ b: PartyCode) {
            (low, high) = a < b ? (a, b) : (b, a)
        }
        /// A directed pair: `from` first.
        init(ordered from: PartyCode, _ to: PartyCode) {
            (low, high) = (from, to)
        }
    }

    /// Builds a book; arrangements must name bilateral agreements of the book for their legs.
    public init(parties: PartyDirectory, histories: [AgreementHistory]) throws(AgreementFileError) {
        var byID: [String: Int] = [:]
        var bilateral: [PairKey: [Int]] = [:]
        var arrangements: [Int] = []
        for (index, history) in histories.enumerated() {
            let agreement = history.agreement
            guard byID.updateValue(index, forKey: agreement.id) == nil else {
                throw AgreementFileError(agreement.id, "two agreements have this id")
            }
            switch agreement.kind {
            case .bilateral:
                for (i, a) in agreement.parties.enumerated() {
                    for b in agreement.parties[(i + 1)...] { bilateral[PairKey(a, b), default: []].append(index) }
                }
            case .arrangement:
                arrangements.append(index)
            }
        }
        var resolved: [PairKey: [Route]] = [:]
        for index in arrangements {
            guard case .arrangement(let hub, let routes, let governedBy) = histories[index].agreement.kind else { continue }
            let id = histories[index].agreement.id
            for leg in governedBy {
                guard let legIndex = byID[leg], case .bilateral = histories[legIndex].agreement.kind else {
                    throw AgreementFileError(id, "governedBy names \(leg), which is not a bilateral agreement here")
                }
            }
            for route in routes {
                var legs: [[Int]] = []
                for (a, b) in zip(route, route.dropFirst()) {
                    let candidates = governedBy.compactMap { byID[$0] }.filter {
                        histories[$0].agreement.parties.contains(a) && histories[$0].agreement.parties.contains(b)
                    }
                    guard !candidates.isEmpty else { throw AgreementFileError(id, "no agreement in governedBy covers the leg \(a)→\(b)") }
                    legs.append(candidates)
                }
                resolved[PairKey(ordered: route[0], route[2]), default: []].append(Route(arrangement: index, intermediary: hub, legs: legs))
            }
        }
        self.parties = parties
        self.histories = histories
        self.byID = byID
        self.bilateral = bilateral
        self.routes = resolved
        self.standingConsentHolders = histories.indices.filter { !histories[$0].agreement.standingConsents.isEmpty }
    }

    /// The agreement with this id and its timeline.
    public func history(_ id: String) -> AgreementHistory? { byID[id].map { histories[$0] } }

    /// The book with another set of notes for one agreement (for counterfactuals: "had the notice never been suspended").
    public func replacingNotes(of id: String, with notes: [Note]) throws(AgreementFileError) -> PolicyBook {
        guard let index = byID[id] else { throw AgreementFileError(id, "no such agreement") }
        var histories = self.histories
        histories[index] = try AgreementHistory(agreement: histories[index].agreement, notes: notes)
        return try PolicyBook(parties: parties, histories: histories)
    }

    func bilateralIndices(_ a: PartyCode, _ b: PartyCode) -> [Int] {
        bilateral[PairKey(a, b)] ?? []
    }

    /// Arrangement routes from `originator` to `recipient`.
    func routes(from originator: PartyCode, to recipient: PartyCode) -> [Route] {
        routes[PairKey(ordered: originator, recipient)] ?? []
    }
}

extension PolicyBook {
    /// The holder's level equivalent to `level` of `originator`, mapped through the bilateral
    /// agreements among `agreements` leg by leg (arrangements are skipped: their legs carry the tables).
    public func equivalent(of level: ClassificationLevel, originator: PartyCode, holder: PartyCode, agreements: [String]) -> ClassificationLevel? {
        var current = (party: originator, level: level)
        for id in agreements {
            guard let agreement = history(id)?.agreement, case .bilateral = agreement.kind,
                  let next = agreement.parties.first(where: { $0 != current.party }),
                  agreement.parties.contains(current.party),
                  let mapped = agreement.equivalence.equivalent(of: current.level, from: current.party, to: next) else { continue }
            current = (next, mapped)
        }
        return current.party == holder ? current.level : nil
    }
}
