import KubeCore

/// `metav1.Time` / `metav1.MicroTime` between protobuf `Timestamp` (seconds, nanos) and
/// their JSON text. Integer arithmetic, so no precision is lost to `Date`'s Double.
enum ProtobufTimestamp {
    /// "2006-01-02T15:04:05Z" (Time: whole seconds, as Go's `Time.MarshalJSON`),
    /// or with `.000000` micros (MicroTime).
    static func format(seconds: Int64, nanos: Int32, micro: Bool) -> String {
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let (year, month, day) = CivilCalendar.civilFromDays(Int(clamping: days))
        let r = Int(rest)
        // Written digit by digit into one buffer: a pod carries a dozen timestamps, and
        // building each from small strings showed up when decoding large lists.
        var out: [UInt8] = []
        out.reserveCapacity(27)
        if year < 0 || year > 9999 {
            out.append(contentsOf: String(year).utf8)
        } else {
            digits(year, 4, &out)
        }
        out.append(UInt8(ascii: "-")); digits(month, 2, &out)
        out.append(UInt8(ascii: "-")); digits(day, 2, &out)
        out.append(UInt8(ascii: "T")); digits(r / 3600, 2, &out)
        out.append(UInt8(ascii: ":")); digits(r / 60 % 60, 2, &out)
        out.append(UInt8(ascii: ":")); digits(r % 60, 2, &out)
        if micro {
            out.append(UInt8(ascii: "."))
            digits(Int(max(0, min(nanos, 999_999_999))) / 1000, 6, &out)
        }
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value` (non-negative, below 10^width) as exactly `width` digits.
    private static func digits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
            v %= divisor
            divisor /= 10
        }
    }

    /// Seconds and nanoseconds of an RFC 3339 text; nil when it does not parse.
    static func parse(_ text: String) -> (seconds: Int64, nanos: Int32)? {
        guard let date = RFC3339.parse(text) else { return nil }
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        guard whole.isFinite, abs(whole) < 1e15 else { return nil }
        // Parse the fraction digits exactly instead of trusting the Double.
        var nanos: Int32 = 0
        if let dot = text.utf8.firstIndex(of: UInt8(ascii: ".")) {
            var digits = 0
            for c in text.utf8[text.utf8.index(after: dot)...] {
                guard c >= 0x30, c <= 0x39 else { break }
                if digits < 9 { nanos = nanos * 10 + Int32(c - 0x30) }
                digits += 1
            }
            while digits < 9 { nanos *= 10; digits += 1 }
        }
        return (Int64(whole), nanos)
    }
}
