/// Go's `time.Duration` text form, which `metav1.Duration` uses in JSON ("1h2m3.5s", "150ms", "0s").
enum GoDuration {
    /// Formats nanoseconds as Go's `Duration.String()` does.
    static func format(_ nanos: Int64) -> String {
        if nanos == 0 { return "0s" }
        let negative = nanos < 0
        let u = nanos.magnitude
        var text: String
        if u < 1_000_000_000 {
            let (unit, precision): (String, Int)
            if u < 1_000 { (unit, precision) = ("ns", 0) }
            else if u < 1_000_000 { (unit, precision) = ("µs", 3) }
            else { (unit, precision) = ("ms", 6) }
            text = fraction(u, precision) + unit
        } else {
            var rest = u / 1_000_000_000
            text = fraction(u % 1_000_000_000 + (rest % 60) * 1_000_000_000, 9) + "s"
            rest /= 60
            if rest > 0 {
                text = String(rest % 60) + "m" + text
                rest /= 60
                if rest > 0 { text = String(rest) + "h" + text }
            }
        }
        return negative ? "-" + text : text
    }

    /// `value / 10^precision` with the fraction's trailing zeros (and a bare point) dropped.
    private static func fraction(_ value: UInt64, _ precision: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<precision { scale *= 10 }
        let whole = value / scale
        var frac = value % scale
        guard frac != 0 else { return String(whole) }
        var digits = precision
        while frac % 10 == 0 { frac /= 10; digits -= 1 }
        let f = String(frac)
        return String(whole) + "." + String(repeating: "0", count: digits - f.count) + f
    }

    /// Parses Go's `time.ParseDuration` syntax ("1h30m", "1.5s", "-2m", "0"). Nil when invalid.
    static func parse(_ text: String) -> Int64? {
        var b = Array(text.utf8)[...]
        var negative = false
        if let first = b.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            b = b.dropFirst()
        }
        if b.elementsEqual("0".utf8) { return 0 }
        guard !b.isEmpty else { return nil }
        var total: Double = 0
        while !b.isEmpty {
            var number = 0.0
            var sawDigit = false
            while let c = b.first, c >= 0x30, c <= 0x39 {
                number = number * 10 + Double(c - 0x30); b = b.dropFirst(); sawDigit = true
            }
            if b.first == UInt8(ascii: ".") {
                b = b.dropFirst()
                var scale = 0.1
                while let c = b.first, c >= 0x30, c <= 0x39 {
                    number += Double(c - 0x30) * scale; scale /= 10; b = b.dropFirst(); sawDigit = true
                }
            }
            guard sawDigit else { return nil }
            var unitBytes: [UInt8] = []
            while let c = b.first, !(c >= 0x30 && c <= 0x39), c != UInt8(ascii: ".") {
                unitBytes.append(c); b = b.dropFirst()
            }
            let multiplier: Double
            switch String(decoding: unitBytes, as: UTF8.self) {
            case "ns": multiplier = 1
            case "us", "µs", "μs": multiplier = 1_000
            case "ms": multiplier = 1_000_000
            case "s": multiplier = 1_000_000_000
            case "m": multiplier = 60_000_000_000
            case "h": multiplier = 3_600_000_000_000
            default: return nil
            }
            total += number * multiplier
        }
        guard total < 9.2e18 else { return nil }
        let n = Int64(total.rounded())
        return negative ? -n : n
    }
}
