#if KUBECLIENT_TSAN
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#else
import Synchronization
#endif

/// State guarded by a lock: the library's one way to share mutable state between threads
/// (`ConditionLock` is for threads that also wait for that state to change).
///
/// Release and debug builds use `Synchronization.Mutex`: stored inline, a futex, nothing
/// faster. ThreadSanitizer does not model that futex, so under TSan every access it guards
/// looks like a race and real races drown in the noise. Builds with `-D KUBECLIENT_TSAN`
/// (`scripts/test.sh --tsan`) use a pthread mutex instead, which TSan understands. The two
/// have the same API, so code that compiles in one compiles in the other.
#if KUBECLIENT_TSAN
public struct Locked<Value>: ~Copyable {
    /// `@unchecked Sendable`: `value` is only touched between `pthread_mutex_lock` and
    /// `pthread_mutex_unlock` of `mutex`, which is allocated once and never moved.
    @usableFromInline
    final class Storage: @unchecked Sendable {
        @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
        @usableFromInline nonisolated(unsafe) var value: Value

        @usableFromInline
        init(_ value: sending Value) {
            self.value = value
            mutex = .allocate(capacity: 1)
            pthread_mutex_init(mutex, nil)
        }

        deinit {
            pthread_mutex_destroy(mutex)
            mutex.deallocate()
        }
    }

    @usableFromInline let storage: Storage

    public init(_ value: sending Value) {
        storage = Storage(value)
    }

    @inlinable
    public borrowing func withLock<Result, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(storage.mutex)
        defer { pthread_mutex_unlock(storage.mutex) }
        return try body(&storage.value)
    }
}

/// `@unchecked Sendable`: see `Storage`.
extension Locked: @unchecked Sendable {}
#else
public struct Locked<Value>: ~Copyable, Sendable {
    @usableFromInline let mutex: Mutex<Value>

    public init(_ value: sending Value) {
        mutex = Mutex(value)
    }

    @inlinable
    public borrowing func withLock<Result, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        try mutex.withLock(body)
    }
}
#endif
