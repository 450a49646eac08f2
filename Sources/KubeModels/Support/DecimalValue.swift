/// An exact decimal: ±digits × 10^exponent, normalized so equal values are equal
/// structurally (no leading or trailing zeros in `digits`; zero is `[]`, exponent 0).
struct DecimalValue: Sendable, Hashable, Comparable {
    var negative: Bool
    /// Most significant first, each 0...9.
    var digits: [UInt8]
    var exponent: Int

    init(negative: Bool, digits: [UInt8], exponent: Int) {
        var d = digits
        var e = exponent
        var lead = 0
        while lead < d.count, d[lead] == 0 { lead += 1 }
        if lead > 0 { d.removeFirst(lead) }
        while let last = d.last, last == 0 {
            d.removeLast()
            e += 1
        }
        self.digits = d
        self.exponent = d.isEmpty ? 0 : e
        self.negative = d.isEmpty ? false : negative
    }

    var isZero: Bool { digits.isEmpty }

    /// Position of the most significant digit: value is in [10^(m-1), 10^m).
    var magnitude: Int { digits.count + exponent }

    static func < (a: DecimalValue, b: DecimalValue) -> Bool {
        if a.negative != b.negative { return a.negative }
        let less = compareMagnitude(a, b) < 0
        return a.negative ? compareMagnitude(a, b) > 0 : less
    }

    /// -1, 0, 1 comparing absolute values.
    static func compareMagnitude(_ a: DecimalValue, _ b: DecimalValue) -> Int {
        if a.isZero || b.isZero { return a.isZero ? (b.isZero ? 0 : -1) : 1 }
        if a.magnitude != b.magnitude { return a.magnitude < b.magnitude ? -1 : 1 }
        let n = max(a.digits.count, b.digits.count)
        for i in 0..<n {
            let x = i < a.digits.count ? a.digits[i] : 0
            let y = i < b.digits.count ? b.digits[i] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    /// digits × factor (factor small).
    static func multiply(_ digits: [UInt8], by factor: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: digits.count)
        var carry = 0
        for i in stride(from: digits.count - 1, through: 0, by: -1) {
            let p = Int(digits[i]) * factor + carry
            out[i] = UInt8(p % 10)
            carry = p / 10
        }
        var prefix: [UInt8] = []
        while carry > 0 {
            prefix.insert(UInt8(carry % 10), at: 0)
            carry /= 10
        }
        return prefix + out
    }

    /// (digits / divisor, digits % divisor) for an integer given as digits.
    static func divide(_ digits: [UInt8], by divisor: Int) -> ([UInt8], Int) {
        var out: [UInt8] = []
        out.reserveCapacity(digits.count)
        var rem = 0
        for d in digits {
            let cur = rem * 10 + Int(d)
            let q = cur / divisor
            rem = cur % divisor
            if !(out.isEmpty && q == 0) { out.append(UInt8(q)) }
        }
        return (out, rem)
    }

    /// All digits of the integer value (exponent must be >= 0).
    var integerDigits: [UInt8] { digits + [UInt8](repeating: 0, count: max(exponent, 0)) }

    /// The value in units of 10^scale, rounded up (away from zero), when it fits Int64.
    func scaledInteger(exponent scale: Int) -> Int64? {
        if isZero { return 0 }
        let shift = exponent - scale
        var whole: [UInt8]
        var roundUp = false
        if shift >= 0 {
            guard digits.count + shift <= 19 else { return nil }
            whole = digits + [UInt8](repeating: 0, count: shift)
        } else {
            let keep = digits.count + shift
            whole = keep > 0 ? Array(digits[0..<keep]) : []
            roundUp = true  // normalized digits end in non-zero, so something was cut
        }
        var v: Int64 = 0
        for d in whole {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            v = s
        }
        if roundUp {
            let (s, o) = v.addingReportingOverflow(1)
            if o { return nil }
            v = s
        }
        return negative ? -v : v
    }

    var doubleValue: Double {
        var v = 0.0
        for d in digits { v = v * 10 + Double(d) }
        var p = 1.0
        for _ in 0..<abs(exponent) { p *= 10 }
        v = exponent >= 0 ? v * p : v / p
        return negative ? -v : v
    }

    func digitString(_ digits: [UInt8]) -> String {
        digits.isEmpty ? "0" : String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
    }
}
