import AccordCore
import ArgumentParser
import Foundation

/// The first part of `accord demo`: every agreement's state and the KR→JP / JP→KR decision on each
/// key date of 2014–2023, from the bundled agreements, and the counterfactual where the 2019 notice
/// is never suspended. Checks each decision against what the agreements require.
struct PolicyReplay {
    /// A date of the history and the route Accord must choose for KR→JP and JP→KR missile reports then.
    struct Step {
        let instant: String
        let title: String
        let expected: String
        let counterfactual: String
        var counterfactualTitle: String? = nil
    }

    static let steps = [
        Step(instant: "2014-06-01T12:00:00+09:00", title: "Before TISA: only the two bilateral agreements with the US", expected: "denied", counterfactual: "denied"),
        Step(instant: "2015-06-01T12:00:00+09:00", title: "Under TISA: the US relays, with the originator's consent", expected: "via", counterfactual: "via"),
        Step(instant: "2016-11-23T12:00:00+09:00", title: "GSOMIA signed in Seoul and in force the same day", expected: "direct", counterfactual: "direct"),
        Step(instant: "2019-08-23T12:00:00+09:00", title: "Korea's notice of termination, handed to Ambassador Nagamine", expected: "direct", counterfactual: "direct"),
        Step(instant: "2019-11-22T17:00:00+09:00", title: "Seven hours before the lapse", expected: "direct", counterfactual: "direct"),
        Step(instant: "2019-11-23T12:00:00+09:00", title: "The morning after: the notice was suspended at 18:00", expected: "direct", counterfactual: "via",
             counterfactualTitle: "The morning after: GSOMIA lapsed at 00:00, Korea and Japan fall back on TISA"),
        Step(instant: "2021-06-01T12:00:00+09:00", title: "2020–2022: deadlines pass, the notice stays suspended", expected: "direct", counterfactual: "via",
             counterfactualTitle: "2021: no GSOMIA; everything goes through the US"),
        Step(instant: "2023-03-22T12:00:00+09:00", title: "Both 2019 notes withdrawn: GSOMIA normalised", expected: "direct", counterfactual: "via",
             counterfactualTitle: "2023: nothing left to withdraw; a new agreement would be needed"),
        Step(instant: "2023-12-19T12:00:00+09:00", title: "Trilateral real-time missile-warning mechanism activated", expected: "direct", counterfactual: "via"),
    ]

    /// Prints the replay; returns the decisions that were not the expected ones.
    func run(book: PolicyBook) throws -> [String] {
        let neverSuspended = try Self.neverSuspended(book)
        let parser = LabelParser(parties: book.parties)
        let reports = [
            (sender: "KR", recipient: "JP", label: try parser.parse("KR//II//REL TO JP,US//TOPIC nk-missile")),
            (sender: "JP", recipient: "KR", label: try parser.parse("JP//GOKUHI//REL TO KR,US//TOPIC nk-missile")),
        ]

        print("Accord demo: the KR–JP GSOMIA, 2014–2023, decided from the bundled agreements and notes\n")
        var failures: [String] = []
        for (title, book, expectation) in [
            ("What happened", book, \Step.expected),
            ("Counterfactual: the 2019 notice is never suspended", neverSuspended, \Step.counterfactual),
        ] as [(String, PolicyBook, KeyPath<Step, String>)] {
            print("== \(title) ==")
            for step in Self.steps {
                let instant = try parseInstant(step.instant)
                let stepTitle = expectation == \Step.counterfactual ? step.counterfactualTitle ?? step.title : step.title
                print("\n\(Instant.formatDate(instant, offsetSeconds: 9 * 3600))  \(stepTitle)")
                let states = book.histories.map { "\($0.agreement.shortName): \($0.state(at: instant).name)" }
                print("  " + states.joined(separator: " · "))
                for report in reports {
                    let request = ReleaseRequest(label: report.label, sender: PartyCode(report.sender)!, recipient: PartyCode(report.recipient)!,
                                                 purpose: "missile-warning", instant: instant)
                    let decision = book.decide(request)
                    print("  \(report.sender)→\(report.recipient)  \(describe(decision, request: request))")
                    if decision.kind != step[keyPath: expectation] {
                        failures.append("\(title), \(step.instant), \(report.sender)→\(report.recipient): expected \(step[keyPath: expectation]), got \(decision.kind)")
                    }
                }
            }
            print("")
        }
        if failures.isEmpty {
            print("All \(Self.steps.count * 4) decisions are the ones the agreements require.")
        }
        return failures
    }

    /// The book with the 2019 suspension and the 2023 withdrawal removed.
    static func neverSuspended(_ book: PolicyBook) throws -> PolicyBook {
        guard let gsomia = book.history("kr-jp-gsomia-2016") else { throw InputError("the agreements have no kr-jp-gsomia-2016") }
        return try book.replacingNotes(of: gsomia.agreement.id, with: gsomia.notes.filter { note in
            if case .suspensionOfNotice = note.kind { return false }
            if case .withdrawalOfNotice = note.kind { return false }
            return true
        })
    }

    private func describe(_ decision: Decision, request: ReleaseRequest) -> String {
        switch decision {
        case .direct(let agreement, let level):
            return "direct under \(agreement); \(request.recipient) marks it \(level.nativeName)"
        case .viaIntermediary(let route, _, let level, _):
            return "via \(route.map(\.rawValue).joined(separator: "→")) under TISA with \(request.label.originator)'s consent; \(request.recipient) marks it \(level.nativeName)"
        case .denied(let reasons):
            return "DENIED: " + reasons.map(\.description).joined(separator: "; ")
        }
    }
}
