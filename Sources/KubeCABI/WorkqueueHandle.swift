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

extension kc_workqueue_options {
    /// The struct's defaults (every numeric field 0 = client-go's value).
    static func defaults(version: UInt32) -> kc_workqueue_options {
        kc_workqueue_options(version: version, name: nil, rate_limiter: KC_RATE_LIMITER_DEFAULT, base_delay_seconds: 0,
                             max_delay_seconds: 0, qps: 0, burst: 0, fast_delay_seconds: 0, slow_delay_seconds: 0,
                             max_fast_attempts: 0)
    }
}

enum WorkqueueOptions {
    /// A queue built from a caller's options (NULL = defaults).
    static func makeQueue(_ options: UnsafePointer<kc_workqueue_options>?, defaultName: String = "") throws(CABIError)
        -> RateLimitingQueue<String> {
        guard let options else { return RateLimitingQueue(name: defaultName) }
        try OptionsVersion.check(options.pointee.version, current: KC_WORKQUEUE_OPTIONS_VERSION, "kc_workqueue_options")
        return try makeQueue(options.pointee, defaultName: defaultName)
    }

    static func makeQueue(_ o: kc_workqueue_options, defaultName: String) throws(CABIError) -> RateLimitingQueue<String> {
        func seconds(_ value: Double, _ fallback: Duration, _ field: String) throws(CABIError) -> Duration {
            if value.isNaN || value < 0 { throw .invalidArgument("kc_workqueue_options.\(field) is negative") }
            return value == 0 ? fallback : .nanoseconds(Int64(min(value, 9e9) * 1e9))
        }
        let base = try seconds(o.base_delay_seconds, .milliseconds(5), "base_delay_seconds")
        let cap = try seconds(o.max_delay_seconds, .seconds(1000), "max_delay_seconds")
        let fast = try seconds(o.fast_delay_seconds, .milliseconds(5), "fast_delay_seconds")
        let slow = try seconds(o.slow_delay_seconds, .seconds(10), "slow_delay_seconds")
        if o.qps.isNaN || o.qps < 0 { throw .invalidArgument("kc_workqueue_options.qps is negative") }
        if o.burst < 0 { throw .invalidArgument("kc_workqueue_options.burst is negative") }
        if o.max_fast_attempts < 0 { throw .invalidArgument("kc_workqueue_options.max_fast_attempts is negative") }
        let qps = o.qps == 0 ? 10 : o.qps
        let burst = o.burst == 0 ? 100 : Int(o.burst)
        let limiter: any ItemRateLimiter<String>
        switch o.rate_limiter {
        case KC_RATE_LIMITER_DEFAULT:
            limiter = MaxOfRateLimiter<String>([ExponentialFailureRateLimiter(baseDelay: base, maxDelay: cap),
                                                BucketRateLimiter(qps: qps, burst: burst)])
        case KC_RATE_LIMITER_EXPONENTIAL:
            limiter = ExponentialFailureRateLimiter<String>(baseDelay: base, maxDelay: cap)
        case KC_RATE_LIMITER_FAST_SLOW:
            limiter = FastSlowRateLimiter<String>(fastDelay: fast, slowDelay: slow,
                                                  maxFastAttempts: o.max_fast_attempts == 0 ? 5 : Int(o.max_fast_attempts))
        case KC_RATE_LIMITER_BUCKET:
            limiter = BucketRateLimiter<String>(qps: qps, burst: burst)
        default:
            throw .invalidArgument("kc_workqueue_options.rate_limiter \(o.rate_limiter.rawValue) is unknown")
        }
        let name = try CStrings.optional(o.name, "kc_workqueue_options.name") ?? defaultName
        return RateLimitingQueue(name: name, rateLimiter: limiter)
    }
}

extension kc_duration_histogram {
    init(_ h: DurationHistogram) {
        self.init()
        count = h.count
        sum_seconds = h.sumSeconds
        max_seconds = h.maxSeconds
        withUnsafeMutableBytes(of: &buckets) { raw in
            let out = raw.bindMemory(to: UInt64.self)
            for (i, n) in h.bucketCounts.prefix(out.count).enumerated() { out[i] = n }
        }
    }
}
