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
    private let arrangements: [Int]

    struct PairKey: Hashable {
        let low: PartyCode
        let high: PartyCode
        init(_ a: PartyCode, _ b: PartyCode) {
            (low, high) = a < b ? (a, b) : (b, a)
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
        for index in arrangements {
            guard case .arrangement(_, let routes, let governedBy) = histories[index].agreement.kind else { continue }
            let id = histories[index].agreement.id
            for leg in governedBy {
                guard let legIndex = byID[leg], case .bilateral = histories[legIndex].agreement.kind else {
                    throw AgreementFileError(id, "governedBy names \(leg), which is not a bilateral agreement here")
                }
            }
            for route in routes {
                for (a, b) in zip(route, route.dropFirst()) {
                    let covered = governedBy.contains { byID[$0].map { histories[$0].agreement.parties.contains(a) && histories[$0].agreement.parties.contains(b) } ?? false }
                    guard covered else { throw AgreementFileError(id, "no agreement in governedBy covers the leg \(a)→\(b)") }
                }
            }
        }
        self.parties = parties
        self.histories = histories
        self.byID = byID
        self.bilateral = bilateral
        self.arrangements = arrangements
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

    func bilateralHistories(_ a: PartyCode, _ b: PartyCode) -> [AgreementHistory] {
        (bilateral[PairKey(a, b)] ?? []).map { histories[$0] }
    }

    var arrangementHistories: [AgreementHistory] { arrangements.map { histories[$0] } }
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
