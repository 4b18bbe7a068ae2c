import Foundation

/// An instant in the audit log: whole milliseconds since 1970-01-01T00:00:00Z, as RFC 9162
/// timestamps are. The log never reads a clock; callers pass the instant in.
public struct AuditTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch.
    public let millisecondsSince1970: UInt64

    /// Wraps a count of milliseconds since the Unix epoch.
    public init(millisecondsSince1970: UInt64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// Truncates a `Date` to whole milliseconds; instants before 1970 become the epoch.
    public init(_ date: Date) {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
        millisecondsSince1970 = milliseconds > 0 ? UInt64(milliseconds) : 0
    }

    /// The instant as a `Date`.
    public var date: Date {
        Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000)
    }

    /// ISO 8601 in UTC with milliseconds, e.g. `2019-08-22T09:30:00.000Z` (computed with
    /// integer calendar arithmetic, so it is exact and independent of locale and time zone).
    public var description: String {
        let millisecond = millisecondsSince1970 % 1000
        let seconds = millisecondsSince1970 / 1000
        let days = Int64(seconds / 86_400)
        let secondOfDay = seconds % 86_400
        // Howard Hinnant's civil_from_days, for days since 1970-01-01.
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: some BinaryInteger, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(millisecond, 3))Z"
    }

    /// This instant plus `milliseconds` (saturating).
    public func adding(milliseconds: UInt64) -> AuditTimestamp {
        let (sum, overflow) = millisecondsSince1970.addingReportingOverflow(milliseconds)
        return AuditTimestamp(millisecondsSince1970: overflow ? .max : sum)
    }

    /// Orders by instant.
    public static func < (lhs: AuditTimestamp, rhs: AuditTimestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }
}
