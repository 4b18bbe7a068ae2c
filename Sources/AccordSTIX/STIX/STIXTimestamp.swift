import Foundation

/// A STIX 2.1 timestamp: `YYYY-MM-DDTHH:MM:SS[.s+]Z`, always UTC, with the precision written
/// (up to nanoseconds here). Comparison is exact: `2016-01-01T00:00:00.1Z` is after `…00Z`.
public struct STIXTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int64
    /// Nanoseconds within the second.
    public let nanoseconds: Int32
    /// The text as written (parsed) or made (millisecond precision).
    public let text: String

    /// Reads a STIX timestamp; `nil` if the text does not follow the syntax exactly.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 30, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), bytes[4] == UInt8(ascii: "-"), let month = number(5..<7), bytes[7] == UInt8(ascii: "-"),
              let day = number(8..<10), bytes[10] == UInt8(ascii: "T"), let hour = number(11..<13), bytes[13] == UInt8(ascii: ":"),
              let minute = number(14..<16), bytes[16] == UInt8(ascii: ":"), let second = number(17..<19),
              (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var nanos = 0
        if bytes.count > 20 {
            // A fraction: '.', one to nine digits, then 'Z'.
            let digits = bytes.count - 21
            guard bytes[19] == UInt8(ascii: "."), (1...9).contains(digits), let fraction = number(20..<(20 + digits)) else { return nil }
            nanos = fraction
            for _ in digits..<9 { nanos *= 10 }
        }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        self.seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.nanoseconds = Int32(nanos)
        self.text = String(text)
    }

    /// The instant at millisecond precision (`2016-05-12T08:17:27.000Z`), as STIX asks for `created`/`modified`.
    public init(_ date: Date) {
        let totalMillis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let millis = Int((totalMillis % 1000 + 1000) % 1000)
        let seconds = (totalMillis - Int64(millis)) / 1000
        self.seconds = seconds
        self.nanoseconds = Int32(millis * 1_000_000)
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        self.text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(millis, 3))Z"
    }

    /// The instant as a `Date` (to the precision a `Double` holds).
    public var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9) }

    public var description: String { text }

    public static func < (lhs: STIXTimestamp, rhs: STIXTimestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// Equal when they name the same instant, whatever precision they were written with.
    public static func == (lhs: STIXTimestamp, rhs: STIXTimestamp) -> Bool {
        lhs.seconds == rhs.seconds && lhs.nanoseconds == rhs.nanoseconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(seconds)
        hasher.combine(nanoseconds)
    }

    /// Reads a required timestamp property of `object`.
    static func read(_ object: [String: JSONValue], _ name: String) throws(STIXError) -> STIXTimestamp {
        guard let value = object[name] else { throw STIXError(.missingProperty, field: name, "is required") }
        return try read(value, field: name)
    }

    /// Reads a timestamp from a JSON value.
    static func read(_ value: JSONValue, field: String) throws(STIXError) -> STIXTimestamp {
        guard let text = value.stringValue else {
            throw STIXError(.invalidTimestamp, field: field, "must be a timestamp string, not \(value.typeName)")
        }
        guard let stamp = STIXTimestamp(text) else {
            throw STIXError(.invalidTimestamp, field: field, "\(excerpt(text)) is not a STIX timestamp (YYYY-MM-DDTHH:MM:SS[.fraction]Z, UTC)")
        }
        return stamp
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
