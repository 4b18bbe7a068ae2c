import Foundation

/// Strict ISO 8601 reading and writing, and calendar arithmetic on fixed UTC offsets, without
/// `Calendar` (deterministic, allocation-free and fast enough for the release hot path).
public enum Instant {
    /// Parses `YYYY-MM-DD` (midnight at `defaultOffset`) or `YYYY-MM-DDTHH:MM[:SS][.fff](Z|±HH:MM)`.
    public static func parse(_ text: some StringProtocol, defaultOffsetSeconds: Int = 0) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, bytes.count <= 40 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), bytes[4] == 0x2D, let month = number(5..<7), bytes[7] == 0x2D,
              let day = number(8..<10), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var seconds = 0
        var offset = defaultOffsetSeconds
        if bytes.count > 10 {
            guard bytes[10] == 0x54 || bytes[10] == 0x20, let hour = number(11..<13), bytes.count > 13, bytes[13] == 0x3A,
                  let minute = number(14..<16), hour < 24, minute < 60 else { return nil }
            seconds = hour * 3600 + minute * 60
            var index = 16
            if index < bytes.count, bytes[index] == 0x3A {
                guard let second = number(index + 1..<index + 3), second < 60 else { return nil }
                seconds += second
                index += 3
            }
            var fraction = 0.0
            if index < bytes.count, bytes[index] == 0x2E {
                var scale = 0.1
                index += 1
                let start = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                    fraction += Double(bytes[index] - 0x30) * scale
                    scale /= 10
                    index += 1
                }
                guard index > start else { return nil }
            }
            guard index < bytes.count else { return nil }
            if bytes[index] == 0x5A, index == bytes.count - 1 {
                offset = 0
            } else if bytes[index] == 0x2B || bytes[index] == 0x2D, bytes.count == index + 6, bytes[index + 3] == 0x3A,
                      let oh = number(index + 1..<index + 3), let om = number(index + 4..<index + 6), oh < 24, om < 60 {
                offset = (oh * 3600 + om * 60) * (bytes[index] == 0x2B ? 1 : -1)
            } else {
                return nil
            }
            let whole = daysFromCivil(year: year, month: month, day: day) * 86_400 + seconds - offset
            return Date(timeIntervalSince1970: Double(whole) + fraction)
        }
        return Date(timeIntervalSince1970: Double(daysFromCivil(year: year, month: month, day: day) * 86_400 + seconds - offset))
    }

    /// Writes `YYYY-MM-DDTHH:MM:SSZ`, or with the given offset (`+09:00`).
    public static func format(_ date: Date, offsetSeconds: Int = 0) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down)) + offsetSeconds
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = total - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if offsetSeconds == 0 {
            text += "Z"
        } else {
            let magnitude = abs(offsetSeconds)
            text += (offsetSeconds > 0 ? "+" : "-") + "\(pad(magnitude / 3600, 2)):\(pad(magnitude / 60 % 60, 2))"
        }
        return text
    }

    /// Writes the calendar date `YYYY-MM-DD` of an instant on a clock with this offset.
    public static func formatDate(_ date: Date, offsetSeconds: Int = 0) -> String {
        String(format(date, offsetSeconds: offsetSeconds).prefix(10))
    }

    /// Local midnight `years` after the local calendar date of `date`, on a clock with this offset.
    /// 29 February becomes 28 February in a year without it.
    static func midnight(yearsAfter date: Date, years: Int, offsetSeconds: Int) -> Date {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + offsetSeconds
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let (year, month, day) = civil(fromDays: days)
        let targetDay = min(day, daysIn(month: month, year: year + years))
        let target = daysFromCivil(year: year + years, month: month, day: targetDay) * 86_400 - offsetSeconds
        return Date(timeIntervalSince1970: Double(target))
    }

    /// Parses `+09:00` / `-05:00` / `Z` into seconds east of UTC.
    static func parseOffset(_ text: String) -> Int? {
        if text == "Z" || text == "+00:00" { return 0 }
        guard let date = parse("1970-01-01T00:00" + text) else { return nil }
        return -Int(date.timeIntervalSince1970)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days-from-civil algorithm (proleptic Gregorian calendar).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(fromDays days: Int) -> (Int, Int, Int) {
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
