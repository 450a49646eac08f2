#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable OS thread owned by the library. Informers, watches and queues run their
/// background work on these so that `stop`/`free` can join every thread they started,
/// and so that C and Python callers see ordinary threads.
///
/// `join()` returns only once the body has returned, however many threads call it at once:
/// a stop/free racing another stop/free must not return while a user callback still runs
/// on this thread (issue 11, item 2). A thread that "joins" itself (a callback freeing its
/// own handle) cannot wait for itself: it is marked to detach when its body returns, and
/// other joiners still wait for that.
///
/// `@unchecked Sendable`: `handle` is written once before `spawn` returns and only read
/// afterwards; `finished`, `reaped` and `detachOnExit` are guarded by `state`.
public final class KubeThread: @unchecked Sendable {
    private var handle = pthread_t()
    private let state = ConditionLock()
    /// The body has returned.
    private var finished = false
    /// pthread_join was called or the thread detached itself: nobody may join it again.
    private var reaped = false
    /// Nobody will pthread_join it (`join()` from itself, or `detachWhenDone()`): it
    /// detaches when the body returns.
    private var detachOnExit = false
    public let name: String
    /// What `ps -L`, `top -H`, gdb and py-spy show for the thread (at most 15 bytes on Linux).
    public let systemName: String

    private init(name: String, systemName: String) {
        self.name = name
        self.systemName = systemName
    }

    /// Starts `body` on a new thread. Throws when the system refuses a thread.
    /// `systemName` (default: `name`) becomes the OS thread name, cut to 15 bytes at a
    /// character boundary: give the part that tells threads apart first.
    public static func spawn(name: String, systemName: String? = nil,
                             _ body: @escaping @Sendable () -> Void) throws(ThreadError) -> KubeThread {
        let thread = KubeThread(name: name, systemName: Self.osThreadName(systemName ?? name))
        // The entry holds the thread object so the body's end can be published on it.
        let box = Unmanaged.passRetained(Entry(thread: thread, body: body))
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

    /// True once the body has returned.
    public var isFinished: Bool { state.withLock { finished } }

    /// True when the calling thread is one of `threads` (a callback about to stop the
    /// object that runs it).
    public static func isAnyCurrent(_ threads: some Sequence<KubeThread>) -> Bool {
        threads.contains { $0.isCurrent }
    }

    /// The one way an owner lets go of its thread when it stops: `wait` true joins it
    /// (`join()`), false lets it reap itself (`detachWhenDone()`). Either way, called on the
    /// thread itself (a callback stopping its own owner) it returns at once and the thread
    /// detaches when its body returns: a thread cannot wait for itself.
    public func release(wait: Bool) {
        if wait { join() } else { detachWhenDone() }
    }

    /// Waits until the body has returned; every concurrent caller waits, the first one also
    /// reaps the thread. Called on the thread itself it returns at once and the thread
    /// detaches when its body returns (no self-join deadlock).
    public func join() {
        if detachIfCurrent() { return }
        let shouldReap = state.withLock { () -> Bool in
            while !finished { state.wait() }
            if reaped { return false }
            reaped = true
            return true
        }
        if shouldReap { pthread_join(handle, nil) }
    }

    /// Lets the thread reap itself instead of being joined: for a stop called on a sibling
    /// thread (a callback stopping its own informer), which must not wait for the others —
    /// two callbacks stopping at once would wait for each other. Does not block. A later
    /// `join()` from elsewhere still waits for the body.
    public func detachWhenDone() {
        if detachIfCurrent() { return }
        let reapNow = state.withLock { () -> Bool in
            if reaped { return false }
            if finished {
                reaped = true
                return true
            }
            detachOnExit = true
            return false
        }
        // Already finished: joining it returns at once.
        if reapNow { pthread_join(handle, nil) }
    }

    /// On the thread itself, marks it to detach when its body returns and returns true.
    private func detachIfCurrent() -> Bool {
        guard isCurrent else { return false }
        state.withLock { detachOnExit = true }
        return true
    }

    /// Glibc declares pthread_setname_np only under _GNU_SOURCE, which the Swift overlay does
    /// not set: the symbol is looked up once instead.
    private typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32
    private static let setNameFunction: SetName? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_setname_np") else { return nil }
        return unsafeBitCast(symbol, to: SetName.self)
    }()

    private static func setSystemName(_ name: String) {
        guard let setName = setNameFunction else { return }
        _ = name.withCString { setName(pthread_self(), $0) }
    }

    /// Linux refuses names of 16 bytes or more (the kernel's TASK_COMM_LEN); control
    /// characters would garble `ps` output.
    public static func osThreadName(_ name: String) -> String {
        var out = ""
        var bytes = 0
        for scalar in name.unicodeScalars {
            let clean: Unicode.Scalar = scalar.value < 0x20 || scalar.value == 0x7F ? "?" : scalar
            let width = String(clean).utf8.count
            if bytes + width > 15 { break }
            out.unicodeScalars.append(clean)
            bytes += width
        }
        return out
    }

    /// Runs on the thread after the body: publishes the end, detaches if nobody will join.
    fileprivate func bodyReturned() {
        let detach = state.withLock { () -> Bool in
            finished = true
            state.broadcast()
            if detachOnExit && !reaped {
                reaped = true
                return true
            }
            return false
        }
        if detach { _ = pthread_detach(pthread_self()) }
    }

    private final class Entry: @unchecked Sendable {
        let thread: KubeThread
        let body: @Sendable () -> Void
        init(thread: KubeThread, body: @escaping @Sendable () -> Void) {
            self.thread = thread
            self.body = body
        }
        func run() {
            KubeThread.setSystemName(thread.systemName)
            body()
            thread.bodyReturned()
        }
    }
}

/// The system could not start a thread.
public struct ThreadError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var description: String { "could not start a thread (error \(code))" }
}
