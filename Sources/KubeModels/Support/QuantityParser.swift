/// Parses Kubernetes quantity strings (`resource.ParseQuantity`).
enum QuantityParser {
    static func parse(_ text: String) throws(QuantityError) -> (DecimalValue, Quantity.Format) {
        let bytes = Array(text.utf8)
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == 43 || bytes[i] == 45 {  // + -
            negative = bytes[i] == 45
            i += 1
        }
        var digits: [UInt8] = []
        var fractionCount = 0
        var sawDigit = false
        while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
            digits.append(bytes[i] - 48)
            sawDigit = true
            i += 1
        }
        if i < bytes.count, bytes[i] == 46 {  // .
            i += 1
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                digits.append(bytes[i] - 48)
                fractionCount += 1
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit else { throw QuantityError(text: text) }
        let suffix = String(decoding: bytes[i...], as: UTF8.self)
        var exponent = -fractionCount
        let format: Quantity.Format
        if let e = decimalSuffixes[suffix] {
            exponent += e
            format = .decimalSI
        } else if let k = binarySuffixes[suffix] {
            for _ in 0..<k { digits = DecimalValue.multiply(digits, by: 1024) }
            format = .binarySI
        } else if let e = decimalExponent(suffix) {
            exponent += e
            format = .decimalExponent
        } else {
            throw QuantityError(text: text)
        }
        var value = DecimalValue(negative: negative, digits: digits, exponent: exponent)
        // Kubernetes keeps at most nano precision and rounds the rest up (away from zero).
        if !value.isZero, value.exponent < -9 {
            let cut = -9 - value.exponent
            var kept = cut < value.digits.count ? Array(value.digits[0..<(value.digits.count - cut)]) : []
            kept = kept.isEmpty ? [1] : addOne(kept)
            value = DecimalValue(negative: value.negative, digits: kept, exponent: -9)
        }
        return (value, format)
    }

    static let decimalSuffixes: [String: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    static let binarySuffixes: [String: Int] = ["Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6]

    /// "e3", "E-2", "e+4" -> exponent.
    static func decimalExponent(_ suffix: String) -> Int? {
        guard let first = suffix.first, first == "e" || first == "E" else { return nil }
        var rest = suffix.dropFirst()
        var sign = 1
        if let s = rest.first, s == "+" || s == "-" {
            sign = s == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty, rest.count <= 4, rest.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(rest) else {
            return nil
        }
        return sign * n
    }

    static func addOne(_ digits: [UInt8]) -> [UInt8] {
        var d = digits
        var i = d.count - 1
        while i >= 0 {
            if d[i] < 9 {
                d[i] += 1
                return d
            }
            d[i] = 0
            i -= 1
        }
        return [1] + d
    }
}

/// Writes a quantity the way the API server does (`Quantity.String()` / `CanonicalizeBytes`).
enum QuantityFormatter {
    static func canonical(_ value: DecimalValue, format: Quantity.Format) -> String {
        if value.isZero { return "0" }
        let sign = value.negative ? "-" : ""
        if format == .binarySI, value.exponent >= 0,
           DecimalValue.compareMagnitude(value, DecimalValue(negative: false, digits: [1, 0, 2, 4], exponent: 0)) >= 0
        {
            // Integer at least 1024: take out as many factors of 1024 as divide it exactly.
            var digits = value.integerDigits
            var k = 0
            while k < 6 {
                let (q, r) = DecimalValue.divide(digits, by: 1024)
                if r != 0 || q.isEmpty { break }
                digits = q
                k += 1
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][k]
            return sign + value.digitString(digits) + suffix
        }
        // Decimal: exponent rounded down to a multiple of 3 so the number stays an integer.
        var e = value.exponent
        let mod = ((e % 3) + 3) % 3
        e -= mod
        if format != .decimalExponent, e > 18 { e = 18 }
        let digits = value.digits + [UInt8](repeating: 0, count: value.exponent - e)
        let number = value.digitString(digits)
        if format == .decimalExponent {
            return sign + number + (e == 0 ? "" : "e\(e)")
        }
        let suffix: String
        switch e {
        case -9: suffix = "n"
        case -6: suffix = "u"
        case -3: suffix = "m"
        case 3: suffix = "k"
        case 6: suffix = "M"
        case 9: suffix = "G"
        case 12: suffix = "T"
        case 15: suffix = "P"
        case 18: suffix = "E"
        default: suffix = ""
        }
        return sign + number + suffix
    }
}
