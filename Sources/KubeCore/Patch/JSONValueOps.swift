/// Helpers for the patch algorithms: in-place mutation without copy-on-write copies,
/// and RFC 6902 value equality.
enum JSONValueOps {
    /// Runs `body` on the dictionary inside an `.object`, mutating it in place: the enum's
    /// reference is dropped first so the dictionary storage stays uniquely referenced.
    /// Returns false (and does nothing) when `value` is not an object.
    @inline(__always)
    static func withObject<R, E: Error>(_ value: inout JSON, _ body: (inout [String: JSON]) throws(E) -> R) throws(E) -> R? {
        guard case .object(var dict) = value else { return nil }
        value = .null
        defer { value = .object(dict) }
        return try body(&dict)
    }

    /// Same as `withObject` for `.array`.
    @inline(__always)
    static func withArray<R, E: Error>(_ value: inout JSON, _ body: (inout [JSON]) throws(E) -> R) throws(E) -> R? {
        guard case .array(var array) = value else { return nil }
        value = .null
        defer { value = .array(array) }
        return try body(&array)
    }

    /// JSON equality where numbers compare by value (`1` equals `1.0`), as RFC 6902 `test` requires.
    static func equal(_ a: JSON, _ b: JSON) -> Bool {
        switch (a, b) {
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)):
            return Double(x) == y
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return false }
            for i in x.indices where !equal(x[i], y[i]) { return false }
            return true
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for (key, value) in x {
                guard let other = y[key], equal(value, other) else { return false }
            }
            return true
        default:
            return a == b
        }
    }
}
