import Foundation

/// An agreement with its notes folded into a timeline: its state, its amended terms and the
/// assurances given, at any instant. Built once; every query is a binary search. A final class so
/// that the decision path passes one reference, not a dozen.
public final class AgreementHistory: Sendable {
    /// One stretch of time in one state.
    public struct Period: Sendable, Equatable {
        /// When the state began.
        public let start: Date
        /// The state.
        public let state: AgreementState
    }

    /// Terms that amendments can change.
    public struct Terms: Sendable, Equatable {
        /// When these terms took effect.
        public let start: Date
        /// Topics in scope (`nil`: any).
        public let scope: Set<Topic>?
        /// Purposes allowed.
        public let purposes: Set<String>
        /// The same, as short arrays: a scan of a few short strings is faster than hashing them.
        let scopeList: [Topic]?
        let purposeList: [String]

        init(start: Date, scope: Set<Topic>?, purposes: Set<String>) {
            self.start = start
            self.scope = scope
            self.purposes = purposes
            self.scopeList = scope.map { $0.sorted() }
            self.purposeList = purposes.sorted()
        }

        /// Whether every topic is in scope (a label without topics only fits an unlimited scope).
        func covers(_ topics: [Topic]) -> Bool {
            guard let scopeList else { return true }
            return !topics.isEmpty && topics.allSatisfy(scopeList.contains)
        }

        /// Whether the purpose is allowed.
        func allows(purpose: String) -> Bool { purposeList.contains(purpose) }
    }

    /// The agreement as written.
    public let agreement: Agreement
    /// The notes, in date order.
    public let notes: [Note]
    /// When the agreement entered into force, if it has.
    public let entryIntoForce: Date?
    /// Its states over time, in order; the first begins at `Date.distantPast`.
    public let periods: [Period]
    /// Its terms over time, in order.
    public let terms: [Terms]
    /// Notes that had no effect, with the reason (not written, after termination, ...).
    public let ignoredNotes: [(note: String, reason: String)]
    private let assurances: [PartyCode: [(date: Date, level: String)]]

    /// Folds `notes` over `agreement`. Notes that contradict the agreement (an unknown party, a
    /// reference to no earlier note) are errors; notes without legal effect are kept in ``ignoredNotes``.
    public init(agreement: Agreement, notes unsorted: [Note]) throws(AgreementFileError) {
        let id = agreement.id
        var seen = Set<String>()
        for note in unsorted {
            guard note.agreement == id else { throw AgreementFileError(id, "note \(note.id) is about \(note.agreement)") }
            guard agreement.parties.contains(note.from) else {
                throw AgreementFileError(id, "note \(note.id) comes from \(note.from), who is not a party")
            }
            guard seen.insert(note.id).inserted else { throw AgreementFileError(id, "note id \(note.id) is used twice") }
        }
        let notes = unsorted.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        for note in notes {
            let refs: [String]
            switch note.kind {
            case .suspensionOfNotice(let of): refs = [of]
            case .withdrawalOfNotice(let of): refs = of
            default: refs = []
            }
            for ref in refs {
                guard let target = notes.first(where: { $0.id == ref }), target.date <= note.date else {
                    throw AgreementFileError(id, "note \(note.id) refers to \(ref), which is not an earlier note of \(id)")
                }
            }
        }

        var ignored: [(String, String)] = []
        var eifByParty: [PartyCode: Date] = [:]
        for note in notes where note.kind == .entryIntoForce {
            if note.isFormal { eifByParty[note.from] = min(eifByParty[note.from] ?? note.date, note.date) }
            else { ignored.append((note.id, "not a written note through the diplomatic channel")) }
        }
        let eif = eifByParty.count == agreement.parties.count ? eifByParty.values.max() : nil

        var periods = [Period(start: .distantPast, state: .draft)]
        var terms = [Terms(start: .distantPast, scope: agreement.scope, purposes: agreement.purposes)]
        var assurances: [PartyCode: [(Date, String)]] = [:]
        var amendmentConsents: [String: (amendment: Note.Amendment, parties: Set<PartyCode>, last: Date)] = [:]
        var pending: (id: String, effective: Date, suspended: Bool)?
        var ended: Date?
        let expiry: Date? = agreement.term.automaticRenewal ? nil : agreement.term.initialYears.flatMap { years in
            eif.map { Instant.midnight(yearsAfter: $0, years: years, offsetSeconds: agreement.term.utcOffsetSeconds) }
        }

        if let eif {
            periods.append(Period(start: eif, state: .inForce))
            for note in notes {
                if let notice = pending, !notice.suspended, notice.effective <= note.date, ended == nil {
                    ended = notice.effective
                }
                if let expiry, expiry <= note.date, ended == nil { ended = expiry }
                if case .entryIntoForce = note.kind { continue }
                if note.date < eif {
                    ignored.append((note.id, "dated before the agreement entered into force"))
                    continue
                }
                if let ended {
                    ignored.append((note.id, "dated after the agreement terminated at \(Instant.format(ended))"))
                    continue
                }
                guard note.isFormal else {
                    ignored.append((note.id, "not a written note through the diplomatic channel"))
                    continue
                }
                switch note.kind {
                case .entryIntoForce:
                    break
                case .noticeOfTermination:
                    if let notice = pending {
                        ignored.append((note.id, "notice \(notice.id) is already pending"))
                    } else {
                        let effective = Self.effectiveDate(ofNoticeReceived: note.date, agreement: agreement, entryIntoForce: eif)
                        pending = (note.id, effective, false)
                        periods.append(Period(start: note.date, state: .noticeGiven(notice: note.id, effective: effective)))
                    }
                case .suspensionOfNotice(let of):
                    if let notice = pending, notice.id == of, !notice.suspended {
                        pending = (notice.id, notice.effective, true)
                        periods.append(Period(start: note.date, state: .noticeSuspended(notice: of)))
                    } else {
                        ignored.append((note.id, "\(of) is not a pending, unsuspended notice"))
                    }
                case .withdrawalOfNotice(let of):
                    if let notice = pending, of.contains(notice.id) {
                        pending = nil
                        periods.append(Period(start: note.date, state: .inForce))
                    } else {
                        ignored.append((note.id, "withdraws no pending notice"))
                    }
                case .amendment(let amendment):
                    var entry = amendmentConsents[amendment.id] ?? (amendment, [], note.date)
                    guard entry.amendment == amendment else {
                        ignored.append((note.id, "consents to a different text of amendment \(amendment.id)"))
                        continue
                    }
                    entry.parties.insert(note.from)
                    entry.last = note.date
                    amendmentConsents[amendment.id] = entry
                    if entry.parties.count == agreement.parties.count {
                        let current = terms[terms.count - 1]
                        terms.append(Terms(
                            start: max(entry.last, amendment.effective ?? entry.last),
                            scope: amendment.scope.map(Set.init) ?? current.scope,
                            purposes: amendment.purposes.map(Set.init) ?? current.purposes))
                    }
                case .assurance(let level):
                    assurances[note.from, default: []].append((note.date, level))
                }
            }
            if ended == nil, let notice = pending, !notice.suspended { ended = notice.effective }
            if let expiry, ended.map({ expiry < $0 }) ?? true { ended = expiry }
            if let ended { periods.append(Period(start: ended, state: .terminated(at: ended))) }
        }
        self.agreement = agreement
        self.notes = notes
        self.entryIntoForce = eif
        self.periods = periods
        self.terms = terms.sorted { $0.start < $1.start }
        self.ignoredNotes = ignored
        self.assurances = assurances
    }

    /// The state at an instant.
    public func state(at instant: Date) -> AgreementState {
        periods[Self.lastIndex(count: periods.count, atOrBefore: instant) { periods[$0].start }].state
    }

    /// The terms (scope, purposes) in effect at an instant.
    public func terms(at instant: Date) -> Terms {
        terms[Self.lastIndex(count: terms.count, atOrBefore: instant) { terms[$0].start }]
    }

    /// The highest level code `party` had assured by `instant`, if any (Art. 7).
    public func assuredLevel(by party: PartyCode, at instant: Date) -> String? {
        assurances[party]?.last(where: { $0.date <= instant })?.level
    }

    /// The first anniversary (end of a term) strictly after `instant`, if the agreement has terms.
    public func nextAnniversary(after instant: Date) -> Date? {
        guard let eif = entryIntoForce, let first = agreement.term.initialYears else { return nil }
        var years = first
        while true {
            let anniversary = Instant.midnight(yearsAfter: eif, years: years, offsetSeconds: agreement.term.utcOffsetSeconds)
            if anniversary > instant { return anniversary }
            years += 1
        }
    }

    /// When a notice received at `received` ends the agreement: the first anniversary at least the
    /// notice period away (Art. 21.3), or the notice period after receipt for an agreement without a term.
    static func effectiveDate(ofNoticeReceived received: Date, agreement: Agreement, entryIntoForce eif: Date) -> Date {
        let notice = Double(agreement.term.noticeDays) * 86_400
        guard let first = agreement.term.initialYears else { return received.addingTimeInterval(notice) }
        var years = first
        while true {
            let anniversary = Instant.midnight(yearsAfter: eif, years: years, offsetSeconds: agreement.term.utcOffsetSeconds)
            if anniversary.timeIntervalSince(received) >= notice { return anniversary }
            years += 1
        }
    }

    /// The last index whose start is at or before `instant` (index 0 starts at the distant past).
    @inline(__always)
    private static func lastIndex(count: Int, atOrBefore instant: Date, start: (Int) -> Date) -> Int {
        var low = 0
        var high = count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if start(mid) <= instant { low = mid } else { high = mid - 1 }
        }
        return low
    }
}
