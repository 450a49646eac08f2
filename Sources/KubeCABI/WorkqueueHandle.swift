import CKubeABI
import KubeRuntime

/// What a `kc_workqueue *` points at: a rate-limited queue of string keys.
/// `owned` is false for a controller's queue, which `kc_workqueue_free` must not shut down.
final class WorkqueueHandle: Sendable {
    static let table = HandleTable<WorkqueueHandle>(typeName: "kc_workqueue")

    let queue: RateLimitingQueue<String>
    let owned: Bool

    init(queue: RateLimitingQueue<String>, owned: Bool) {
        self.queue = queue
        self.owned = owned
    }
}

enum WorkqueueOptions {
    /// A queue built from a caller's options (NULL = defaults).
    static func makeQueue(_ options: UnsafePointer<kc_workqueue_options>?, defaultName: String = "") throws(CABIError)
        -> RateLimitingQueue<String> {
        guard let options else { return RateLimitingQueue(name: defaultName) }
        try check(options.pointee.version, "kc_workqueue_options")
        return try makeQueue(options.pointee, defaultName: defaultName)
    }

    static func check(_ version: UInt32, _ type: String) throws(CABIError) {
        try OptionsVersion.check(version, current: KC_WORKQUEUE_OPTIONS_VERSION, oldest: 2, type)
    }

    static func makeQueue(_ o: kc_workqueue_options, defaultName: String) throws(CABIError) -> RateLimitingQueue<String> {
        let name = try CStrings.optional(o.name, "kc_workqueue_options.name") ?? defaultName
        return RateLimitingQueue(name: name, rateLimiter: try settings(o).makeLimiter())
    }

    /// The struct's values, 0 = nil (KubeRuntime's default).
    static func settings(_ o: kc_workqueue_options) throws(CABIError) -> RateLimiterSettings {
        let kind: RateLimiterSettings.Kind
        switch o.rate_limiter {
        case KC_RATE_LIMITER_DEFAULT: kind = .controllerDefault
        case KC_RATE_LIMITER_EXPONENTIAL: kind = .exponential
        case KC_RATE_LIMITER_FAST_SLOW: kind = .fastSlow
        case KC_RATE_LIMITER_BUCKET: kind = .bucket
        default: throw .invalidArgument("kc_workqueue_options.rate_limiter \(o.rate_limiter.rawValue) is unknown")
        }
        if o.qps.isNaN || o.qps < 0 { throw .invalidArgument("kc_workqueue_options.qps is negative or NaN") }
        if o.burst < 0 { throw .invalidArgument("kc_workqueue_options.burst is negative") }
        if o.max_fast_attempts < 0 { throw .invalidArgument("kc_workqueue_options.max_fast_attempts is negative") }
        return RateLimiterSettings(
            kind: kind,
            baseDelay: try CMilliseconds.optionalSpan(o.base_delay_ms, "kc_workqueue_options.base_delay_ms"),
            maxDelay: try CMilliseconds.optionalSpan(o.max_delay_ms, "kc_workqueue_options.max_delay_ms"),
            qps: o.qps == 0 ? nil : o.qps,
            burst: o.burst == 0 ? nil : Int(o.burst),
            fastDelay: try CMilliseconds.optionalSpan(o.fast_delay_ms, "kc_workqueue_options.fast_delay_ms"),
            slowDelay: try CMilliseconds.optionalSpan(o.slow_delay_ms, "kc_workqueue_options.slow_delay_ms"),
            maxFastAttempts: o.max_fast_attempts == 0 ? nil : Int(o.max_fast_attempts))
    }
}

extension kc_duration_histogram {
    init(_ h: DurationHistogram) {
        self.init()
        count = h.count
        sum_ms = CMilliseconds.measured(h.sum)
        max_ms = CMilliseconds.measured(h.maximum)
        withUnsafeMutableBytes(of: &buckets) { raw in
            let out = raw.bindMemory(to: UInt64.self)
            for (i, n) in h.bucketCounts.prefix(out.count).enumerated() { out[i] = n }
        }
    }
}
