import KubeCore

/// RFC 3339 timestamps as the API uses them, without Foundation's formatters
/// (library modules may not import Foundation, and these are on the decode hot path).
enum RFC3339Codec {
    /// Seconds since 1970 (UTC) and nanoseconds, or nil when `text` is not RFC 3339.
    /// Accepts any number of fraction digits and `Z` or a `±hh:mm` offset.
    static func parse(_ text: String) -> (seconds: Int64, nanoseconds: Int32)? {
        let utf8 = text.utf8
        return utf8.withContiguousStorageIfAvailable { parse(bytes: $0) } ?? {
            let copy = Array(text.utf8)
            return copy.withUnsafeBufferPointer { parse(bytes: $0) }
        }()
    }

    private static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> (seconds: Int64, nanoseconds: Int32)? {
        guard b.count >= 20 else { return nil }
        func digits(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for i in start..<start + count {
                let c = b[i]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard let year = digits(0, 4), b[4] == 45, let month = digits(5, 2), b[7] == 45, let day = digits(8, 2),
              b[10] == 84 || b[10] == 116 || b[10] == 32,
              let hour = digits(11, 2), b[13] == 58, let minute = digits(14, 2), b[16] == 58,
              let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilCalendar.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var nanos = 0
        if b[i] == 46 {  // '.'
            i += 1
            var scale = 100_000_000
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                nanos += Int(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        switch b[i] {
        case 90, 122:  // 'Z', 'z'
            i += 1
        case 43, 45:  // '+', '-'
            guard b.count - i == 6, let oh = digits(i + 1, 2), b[i + 3] == 58, let om = digits(i + 4, 2),
                  oh < 24, om < 60
            else { return nil }
            offset = (oh * 60 + om) * 60 * (b[i] == 45 ? -1 : 1)
            i += 6
        default:
            return nil
        }
        guard i == b.count else { return nil }
        let days = CivilCalendar.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return (seconds, Int32(nanos))
    }

    /// UTC text with `fractionDigits` digits of fraction (0: none), ending in `Z`.
    static func format(seconds: Int64, nanoseconds: Int32, fractionDigits: Int) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = CivilCalendar.civilFromDays(Int(days))
        var out = ""
        out.reserveCapacity(32)
        func pad(_ value: Int, _ width: Int) {
            let text = String(value)
            if text.count < width { out += String(repeating: "0", count: width - text.count) }
            out += text
        }
        pad(year, 4); out += "-"; pad(month, 2); out += "-"; pad(day, 2); out += "T"
        pad(secondOfDay / 3600, 2); out += ":"; pad(secondOfDay / 60 % 60, 2); out += ":"; pad(secondOfDay % 60, 2)
        if fractionDigits > 0 {
            var divisor = 1
            for _ in 0..<(9 - fractionDigits) { divisor *= 10 }
            out += "."
            pad(Int(nanoseconds) / divisor, fractionDigits)
        }
        out += "Z"
        return out
    }
}
