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
        let direct = bilateralHistories(a, b)
        for history in direct {
            switch check(leg: history, from: a, level: label.level, to: b, request: request) {
            case .success(let level): return .direct(agreement: history.agreement.id, recipientLevel: level)
            case .failure(let failure): reasons += failure.reasons
            }
        }
        var anyRoute = false
        for arrangement in arrangementHistories {
            guard case .arrangement(let via, let routes, _) = arrangement.agreement.kind, routes.contains([a, via, b]) else { continue }
            anyRoute = true
            switch check(route: [a, via, b], arrangement: arrangement, request: request, consentHeld: true) {
            case .success(let (agreements, level)):
                return .viaIntermediary(route: [a, via, b], agreements: agreements, recipientLevel: level, consent: .givenByOriginator)
            case .failure(let failure): reasons += failure.reasons
            }
        }
        if direct.isEmpty && !anyRoute { reasons.insert(.noAgreementBetween(a, b), at: 0) }
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
        let standing = histories.lazy.filter { $0.agreement.parties.contains(a) && $0.state(at: request.instant).allowsExchange }
            .flatMap(\.agreement.standingConsents)
        for consent in consents + standing {
            if let gap = consent.gap(label: label, objectID: request.objectID, intermediary: via, recipient: b,
                                     at: request.instant, scheme: scheme) {
                gaps.append("\(consent.id): \(gap)")
            } else {
                consentID = consent.id
                break
            }
        }
        if consentID == nil {
            reasons.append(.consentMissing(originator: a, intermediary: via, recipient: b, detail: gaps.first))
        }
        let arrangements = arrangementHistories.filter {
            if case .arrangement(let hub, let routes, _) = $0.agreement.kind { return hub == via && routes.contains(route) }
            return false
        }
        for arrangement in arrangements {
            switch check(route: route, arrangement: arrangement, request: request, consentHeld: consentID != nil) {
            case .success(let (agreements, level)) where consentID != nil:
                return .viaIntermediary(route: route, agreements: agreements, recipientLevel: level, consent: .held(consentID: consentID!))
            case .success: break
            case .failure(let failure): reasons += failure.reasons
            }
        }
        if arrangements.isEmpty {
            // A third-party release under the bilateral agreements alone (Art. 6(a) with written approval).
            switch chain(route: route, agreementsFor: { bilateralHistories($0, $1) }, request: request, checkFirstLegState: false) {
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

    /// Checks an arrangement (state, scope, purpose, intermediary releasable) and each leg of its route.
    private func check(route: [PartyCode], arrangement: AgreementHistory, request: ReleaseRequest, consentHeld: Bool)
        -> Result<([String], ClassificationLevel), Refusal>
    {
        var reasons = checkCommon(arrangement, request: request)
        if case .failure(let ceiling) = mapLevel(arrangement, from: route[0], level: request.label.level, to: route[route.count - 1]) {
            reasons += ceiling.reasons
        }
        for hop in route.dropFirst().dropLast() where !request.label.isReleasable(to: hop) {
            reasons.append(.intermediaryNotReleasable(intermediary: hop))
        }
        guard case .arrangement(_, _, let governedBy) = arrangement.agreement.kind else { return .failure(Refusal(reasons: reasons)) }
        let legs = chain(route: route, agreementsFor: { a, b in
            governedBy.compactMap { history($0) }.filter { $0.agreement.parties.contains(a) && $0.agreement.parties.contains(b) }
        }, request: request, checkFirstLegState: request.sender == route[0])
        switch legs {
        case .success(let (agreements, level)) where reasons.isEmpty:
            return .success(([arrangement.agreement.id] + agreements, level))
        case .success: return .failure(Refusal(reasons: reasons))
        case .failure(let failure): return .failure(Refusal(reasons: reasons + failure.reasons))
        }
    }

    /// Maps the label's level along the route, leg by leg, through the first agreement of each leg that allows it.
    private func chain(
        route: [PartyCode], agreementsFor: (PartyCode, PartyCode) -> [AgreementHistory], request: ReleaseRequest,
        checkFirstLegState: Bool
    ) -> Result<([String], ClassificationLevel), Refusal> {
        var level = request.label.level
        var used: [String] = []
        var reasons: [DenialReason] = []
        for (index, (from, to)) in zip(route, route.dropFirst()).enumerated() {
            let candidates = agreementsFor(from, to)
            if candidates.isEmpty { return .failure(Refusal(reasons: reasons + [.noAgreementBetween(from, to)])) }
            var next: ClassificationLevel?
            for history in candidates {
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
        if let scope = terms.scope, request.label.topics.isEmpty || !request.label.topics.allSatisfy(scope.contains) {
            reasons.append(.topicOutOfScope(agreement: id, topics: request.label.topics.filter { !scope.contains($0) }))
        }
        if !terms.purposes.contains(request.purpose) {
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
