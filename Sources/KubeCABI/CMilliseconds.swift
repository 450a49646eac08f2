import CKubeABI

/// The C API's one time unit: `int64_t` milliseconds (kubeclient.h, "Time"). Conversions
/// only; which value a zero stands for is decided by the Swift type the thunk fills.
enum CMilliseconds {
    /// KC_MAX_DURATION_MS: longer spans are clamped to it.
    static let max: Int64 = 1_000_000_000_000

    /// A non-negative span as a Duration, clamped; negative is KC_ERR_INVALID_ARGUMENT.
    static func span(_ ms: Int64, _ field: String) throws(CABIError) -> Duration {
        if ms < 0 { throw .invalidArgument("\(field) is negative") }
        return .milliseconds(min(ms, max))
    }

    /// A span where 0 means "not set" (the Swift side's default): nil for 0.
    static func optionalSpan(_ ms: Int64, _ field: String) throws(CABIError) -> Duration? {
        ms == 0 ? nil : try span(ms, field)
    }

    /// A blocking wait's timeout: < 0 is "no limit" (nil), else the clamped span.
    static func timeout(_ ms: Int64) -> Duration? {
        ms < 0 ? nil : .milliseconds(min(ms, max))
    }

    /// A delay where <= 0 means "at once".
    static func delay(_ ms: Int64) -> Duration {
        .milliseconds(Swift.max(0, min(ms, max)))
    }

    /// Whole seconds for an API field counted in seconds, rounded up (1 ms is 1 s, not 0,
    /// which the server would read as "not set" or "immediately").
    static func wholeSecondsRoundingUp(_ ms: Int64) -> Int {
        let clamped = min(Swift.max(ms, 0), max)
        return Int((clamped + 999) / 1000)
    }

    /// A measured duration as the double milliseconds of the metrics structs.
    static func measured(_ duration: Duration) -> Double { duration.secondsDouble * 1000 }
}
