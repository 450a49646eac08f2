#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex with a condition variable, for threads that block until state changes
/// (workqueue getters, watch streams, informer delivery). Waits use the monotonic clock
/// so that wall-clock jumps never wake or stall a waiter. State that nobody waits on is
/// kept in `Locked` instead.
///
/// `adaptive: true` makes the mutex spin briefly before sleeping (glibc's
/// `PTHREAD_MUTEX_ADAPTIVE_NP`). For locks held a few dozen nanoseconds by several busy
/// threads (the work queue): a plain mutex puts a thread that finds it taken to sleep in
/// the kernel, to be woken by a system call — microseconds, for a wait that spinning ends
/// in nanoseconds — which made two workers no faster than one.
///
/// A pthread mutex in every build: ThreadSanitizer understands it.
///
/// `@unchecked Sendable`: the pthread objects are heap-allocated once, never moved, and
/// only touched through pthread calls, which are thread-safe by contract.
public final class ConditionLock: @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline let cond: UnsafeMutablePointer<pthread_cond_t>

    public init(adaptive: Bool = false) {
        mutex = .allocate(capacity: 1)
        cond = .allocate(capacity: 1)
        var mutexAttributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&mutexAttributes)
        #if canImport(Glibc)
        if adaptive { pthread_mutexattr_settype(&mutexAttributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP)) }
        #endif
        pthread_mutex_init(mutex, &mutexAttributes)
        pthread_mutexattr_destroy(&mutexAttributes)
        var condAttributes = pthread_condattr_t()
        pthread_condattr_init(&condAttributes)
        #if canImport(Glibc)
        pthread_condattr_setclock(&condAttributes, CLOCK_MONOTONIC)
        #endif
        pthread_cond_init(cond, &condAttributes)
        pthread_condattr_destroy(&condAttributes)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        cond.deallocate()
        mutex.deallocate()
    }

    @inlinable public func lock() { pthread_mutex_lock(mutex) }
    @inlinable public func unlock() { pthread_mutex_unlock(mutex) }

    @inlinable
    public func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits for a signal; the lock must be held, and is held again on return.
    @inlinable public func wait() { pthread_cond_wait(cond, mutex) }

    /// Waits until signalled or until the monotonic deadline (`MonotonicClock` nanoseconds);
    /// returns false on timeout.
    @discardableResult
    public func wait(deadlineNanos: UInt64) -> Bool {
        var ts = timespec(tv_sec: Int(deadlineNanos / 1_000_000_000), tv_nsec: Int(deadlineNanos % 1_000_000_000))
        return pthread_cond_timedwait(cond, mutex, &ts) == 0
    }

    /// Waits at most `timeout`; returns false on timeout.
    @discardableResult
    public func wait(timeout: Duration) -> Bool {
        wait(deadlineNanos: MonotonicClock.deadline(after: timeout))
    }

    /// Waits at most `seconds`; returns false on timeout.
    @available(*, deprecated, renamed: "wait(timeout:)")
    @discardableResult
    public func wait(seconds: Double) -> Bool {
        wait(deadlineNanos: MonotonicClock.deadline(afterSeconds: seconds))
    }

    /// Waits, with the lock held, until `condition` holds (re-checked after every signal) or
    /// `timeoutMs` milliseconds pass (< 0: no limit; saturating, so INT64_MAX never wraps into
    /// the past); false on timeout. The C API's `kc_*_wait(timeout_ms)` contract, written once.
    public func wait(until condition: () -> Bool, timeoutMs: Int64) -> Bool {
        let deadline = timeoutMs < 0 ? nil : MonotonicClock.deadline(afterMilliseconds: timeoutMs)
        while !condition() {
            if let deadline {
                if MonotonicClock.nanoseconds() >= deadline { return false }
                wait(deadlineNanos: deadline)
            } else {
                wait()
            }
        }
        return true
    }

    @inlinable public func signal() { pthread_cond_signal(cond) }
    @inlinable public func broadcast() { pthread_cond_broadcast(cond) }
}
