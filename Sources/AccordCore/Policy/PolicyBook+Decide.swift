import Foundation

extension PolicyBook {
    /// Decides one release. Pure: the same book, request and consents always give the same decision.
    ///
    /// Rules applied (`reference/agreements.md` §7): releasability (32), agreement in force (20–23),
    /// topic scope (25), equivalence table and ceiling (1–3), purpose (7), recipient's assurance (9),
    /// onward release only with the originator's consent (6, 27), intermediary routes only where an
    /// arrangement allows them (26).
    /// - Parameters:
    ///   - request: who releases what to whom, when, for what.
    ///   - consents: consents the sender holds (besides the agreements' standing consents).
    public func decide(_ request: ReleaseRequest, consents: [Consent] = []) -> Decision {
        let label = request.label
        let originator = label.originator
        guard request.recipient != request.sender else { return .denied([.recipientIsSender(request.sender)]) }
        guard label.isReleasable(to: request.recipient) else {
            return .denied([.notReleasable(recipient: request.recipient, label: label.text)])
        }
        if request.sender == originator {
            return decideOwnRelease(request)
        }
        return decideOnwardRelease(request, consents: consents)
    }

    /// The originator releases its own information: directly if a bilateral agreement allows, else
    /// through an intermediary where an arrangement allows.
    private func decideOwnRelease(_ request: ReleaseRequest) -> Decision {
        let label = request.label
        let (a, b) = (label.originator, request.recipient)
        var reasons: [DenialReason] = []
        let direct = bilateralIndices(a, b)
        for candidate in direct {
            let history = histories[candidate]
            switch check(leg: history, from: a, level: label.level, to: b, request: request) {
            case .success(let level): return .direct(agreement: history.agreement.id, recipientLevel: level)
            case .failure(let failure): reasons += failure.reasons
            }
        }
        let routes = routes(from: a, to: b)
        for route in routes {
            switch check(route: route, request: request) {
            case .success(let (agreements, level)):
                return .viaIntermediary(route: [a, route.intermediary, b], agreements: agreements, recipientLevel: level,
                                        consent: .givenByOriginator)
            case .failure(let failure): reasons += failure.reasons
            }
        }
        if direct.isEmpty && routes.isEmpty { reasons.insert(.noAgreementBetween(a, b), at: 0) }
        return .denied(reasons)
    }

    /// An intermediary passes the originator's information on: only with a consent that covers it
    /// (Art. 6(a)), and only under an arrangement for that route or the bilateral agreement of the last leg.
    private func decideOnwardRelease(_ request: ReleaseRequest, consents: [Consent]) -> Decision {
        let label = request.label
        let (a, via, b) = (label.originator, request.sender, request.recipient)
        guard let scheme = parties[a]?.scheme else { return .denied([.noAgreementBetween(via, b)]) }
        let route = [a, via, b]
        var reasons: [DenialReason] = []
        var consentID: String?
        var gaps: [String] = []
        func consider(_ consent: Consent) -> Bool {
            if let gap = consent.gap(label: label, objectID: request.objectID, intermediary: via, recipient: b,
                                     at: request.instant, scheme: scheme) {
                gaps.append("\(consent.id): \(gap)")
                return false
            }
            consentID = consent.id
            return true
        }
        if !consents.contains(where: consider) {
            for index in standingConsentHolders where histories[index].agreement.parties.contains(a)
                && histories[index].state(at: request.instant).allowsExchange {
                if histories[index].agreement.standingConsents.contains(where: consider) { break }
            }
        }
        if consentID == nil {
            reasons.append(.consentMissing(originator: a, intermediary: via, recipient: b, detail: gaps.first))
        }
        let arrangements = routes(from: a, to: b).filter { $0.intermediary == via }
        for arrangement in arrangements {
            switch check(route: arrangement, request: request) {
            case .success(let (agreements, level)) where consentID != nil:
                return .viaIntermediary(route: route, agreements: agreements, recipientLevel: level, consent: .held(consentID: consentID!))
            case .success: break
            case .failure(let failure): reasons += failure.reasons
            }
        }
        if arrangements.isEmpty {
            // A third-party release under the bilateral agreements alone (Art. 6(a) with written approval).
            let legs = [bilateralIndices(a, via), bilateralIndices(via, b)]
            switch chain(route: route, legs: legs, request: request, checkFirstLegState: false) {
            case .success(let (agreements, level)) where consentID != nil:
                return .viaIntermediary(route: route, agreements: agreements, recipientLevel: level, consent: .held(consentID: consentID!))
            case .success: break
            case .failure(let failure): reasons += failure.reasons
            }
        }
        return .denied(reasons)
    }

    struct Refusal: Error {
        let reasons: [DenialReason]
    }

    /// Checks an arrangement (state, scope, purpose, ceiling, intermediary releasable) and each leg of its route.
    private func check(route: Route, request: ReleaseRequest) -> Result<([String], ClassificationLevel), Refusal> {
        let arrangement = histories[route.arrangement]
        let (a, b) = (request.label.originator, request.recipient)
        var reasons = checkCommon(arrangement, request: request)
        if case .failure(let ceiling) = mapLevel(arrangement, from: a, level: request.label.level, to: b) {
            reasons += ceiling.reasons
        }
        if !request.label.isReleasable(to: route.intermediary) {
            reasons.append(.intermediaryNotReleasable(intermediary: route.intermediary))
        }
        let legs = chain(route: [a, route.intermediary, b], legs: route.legs, request: request,
                         checkFirstLegState: request.sender == a)
        switch legs {
        case .success(let (agreements, level)) where reasons.isEmpty:
            return .success(([arrangement.agreement.id] + agreements, level))
        case .success: return .failure(Refusal(reasons: reasons))
        case .failure(let failure): return .failure(Refusal(reasons: reasons + failure.reasons))
        }
    }

    /// Maps the label's level along the route, leg by leg, through the first candidate agreement of each leg that allows it.
    private func chain(route: [PartyCode], legs: [[Int]], request: ReleaseRequest, checkFirstLegState: Bool)
        -> Result<([String], ClassificationLevel), Refusal>
    {
        var level = request.label.level
        var used: [String] = []
        used.reserveCapacity(legs.count)
        var reasons: [DenialReason] = []
        for index in 0..<(route.count - 1) {
            let (from, to) = (route[index], route[index + 1])
            let candidates = legs[index]
            if candidates.isEmpty { return .failure(Refusal(reasons: reasons + [.noAgreementBetween(from, to)])) }
            var next: ClassificationLevel?
            for candidate in candidates {
                let history = histories[candidate]
                // The first leg of an onward release happened already; only its table matters now.
                let result = index == 0 && !checkFirstLegState
                    ? mapLevel(history, from: from, level: level, to: to)
                    : check(leg: history, from: from, level: level, to: to, request: request)
                switch result {
                case .success(let mapped):
                    next = mapped
                    used.append(history.agreement.id)
                case .failure(let failure):
                    reasons += failure.reasons
                    continue
                }
                break
            }
            guard let next else { return .failure(Refusal(reasons: reasons)) }
            level = next
        }
        return .success((used, level))
    }

    /// Checks one direct leg from `from` (holding `level` of its own scheme) to `to` under `history`.
    private func check(leg history: AgreementHistory, from: PartyCode, level: ClassificationLevel, to: PartyCode, request: ReleaseRequest)
        -> Result<ClassificationLevel, Refusal>
    {
        var reasons = checkCommon(history, request: request)
        switch mapLevel(history, from: from, level: level, to: to) {
        case .success(let mapped):
            if history.agreement.requiresAssurance, history.state(at: request.instant).allowsExchange {
                let assured = history.assuredLevel(by: to, at: request.instant).flatMap { parties[to]?.scheme.level(named: $0) }
                if (assured?.rank ?? Int.min) < mapped.rank {
                    reasons.append(.noAssurance(agreement: history.agreement.id, recipient: to, level: mapped.code))
                }
            }
            return reasons.isEmpty ? .success(mapped) : .failure(Refusal(reasons: reasons))
        case .failure(let failure):
            return .failure(Refusal(reasons: reasons + failure.reasons))
        }
    }

    /// State, topic scope and purpose of an agreement at the request's instant.
    private func checkCommon(_ history: AgreementHistory, request: ReleaseRequest) -> [DenialReason] {
        var reasons: [DenialReason] = []
        let id = history.agreement.id
        let state = history.state(at: request.instant)
        if !state.allowsExchange { reasons.append(.agreementNotInForce(agreement: id, state: state)) }
        let terms = history.terms(at: request.instant)
        if !terms.covers(request.label.topics), let scope = terms.scope {
            reasons.append(.topicOutOfScope(agreement: id, topics: request.label.topics.filter { !scope.contains($0) }))
        }
        if !terms.allows(purpose: request.purpose) {
            reasons.append(.purposeNotAllowed(agreement: id, purpose: request.purpose, allowed: terms.purposes.sorted()))
        }
        return reasons
    }

    private func mapLevel(_ history: AgreementHistory, from: PartyCode, level: ClassificationLevel, to: PartyCode)
        -> Result<ClassificationLevel, Refusal>
    {
        let table = history.agreement.equivalence
        if let mapped = table.equivalent(of: level, from: from, to: to) { return .success(mapped) }
        let id = history.agreement.id
        if let ceiling = table.ceiling(for: from), level.rank > ceiling.rank {
            return .failure(Refusal(reasons: [.levelAboveCeiling(agreement: id, party: from, level: level.code, ceiling: ceiling.code)]))
        }
        return .failure(Refusal(reasons: [.levelNotExchangeable(agreement: id, party: from, level: level.code)]))
    }
}
