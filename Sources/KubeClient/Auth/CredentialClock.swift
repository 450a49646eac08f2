import FoundationEssentials
import KubeCore

/// The clocks credential caching reads: wall time for exec credential expiry (an RFC 3339
/// timestamp from the plugin) and monotonic time for the token file's re-read interval.
/// Injected so tests control time instead of sleeping.
struct CredentialClock: Sendable {
    var now: @Sendable () -> Date
    var monotonicNanoseconds: @Sendable () -> UInt64

    static let system = CredentialClock(now: { Date() }, monotonicNanoseconds: { MonotonicClock.nanoseconds() })
}
