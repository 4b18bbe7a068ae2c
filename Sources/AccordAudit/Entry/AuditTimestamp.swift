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

    /// ISO 8601 in UTC with milliseconds, e.g. `2019-08-22T09:30:00.000Z`.
    public var description: String {
        date.formatted(
            Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .gmt)
                .year().month().day().time(includingFractionalSeconds: true)
        )
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
