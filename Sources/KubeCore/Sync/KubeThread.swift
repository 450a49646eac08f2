#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable OS thread owned by the library. Informers, watches and queues run their
/// background work on these so that `stop`/`free` can join every thread they started,
/// and so that C and Python callers see ordinary threads.
///
/// `@unchecked Sendable`: `handle` is written once before `spawn` returns and only read
/// afterwards; `joined` is guarded by `state`.
public final class KubeThread: @unchecked Sendable {
    private var handle = pthread_t()
    private let state = ConditionLock()
    private var joined = false
    public let name: String

    private init(name: String) { self.name = name }

    /// Starts `body` on a new thread. Throws when the system refuses a thread.
    public static func spawn(name: String, _ body: @escaping @Sendable () -> Void) throws(ThreadError) -> KubeThread {
        let thread = KubeThread(name: name)
        let box = Unmanaged.passRetained(Entry(name: name, body: body))
        #if canImport(Glibc)
        var h = pthread_t()
        let rc = pthread_create(&h, nil, { raw in
            guard let raw else { return nil }
            let entry = Unmanaged<Entry>.fromOpaque(raw).takeRetainedValue()
            entry.run()
            return nil
        }, box.toOpaque())
        #else
        var h: pthread_t?
        let rc = pthread_create(&h, nil, { raw in
            let entry = Unmanaged<Entry>.fromOpaque(raw).takeRetainedValue()
            entry.run()
            return nil
        }, box.toOpaque())
        #endif
        guard rc == 0 else {
            box.release()
            throw ThreadError(code: rc)
        }
        #if canImport(Glibc)
        thread.handle = h
        #else
        if let h { thread.handle = h }
        #endif
        return thread
    }

    /// True when called on this thread (joining yourself would deadlock: callers check this).
    public var isCurrent: Bool { pthread_equal(pthread_self(), handle) != 0 }

    /// Waits for the thread to finish. Joining twice, or from the thread itself, returns at once.
    public func join() {
        if isCurrent { return }
        let shouldJoin = state.withLock { () -> Bool in
            if joined { return false }
            joined = true
            return true
        }
        if shouldJoin { pthread_join(handle, nil) }
    }

    private final class Entry: @unchecked Sendable {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
        func run() { body() }
    }
}

/// The system could not start a thread.
public struct ThreadError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var description: String { "could not start a thread (error \(code))" }
}
