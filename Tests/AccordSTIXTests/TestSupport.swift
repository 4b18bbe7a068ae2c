import AccordCore
import Foundation
import Testing
@testable import AccordSTIX

/// The bundled book, loaded once per process.
let book: PolicyBook = {
    do { return try BundledPolicy.load() } catch { fatalError("bundled agreements do not load: \(error)") }
}()

let KR = PartyCode("KR")!
let JP = PartyCode("JP")!
let US = PartyCode("US")!

func label(_ text: String, created: String? = nil) throws -> Label {
    let parsed = try LabelParser(parties: book.parties).parse(text)
    return parsed.created(at: created.map { stamp($0).date })
}

/// A timestamp from test text; traps on a typo in a test, never on input under test.
func stamp(_ text: String) -> STIXTimestamp {
    guard let value = STIXTimestamp(text) else { fatalError("bad test timestamp \(text)") }
    return value
}

func json(_ text: String) throws -> JSONValue { try JSONReader().parse(text) }

/// A valid indicator's properties, to be broken one field at a time.
func indicatorProperties(id: String = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                         created: String = "2016-04-06T20:03:48.000Z", modified: String = "2016-04-06T20:03:48.000Z") -> [String: JSONValue] {
    [
        "type": "indicator", "spec_version": "2.1", "id": .string(id), "created": .string(created), "modified": .string(modified),
        "name": "Poison Ivy Malware", "pattern": "[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']",
        "pattern_type": "stix", "valid_from": "2016-01-01T00:00:00Z",
    ]
}

/// The error a throwing expression raised, if it was a `STIXError`.
func stixError(_ body: () throws -> Void) -> STIXError? {
    do { try body() } catch let error as STIXError { return error } catch { return nil }
    return nil
}

/// SplitMix64: a tiny deterministic generator so that fuzz loops reproduce.
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
