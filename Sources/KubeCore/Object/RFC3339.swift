import FoundationEssentials

/// RFC 3339 timestamps as Kubernetes writes them: `metav1.Time` ("2006-01-02T15:04:05Z",
/// UTC, whole seconds) and `metav1.MicroTime` ("2006-01-02T15:04:05.000000Z").
///
/// The calendar arithmetic is done here (days-from-civil, proleptic Gregorian) so that
/// nothing beyond FoundationEssentials' `Date` is needed.
public enum RFC3339 {
    /// `metav1.Time` form: UTC, whole seconds (fraction truncated), `Z` suffix.
    public static func format(_ date: Date) -> String {
        let (seconds, _) = split(date)
        return civilString(seconds)
    }

    /// `metav1.MicroTime` form: UTC with exactly six fractional digits.
    public static func formatMicro(_ date: Date) -> String {
        let (seconds, micros) = split(date)
        var text = civilString(seconds)
        text.removeLast() // "Z"
        text += "." + pad(micros, 6) + "Z"
        return text
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (`t`/`z` accepted too, and a space
    /// for `T`). Returns nil for anything else, including out-of-range fields.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20 else { return nil }
        func digits(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= b.count else { return nil }
            var n = 0
            for i in at..<(at + count) {
                let c = b[i]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                n = n * 10 + Int(c - 0x30)
            }
            return n
        }
        guard let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2), b[7] == UInt8(ascii: "-"),
              let day = digits(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              let hour = digits(11, 2), b[13] == UInt8(ascii: ":"), let minute = digits(14, 2), b[16] == UInt8(ascii: ":"),
              let second = digits(17, 2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilCalendar.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            if i == start { return nil }
        }
        guard i < b.count else { return nil }
        var offsetSeconds = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard let oh = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"), let om = digits(i + 4, 2),
                  oh < 24, om < 60 else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = CivilCalendar.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Whole seconds since the epoch (floored) and the microseconds within that second.
    private static func split(_ date: Date) -> (Int64, Int) {
        let interval = date.timeIntervalSince1970
        let seconds = interval.rounded(.down)
        var micros = Int(((interval - seconds) * 1_000_000).rounded(.down))
        if micros > 999_999 { micros = 999_999 }
        if micros < 0 { micros = 0 }
        guard seconds.isFinite, abs(seconds) < 1e15 else { return (0, 0) }
        return (Int64(seconds), micros)
    }

    private static func civilString(_ seconds: Int64) -> String {
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let (year, month, day) = CivilCalendar.civilFromDays(Int(days))
        let r = Int(rest)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
            + pad(r / 3600, 2) + ":" + pad(r / 60 % 60, 2) + ":" + pad(r % 60, 2) + "Z"
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let text = String(n)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
