import AccordCore
import ArgumentParser
import Foundation

/// Options shared by commands that read agreements.
struct PolicyOptions: ParsableArguments {
    @Option(name: .customLong("agreements"), help: "A directory with parties.json, agreements/ and notes/ (default: the bundled ones).")
    var directory: String?

    /// Loads the bundled book, or the one in `--agreements`.
    func load() throws -> PolicyBook {
        do {
            if let directory { return try BundledPolicy.load(directory: URL(fileURLWithPath: directory)) }
            return try BundledPolicy.load()
        } catch {
            throw InputError("cannot load agreements: \(error.description)")
        }
    }
}

/// Parses `--at` values: a date (`2019-11-22`, midnight UTC) or an ISO 8601 instant.
func parseInstant(_ text: String, option: String = "--at") throws -> Date {
    guard let date = Instant.parse(text) else {
        throw InputError("\(option) '\(text)' is not a date (YYYY-MM-DD) or an ISO 8601 instant (2019-11-22T18:00:00+09:00)")
    }
    return date
}

/// Parses a party code that must be known to the book.
func parseParty(_ text: String, option: String, book: PolicyBook) throws -> PartyCode {
    guard let code = PartyCode(text), book.parties[code] != nil else {
        let known = book.parties.all.map(\.code.rawValue).joined(separator: ", ")
        throw InputError("\(option) '\(text)' is not a known party (known: \(known))")
    }
    return code
}

/// Writes an `Encodable` value as one line of JSON with sorted keys.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Bad input on the command line or in a file it names: printed as one line, exit status 1.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
