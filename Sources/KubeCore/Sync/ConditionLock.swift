#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex with a condition variable, for threads that block until state changes
/// (workqueue getters, watch streams, informer delivery). Waits use the monotonic clock
/// so that wall-clock jumps never wake or stall a waiter.
///
/// `@unchecked Sendable`: the pthread objects are heap-allocated once, never moved, and
/// only touched through pthread calls, which are thread-safe by contract.
public final class ConditionLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let cond: UnsafeMutablePointer<pthread_cond_t>

    public init() {
        mutex = .allocate(capacity: 1)
        cond = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        #if canImport(Glibc)
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        #endif
        pthread_cond_init(cond, &attr)
        pthread_condattr_destroy(&attr)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        cond.deallocate()
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    @inlinable
    public func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits for a signal; the lock must be held, and is held again on return.
    public func wait() { pthread_cond_wait(cond, mutex) }

    /// Waits until signalled or until the monotonic deadline; returns false on timeout.
    @discardableResult
    public func wait(deadlineNanos: UInt64) -> Bool {
        var ts = timespec(tv_sec: Int(deadlineNanos / 1_000_000_000), tv_nsec: Int(deadlineNanos % 1_000_000_000))
        return pthread_cond_timedwait(cond, mutex, &ts) == 0
    }

    /// Waits at most `seconds`; returns false on timeout.
    @discardableResult
    public func wait(seconds: Double) -> Bool {
        return wait(deadlineNanos: MonotonicClock.deadline(afterSeconds: seconds))
    }

    public func signal() { pthread_cond_signal(cond) }
    public func broadcast() { pthread_cond_broadcast(cond) }
}
