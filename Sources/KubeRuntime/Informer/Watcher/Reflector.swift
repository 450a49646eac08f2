#if canImport(Glibc)
import Glibc
#endif
import KubeClient
import KubeCore

/// Drives the watcher state machine on its own thread and feeds a `DeltaFIFO`.
///
/// Watch events become deltas at once; a relist is buffered page by page and handed to
/// the queue in one `replace` when it completes. Failures are reported to `onError` and
/// followed by a backoff sleep that `stop()` interrupts. A watch silent for longer than
/// `idleTimeout` is cancelled by `checkIdle` (called periodically by the informer)
/// and re-established from the last resourceVersion.
///
/// `@unchecked Sendable`: `stopping`, `token`, `lastActivity`, `watching`, `thread` and
/// `lastResourceVersion` are guarded by `lock`.
final class Reflector: @unchecked Sendable {
    let watcher: Watcher
    let fifo: DeltaFIFO
    let idleTimeoutNanos: UInt64
    let onError: @Sendable (KubeError) -> Void
    /// Backoff sleeps and watch activity are timed on it (a manual clock in tests).
    let clock: any RuntimeClock
    private var backoff: Backoff
    private let lock = ConditionLock()
    private var stopping = false
    private var token = CancellationToken()
    private var watching = false
    private var lastActivity: UInt64 = 0
    private var thread: KubeThread?
    private var lastResourceVersion = ""

    init(watcher: Watcher, fifo: DeltaFIFO, backoff: Backoff, idleTimeout: Duration,
         clock: any RuntimeClock, onError: @escaping @Sendable (KubeError) -> Void) {
        self.watcher = watcher
        self.fifo = fifo
        self.backoff = backoff
        self.idleTimeoutNanos = UInt64(max(1_000_000, idleTimeout.nanosecondsClamped))
        self.clock = clock
        self.onError = onError
        clock.register(lock)
    }

    func start(name: String, systemName: String, threads: ThreadTracker) throws(KubeError) {
        let t = try threads.spawn(name: name, systemName: systemName) { [self] in run() }
        lock.withLock { thread = t }
    }

    /// Ends the loop: cancels the open watch or list request, interrupts a backoff sleep,
    /// joins the thread.
    func stop(wait: Bool = true) {
        let (current, t) = lock.withLock { () -> (CancellationToken, KubeThread?) in
            stopping = true
            return (token, thread)
        }
        lock.broadcast()
        current.cancel()
        // Waits for the thread even when another stop already ran (a concurrent stop must
        // not return while the watch-error handler still runs); from its own thread (a
        // watch-error handler stopping the informer) `join` returns at once and the thread
        // detaches when it ends.
        t?.release(wait: wait)
    }

    /// Cancels the current watch when it has been silent for longer than the idle limit.
    func checkIdle(now: UInt64) {
        let stale = lock.withLock { () -> CancellationToken? in
            guard watching, now > lastActivity, now - lastActivity > idleTimeoutNanos else { return nil }
            watching = false
            return token
        }
        stale?.cancel()
    }

    var resourceVersion: String { lock.withLock { lastResourceVersion } }

    private func run() {
        var state = WatcherState.empty
        var buffer: [CachedObject] = []
        while true {
            let current = lock.withLock { () -> CancellationToken? in
                if stopping { return nil }
                // A fresh token per step: the idle check may have cancelled the last one, and
                // a list must not inherit that; `stop` cancels whichever is current.
                token = CancellationToken()
                watching = state.isStreamOpen
                if watching { lastActivity = clock.nanoseconds() }
                return token
            }
            guard let current else { return }
            let (error, next) = watcher.step(state, cancellation: current) { event in
                if state.isStreamOpen { touch() }
                switch event {
                case .apply(let object):
                    fifo.add(Delta(.updated, object))
                case .delete(let object):
                    fifo.add(Delta(.deleted, object))
                case .initStart:
                    buffer = []
                case .initApply(let objects):
                    buffer.append(contentsOf: objects)
                case .initDone(let rv):
                    fifo.replace(with: buffer)
                    buffer = []
                    setRV(rv)
                case .progress(let rv):
                    setRV(rv)
                }
            }
            if case .watching(let rv) = next { setRV(rv) }
            let previous = state
            state = next
            guard let error else { continue }
            onError(error)
            // 410 Gone is the expected way back to a relist, not a failure to slow down for;
            // nor is a refused streaming list, which falls back to paged listing at once.
            if error.isGone { continue }
            if case .streaming = previous, case .listing = next { continue }
            if case .listingFromCache = previous, case .listing = next { continue }
            let delay = backoff.next(atNanoseconds: clock.nanoseconds())
            let deadline = clock.deadline(after: delay)
            lock.withLock {
                while !stopping && clock.nanoseconds() < deadline {
                    clock.wait(on: lock, deadline: deadline)
                }
            }
        }
    }

    private func touch() {
        let now = clock.nanoseconds()
        lock.withLock { lastActivity = now }
    }

    private func setRV(_ rv: String) {
        if !rv.isEmpty { lock.withLock { lastResourceVersion = rv } }
    }
}
