#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The work queue's lock: a pthread mutex that spins briefly before sleeping, plus a
/// condition variable on the monotonic clock.
///
/// Workers hold the queue's lock for a few dozen nanoseconds per operation. With a plain
/// mutex a worker that finds it taken goes to sleep in the kernel and must be woken by a
/// system call — microseconds, for a wait that spinning ends in nanoseconds — which made
/// two workers no faster than one. glibc's adaptive mutex spins first.
///
/// `@unchecked Sendable`: the pthread objects are allocated once, never moved, and only
/// touched through pthread calls.
@usableFromInline
final class WorkQueueLock: @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline let cond: UnsafeMutablePointer<pthread_cond_t>

    @usableFromInline
    init() {
        mutex = .allocate(capacity: 1)
        cond = .allocate(capacity: 1)
        var mutexAttributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&mutexAttributes)
        #if canImport(Glibc)
        pthread_mutexattr_settype(&mutexAttributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
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

    @inlinable func lock() { pthread_mutex_lock(mutex) }
    @inlinable func unlock() { pthread_mutex_unlock(mutex) }

    @inlinable
    func withLock<T>(_ body: () -> T) -> T {
        lock()
        defer { unlock() }
        return body()
    }

    /// Waits for a signal; the lock must be held, and is held again on return.
    @inlinable func wait() { pthread_cond_wait(cond, mutex) }

    /// Waits until signalled or until the monotonic deadline (ns).
    @usableFromInline
    func wait(deadlineNanos: UInt64) {
        var ts = timespec(tv_sec: Int(deadlineNanos / 1_000_000_000), tv_nsec: Int(deadlineNanos % 1_000_000_000))
        pthread_cond_timedwait(cond, mutex, &ts)
    }

    @inlinable func signal() { pthread_cond_signal(cond) }
    @inlinable func broadcast() { pthread_cond_broadcast(cond) }
}
