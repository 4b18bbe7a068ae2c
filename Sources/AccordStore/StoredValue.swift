import AccordCore
import Foundation

/// How both backends turn values into columns and back; shared so they agree byte for byte.
public enum StoredValue {
    /// An instant as whole microseconds since 1970 (the precision both databases keep).
    public static func microseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard value.isFinite else { return 0 }
        if value >= 9.2e18 { return Int64.max }
        if value <= -9.2e18 { return Int64.min }
        return Int64(value)
    }

    /// The instant `microseconds` after 1970.
    public static func date(microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    /// An inbox id prefix both backends can read by (``NodeStore/inboxEnvelopes(idPrefix:)``), as its UTF-8 bytes.
    /// - Throws: ``StoreError/Code/invalid`` unless it is printable ASCII and not empty.
    public static func inboxPrefix(_ prefix: String) throws(StoreError) -> String.UTF8View {
        guard !prefix.isEmpty, prefix.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw StoreError(.invalid, "an inbox id prefix must be printable ASCII and not empty, got '\(prefix)'")
        }
        return prefix.utf8
    }

    /// A party code read from a column.
    /// - Throws: ``StoreError/Code/corrupt`` naming `what` if it is not a party code.
    public static func party(_ text: String, _ what: @autoclosure () -> String) throws(StoreError) -> PartyCode {
        guard let code = PartyCode(text) else { throw StoreError(.corrupt, "\(what()) has no valid party code") }
        return code
    }

    /// Topics read from a column (comma-separated).
    public static func topics(_ text: String, _ what: @autoclosure () -> String) throws(StoreError) -> [Topic] {
        guard !text.isEmpty else { return [] }
        var topics = [Topic]()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let topic = Topic(part) else { throw StoreError(.corrupt, "\(what()) has an invalid topic") }
            topics.append(topic)
        }
        return topics
    }

    /// Topics as a column value.
    public static func topicsText(_ topics: [Topic]) -> String { topics.map(\.rawValue).joined(separator: ",") }

    /// A value as canonical JSON (sorted keys).
    public static func json(_ value: some Encodable, _ what: @autoclosure () -> String) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError(.invalid, "\(what()) cannot be encoded as JSON")
        }
    }

    /// A value decoded from stored JSON.
    /// - Throws: ``StoreError/Code/corrupt`` if it does not decode.
    public static func decode<T: Decodable>(_ type: T.Type, json: String, _ what: @autoclosure () -> String) throws(StoreError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(json.utf8))
        } catch {
            throw StoreError(.corrupt, "\(what()) does not decode as stored JSON")
        }
    }
}
