import Foundation
import Testing
@testable import AccordCore

/// The bundled book, loaded once per process.
let bundledBook: PolicyBook = {
    do { return try BundledPolicy.load() } catch { fatalError("bundled agreements do not load: \(error)") }
}()

let KR = PartyCode("KR")!
let JP = PartyCode("JP")!
let US = PartyCode("US")!

/// An instant from ISO text; traps on a typo in a test, never on input under test.
func at(_ text: String) -> Date {
    guard let date = Instant.parse(text) else { fatalError("bad test instant \(text)") }
    return date
}

func label(_ text: String, book: PolicyBook = bundledBook) throws -> Label {
    try LabelParser(parties: book.parties).parse(text)
}

func decide(
    _ text: String, from sender: PartyCode, to recipient: PartyCode, at instant: String,
    purpose: String = "defence", objectID: String? = nil, consents: [Consent] = [], book: PolicyBook = bundledBook
) throws -> Decision {
    let request = ReleaseRequest(label: try label(text, book: book), sender: sender, recipient: recipient,
                                 purpose: purpose, instant: at(instant), objectID: objectID)
    return book.decide(request, consents: consents)
}

func reasonCodes(_ decision: Decision) -> [String] {
    if case .denied(let reasons) = decision { return reasons.map(\.code) }
    return []
}

/// SplitMix64: a tiny deterministic generator so that property tests reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
