#if canImport(Glibc)
import Glibc
#endif
import DequeModule
import Synchronization
import KubeClient
import KubeCore

/// One handler added to a shared informer: its own queue of events and, for callback
/// handlers, its own delivery thread.
///
/// Invariants (all fields below `lock` are read and written with it held):
/// - `queue` holds events not yet delivered, in the order the informer produced them;
/// - `enqueued - delivered` events are pending (queued or being delivered);
/// - `syncTarget` is set once the informer's initial list (or, for a late handler, the
///   replayed cache) has been queued; the handler has synced when `delivered >= syncTarget`;
/// - in pull mode, the signal pipe holds a byte exactly when `queue` is non-empty or the
///   registration is closed, so the descriptor polls readable exactly then.
///
/// `@unchecked Sendable`: mutable state guarded by `lock` as described.
public final class HandlerRegistration: @unchecked Sendable {
    enum Mode {
        case callback(ResourceEventHandler)
        case pull(readFD: Int32, writeFD: Int32)
    }

    let mode: Mode
    let resyncPeriodNanos: UInt64?
    /// Resyncs are timed on it (a manual clock in tests).
    let clock: any RuntimeClock
    let lock = ConditionLock()
    private var queue: Deque<InformerEvent> = []
    private var enqueued: UInt64 = 0
    private var delivered: UInt64 = 0
    private var syncTarget: UInt64?
    private var closed = false
    /// `closed`, readable without the lock: the delivery thread checks it between callbacks.
    private let closedFlag = Atomic<Bool>(false)
    private var nextResyncNanos: UInt64 = .max
    var thread: KubeThread?
    /// Asks the informer to queue a resync of this registration; set by the informer.
    var resync: (@Sendable (HandlerRegistration) -> Void)?

    init(mode: Mode, resyncPeriod: Duration?, clock: any RuntimeClock) {
        self.mode = mode
        self.clock = clock
        if let period = resyncPeriod, period > .zero {
            let nanos = UInt64(max(1, period.nanosecondsClamped))
            resyncPeriodNanos = nanos
            nextResyncNanos = clock.nanoseconds() &+ nanos
            clock.register(lock)
        } else {
            resyncPeriodNanos = nil
        }
    }

    /// Whether this handler has received every event of the informer's initial list
    /// (or, when added late, an Add for every object that was cached).
    public var hasSynced: Bool {
        lock.withLock { syncTarget.map { delivered >= $0 } ?? false }
    }

    /// Events queued and not yet delivered.
    public var pendingCount: Int { lock.withLock { Int(enqueued - delivered) } }

    /// True once no callback of this registration can run any more (pull mode: always).
    public var isDeliveryFinished: Bool { thread?.isFinished ?? true }

    /// True on this registration's delivery thread (inside one of its callbacks).
    public var isDeliveryThread: Bool { thread?.isCurrent ?? false }

    /// Whether the registration was removed or its informer stopped.
    public var isClosed: Bool { lock.withLock { closed } }

    /// Pull mode: a descriptor that polls readable while events are waiting (or once the
    /// registration is closed). Owned by the registration; do not close it. -1 for
    /// callback registrations.
    public var fileDescriptor: Int32 {
        if case .pull(let fd, _) = mode { return fd }
        return -1
    }

    /// The outcome of `nextEvent()`.
    public enum Poll: Sendable {
        case event(InformerEvent)
        /// Nothing waiting now; poll the descriptor.
        case empty
        /// Removed or stopped, and every event was taken.
        case closed
    }

    /// Pull mode: takes the next event without blocking.
    public func nextEvent() -> Poll {
        lock.withLock { () -> Poll in
            guard let event = queue.popFirst() else { return closed ? .closed : .empty }
            delivered += 1
            if queue.isEmpty && !closed { drainPipe() }
            lock.broadcast()
            return .event(event)
        }
    }

    // MARK: informer side

    func enqueue(_ events: [InformerEvent]) {
        guard !events.isEmpty else { return }
        lock.withLock {
            guard !closed else { return }
            let wasEmpty = queue.isEmpty
            queue.append(contentsOf: events)
            enqueued += UInt64(events.count)
            if wasEmpty { signalPipe() }
        }
        lock.broadcast()
    }

    /// Marks the handler as synced once everything queued so far has been delivered.
    func markSyncPoint() {
        lock.withLock { if syncTarget == nil { syncTarget = enqueued } }
        lock.broadcast()
    }

    /// Waits until synced or the deadline (monotonic nanoseconds) passes.
    func waitForSync(deadlineNanos: UInt64) -> Bool {
        lock.withLock { () -> Bool in
            while true {
                if let t = syncTarget, delivered >= t { return true }
                if closed { return false }
                if MonotonicClock.nanoseconds() >= deadlineNanos { return false }
                lock.wait(deadlineNanos: deadlineNanos)
            }
        }
    }

    /// Stops delivery: pending events are dropped, the thread is woken and joined. Every
    /// caller waits until the delivery thread has returned from its last callback, so a
    /// second, concurrent close (or an informer stop racing a remove) never returns while
    /// a callback still runs. Called from the delivery thread itself (a callback removing
    /// its own handler) it returns at once and the thread detaches when it ends.
    /// With `wait` false (a sibling thread of the same informer closing it) the thread is
    /// left to reap itself instead: two callbacks closing each other's registrations must
    /// not wait for each other.
    func close(wait: Bool = true) {
        lock.withLock {
            if closed { return }
            closed = true
            closedFlag.store(true, ordering: .releasing)
            queue.removeAll()
            signalPipe()
        }
        lock.broadcast()
        thread?.release(wait: wait)
    }

    deinit {
        // The descriptor lives as long as the registration, so a poller never sees it reused.
        #if canImport(Glibc)
        if case .pull(let r, let w) = mode {
            Glibc.close(r)
            Glibc.close(w)
        }
        #endif
    }

    // MARK: delivery thread

    private enum Step {
        case deliver(Deque<InformerEvent>)
        case resync
        case exit
    }

    /// The callback-mode delivery loop, in queue order. It takes everything queued at once
    /// (one lock round and no wake-up per event: the informer hands over whole batches) and
    /// checks `closedFlag` before each callback, so a close still drops what is pending.
    func runDelivery(_ handler: ResourceEventHandler) {
        while true {
            let step = lock.withLock { () -> Step in
                while queue.isEmpty && !closed {
                    if resyncPeriodNanos != nil && clock.nanoseconds() >= nextResyncNanos { return .resync }
                    if nextResyncNanos == .max { lock.wait() } else { clock.wait(on: lock, deadline: nextResyncNanos) }
                }
                if closed { return .exit }
                var taken: Deque<InformerEvent> = []
                swap(&taken, &queue)
                return .deliver(taken)
            }
            switch step {
            case .exit:
                return
            case .resync:
                // The informer queues an update for every cached object.
                if let period = resyncPeriodNanos {
                    lock.withLock { nextResyncNanos = clock.nanoseconds() &+ period }
                    resync?(self)
                }
            case .deliver(let events):
                var count: UInt64 = 0
                for event in events {
                    if closedFlag.load(ordering: .acquiring) { return }
                    handler.deliver(event)
                    count += 1
                }
                lock.withLock { delivered += count }
                lock.broadcast()
            }
        }
    }

    /// Pull mode has no thread; resync is driven by the informer's processor instead.
    func resyncDueForPull(now: UInt64) -> Bool {
        guard case .pull = mode, let period = resyncPeriodNanos else { return false }
        return lock.withLock { () -> Bool in
            if now >= nextResyncNanos {
                nextResyncNanos = now &+ period
                return true
            }
            return false
        }
    }

    private func signalPipe() {
        #if canImport(Glibc)
        if case .pull(_, let fd) = mode {
            var one: UInt8 = 1
            _ = write(fd, &one, 1)
        }
        #endif
    }

    private func drainPipe() {
        #if canImport(Glibc)
        if case .pull(let fd, _) = mode {
            var scratch = (UInt64(0), UInt64(0))
            while withUnsafeMutableBytes(of: &scratch, { read(fd, $0.baseAddress, $0.count) }) > 0 {}
        }
        #endif
    }

    /// A non-blocking pipe: the read end is what callers poll. (eventfd would do with one
    /// descriptor, but Glibc's Swift module does not export it.)
    static func makeSignalPipe() throws(KubeError) -> (read: Int32, write: Int32) {
        #if canImport(Glibc)
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw KubeError.system("could not create a pipe (errno \(errno))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        return (fds[0], fds[1])
        #else
        throw KubeError.invalidArgument("pull mode is not supported on this platform")
        #endif
    }
}
