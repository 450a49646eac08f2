import KubeClient
import KubeCore
import Logging

/// A cache of one resource kept in sync with the API server by list + watch, with any
/// number of event handlers.
///
/// Guarantees (the same as client-go's `SharedInformer`, written down):
/// - **Eventual consistency.** The cache converges to the server's state; after a watch
///   gap it relists and swaps to the new contents in one step.
/// - **Per-handler order.** Each handler has its own queue and delivery thread and gets
///   notifications one at a time, in order for each object; a slow handler delays only
///   itself (its queue grows), never the cache or the other handlers.
/// - **Deletes carry the last known state.** A deletion missed while the watch was down
///   arrives as a delete of the last cached object with `finalStateUnknown`.
/// - **Late handlers catch up.** A handler added after start first gets an Add for every
///   cached object (with `isInitialList`), then live events.
/// - **Stop joins.** `stop()` ends and joins every thread the informer started; it may be
///   called from a handler callback.
///
/// Threads: one reflector thread (list/watch, transform), one processor thread (applies
/// changes to the store, calls index functions, fans out to handlers), and one delivery
/// thread per callback handler (runs the callbacks).
///
/// `@unchecked Sendable`: `state` fields are guarded by `lock`; `distribution` serialises
/// applying a batch to the store with queueing its events to the handlers.
public final class SharedInformer: @unchecked Sendable {
    /// How long a watch may stay silent before it is presumed dead and re-established.
    ///
    /// Informers always ask for bookmarks, and kube-apiserver sends one to such watchers
    /// about once a minute even when nothing changes, so a healthy watch is never silent
    /// much longer than that; 150 s (two and a half bookmark intervals) catches a dead TCP
    /// path (connection up, no bytes: a NAT or load balancer that dropped it) within about
    /// two and a half minutes instead of waiting for the watch's own timeout. Over HTTP/2
    /// client-go also pings the connection; libcurl's easy interface cannot ping a stream
    /// that is in use, so this limit is what detects a dead watch on both protocols.
    public static let defaultIdleTimeout: Duration = .seconds(150)

    /// The cache.
    public let indexer: Indexer
    /// Reads the cache.
    public var lister: Lister { Lister(indexer: indexer) }

    let name: String
    /// The resource and namespace part of `name` ("pods/default"), for OS thread names, which
    /// Linux cuts at 15 bytes: "r:" reflector, "p:" processor, "h:" handler delivery.
    var threadLabel: String {
        let label = name.hasPrefix("informer ") ? String(name.dropFirst("informer ".count)) : name
        return label.replacing(" in ", with: "/", maxReplacements: 1)
    }
    private let watchErrors: WatchErrorSink
    private let fifo: DeltaFIFO
    private let reflector: Reflector
    private let lock = ConditionLock()
    private let distribution = Locked<Void>(())
    private var registrations: [HandlerRegistration] = []
    /// Registrations taken out of delivery (removed, or all of them once stopped) whose
    /// thread may still be inside a callback: `stop()` joins them too. Pruned as they end.
    private var retired: [HandlerRegistration] = []
    private var started = false
    private var stopped = false
    private var synced = false
    private var processorThread: KubeThread?
    /// Counts the threads this informer started that are still running.
    let threads = ThreadTracker()
    /// How often the processor wakes to check the watch for idleness and pull-mode resyncs.
    private let idleCheck: Duration
    /// Backoff sleeps, watch idleness and resyncs are timed on it.
    let clock: any RuntimeClock

    /// An informer over `source`.
    /// - Parameters:
    ///   - pageSize: items per list page (nil: one unpaged list).
    ///   - transform: applied to each object before caching (for example `.dropManagedFields`).
    ///   - indexers: user indexes beside the built-in namespace index.
    ///   - idleTimeout: a watch silent for longer is re-established
    ///     (`defaultIdleTimeout`).
    ///   - backoff: delays between retries after failures.
    ///   - streamingList: get the initial state from a streaming list (`sendInitialEvents`),
    ///     falling back to paged lists where the source refuses.
    ///   - clock: times backoff sleeps, watch idleness and resyncs; tests pass a
    ///     `ManualRuntimeClock` and step it. Waits with a caller's timeout (`waitForSync`)
    ///     are real time.
    ///   - onWatchError: called on the reflector thread for every list/watch failure
    ///     (the informer retries by itself); the default logs a warning.
    public init(
        name: String = "informer",
        source: any ListerWatcher,
        pageSize: Int? = 500,
        transform: ObjectTransform = .none,
        indexers: [String: IndexFunction] = [:],
        idleTimeout: Duration = SharedInformer.defaultIdleTimeout,
        backoff: Backoff = Backoff(),
        streamingList: Bool = false,
        clock: any RuntimeClock = SystemRuntimeClock(),
        onWatchError: (@Sendable (KubeError) -> Void)? = nil
    ) {
        self.name = name
        self.clock = clock
        indexer = Indexer(indexers: indexers)
        fifo = DeltaFIFO(knownObjects: indexer)
        let watcher = Watcher(source: source, pageSize: pageSize, transform: transform, streamingList: streamingList)
        self.idleCheck = min(.seconds(1), max(.milliseconds(10), idleTimeout / 4))
        let sink = WatchErrorSink(label: name, handler: onWatchError)
        watchErrors = sink
        reflector = Reflector(watcher: watcher, fifo: fifo, backoff: backoff,
                              idleTimeout: idleTimeout, clock: clock,
                              onError: { error in sink.report(error) })
    }

    /// Replaces the handler of list/watch failures (client-go's `SetWatchErrorHandler`);
    /// nil logs them. It runs on the reflector thread after each failure, before the retry
    /// backoff; the informer recovers by itself, so it is for reporting, and it may call
    /// `stop()`. Unlike client-go it may be set after start too.
    public func setWatchErrorHandler(_ handler: (@Sendable (KubeError) -> Void)?) {
        watchErrors.set(handler)
    }

    deinit {
        stop()
    }

    // MARK: lifecycle

    /// Starts listing and watching. Starting twice, or after `stop()`, does nothing.
    public func start() throws(KubeError) {
        let shouldStart = lock.withLock { () -> Bool in
            if started || stopped { return false }
            started = true
            return true
        }
        guard shouldStart else { return }
        let t = try threads.spawn(name: "\(name)-processor", systemName: "p:\(threadLabel)") { [self] in runProcessor() }
        lock.withLock { processorThread = t }
        try reflector.start(name: "\(name)-reflector", systemName: "r:\(threadLabel)", threads: threads)
    }

    /// Stops the informer and joins every thread it started; pending events are dropped.
    /// Safe to call more than once and concurrently: every call from a thread of yours
    /// returns only once every callback of this informer has returned. Called from one of
    /// the informer's own threads (a handler, index function or watch-error handler) it only
    /// requests the stop and waits for nothing: a thread cannot wait for itself, and two
    /// callbacks stopping at once must not wait for each other. The threads then end (and
    /// are reaped) by themselves.
    public func stop() {
        stop(wait: !threads.containsCurrentThread)
    }

    /// `stop()` with the waiting decided by the caller (the factory decides for all its
    /// informers at once).
    func stop(wait: Bool) {
        let (regs, processor) = lock.withLock { () -> ([HandlerRegistration], KubeThread?) in
            if !stopped {
                stopped = true
                retired.append(contentsOf: registrations)
                registrations = []
            }
            // A second stop joins the same threads instead of returning early (issue 11, item 2).
            return (retired, processorThread)
        }
        lock.broadcast()
        reflector.stop(wait: wait)
        fifo.close()
        processor?.release(wait: wait)
        for reg in regs { reg.close(wait: wait) }
    }

    /// Whether the initial list has been applied to the cache.
    public var hasSynced: Bool { lock.withLock { synced } }

    /// Whether `stop()` was called.
    public var isStopped: Bool { lock.withLock { stopped } }

    /// Waits until the cache and every current callback handler have synced (received the
    /// initial list), or the timeout passes. Pull registrations are not waited for: ask
    /// their `hasSynced`. Returns false on timeout or when stopped.
    public func waitForSync(timeout: Duration) -> Bool {
        let deadline = MonotonicClock.deadline(after: timeout)
        let cacheSynced = lock.withLock { () -> Bool in
            while !synced && !stopped {
                if MonotonicClock.nanoseconds() >= deadline { return false }
                lock.wait(deadlineNanos: deadline)
            }
            return synced
        }
        guard cacheSynced else { return false }
        // Pull registrations are left out: they sync as their consumer takes events, which
        // may be the very thread waiting here.
        for reg in lock.withLock({ registrations }) where reg.fileDescriptor < 0 && !reg.waitForSync(deadlineNanos: deadline) {
            return false
        }
        return true
    }

    /// `waitForSync(timeout:)` with the timeout in seconds.
    @available(*, deprecated, renamed: "waitForSync(timeout:)")
    public func waitForSync(timeoutSeconds: Double) -> Bool {
        waitForSync(timeout: .seconds(clamping: timeoutSeconds))
    }

    /// The resourceVersion of the last list or event the informer saw.
    public var lastSyncResourceVersion: String { reflector.resourceVersion }

    // MARK: handlers

    /// Adds callback handlers, delivered on a new thread of their own.
    /// - Parameter resyncPeriod: when set, every cached object is re-delivered as an
    ///   update (old == new) this often.
    @discardableResult
    public func addHandler(_ handler: ResourceEventHandler, resyncPeriod: Duration? = nil) throws(KubeError) -> HandlerRegistration {
        let reg = HandlerRegistration(mode: .callback(handler), resyncPeriod: resyncPeriod, clock: clock)
        reg.resync = { [weak self] r in self?.resync(r) }
        reg.thread = try threads.spawn(name: "\(name)-handler", systemName: "h:\(threadLabel)") { reg.runDelivery(handler) }
        try register(reg)
        return reg
    }

    /// Adds a pull-mode registration: events wait in its queue; poll `fileDescriptor` and
    /// take them with `nextEvent()` on any thread. No thread is started for it.
    public func addPullRegistration(resyncPeriod: Duration? = nil) throws(KubeError) -> HandlerRegistration {
        let pipe = try HandlerRegistration.makeSignalPipe()
        let reg = HandlerRegistration(mode: .pull(readFD: pipe.read, writeFD: pipe.write), resyncPeriod: resyncPeriod, clock: clock)
        try register(reg)
        return reg
    }

    /// `addHandler(_:resyncPeriod:)` with the period in seconds (nil or <= 0: no resync).
    @available(*, deprecated, renamed: "addHandler(_:resyncPeriod:)")
    @discardableResult
    public func addHandler(_ handler: ResourceEventHandler, resyncPeriodSeconds: Double?) throws(KubeError) -> HandlerRegistration {
        try addHandler(handler, resyncPeriod: resyncPeriodSeconds.map { .seconds(clamping: $0) })
    }

    /// `addPullRegistration(resyncPeriod:)` with the period in seconds (nil or <= 0: no resync).
    @available(*, deprecated, renamed: "addPullRegistration(resyncPeriod:)")
    public func addPullRegistration(resyncPeriodSeconds: Double?) throws(KubeError) -> HandlerRegistration {
        try addPullRegistration(resyncPeriod: resyncPeriodSeconds.map { .seconds(clamping: $0) })
    }

    /// Removes a registration: no more events reach it, and its thread is joined (unless
    /// called from that very thread, which then ends when the callback returns).
    public func removeHandler(_ registration: HandlerRegistration) {
        lock.withLock {
            registrations.removeAll { $0 === registration }
            retired.removeAll { $0.thread?.isFinished ?? true }
            retired.append(registration)
        }
        // From any thread of this informer it does not wait (see `stop()`).
        registration.close(wait: !threads.containsCurrentThread)
    }

    private func register(_ reg: HandlerRegistration) throws(KubeError) {
        // Under `distribution`, the replayed cache and the live events that follow form one
        // consistent sequence: no event is both replayed and delivered, none is missed.
        let isStopped = distribution.withLock { _ -> Bool in
            let (isStopped, isSynced) = lock.withLock { () -> (Bool, Bool) in
                if stopped { return (true, false) }
                registrations.append(reg)
                return (false, synced)
            }
            if isStopped { return true }
            if isSynced {
                reg.enqueue(indexer.list().map { .add($0, isInitialList: true) })
                reg.markSyncPoint()
            }
            return false
        }
        if isStopped {
            reg.close()
            throw .closed("informer \(name) is stopped")
        }
    }

    private func resync(_ reg: HandlerRegistration) {
        distribution.withLock { _ in
            reg.enqueue(indexer.list().map { .update(old: $0, new: $0) })
        }
    }

    // MARK: processing

    private func runProcessor() {
        // The processor doubles as the watchdog: waking at least every `idleCheck`
        // it cancels a silent watch and runs resyncs of pull registrations (which have no thread).
        var lastCheck = clock.nanoseconds()
        let checkInterval = UInt64(idleCheck.nanosecondsClamped)
        while true {
            guard let batch = fifo.popAll(timeout: idleCheck) else { return }
            process(batch)
            fifo.done()
            let now = clock.nanoseconds()
            if now &- lastCheck >= checkInterval {
                lastCheck = now
                reflector.checkIdle(now: now)
                for reg in lock.withLock({ registrations }) where reg.resyncDueForPull(now: now) { resync(reg) }
            }
        }
    }

    private func process(_ batch: DeltaFIFO.Batch) {
        guard !batch.items.isEmpty || batch.containsReplace else { return }
        distribution.withLock { _ in
            let initial = !lock.withLock { synced }
            var changes: [Indexer.Change] = []
            var deltas: [Delta] = []
            for (_, keyDeltas) in batch.items {
                for delta in keyDeltas {
                    deltas.append(delta)
                    changes.append(delta.kind == .deleted ? .remove(key: delta.object.key) : .upsert(delta.object))
                }
            }
            // The whole batch (a relist included) reaches the store in one step.
            let previous = indexer.apply(changes)
            var events: [InformerEvent] = []
            events.reserveCapacity(deltas.count)
            for (delta, old) in zip(deltas, previous) {
                switch delta.kind {
                case .deleted:
                    // A delete of something never cached (added and deleted within a gap) is dropped.
                    if old != nil { events.append(.delete(delta.object, finalStateUnknown: delta.finalStateUnknown)) }
                case .updated, .replaced:
                    if let old {
                        events.append(.update(old: old, new: delta.object))
                    } else {
                        events.append(.add(delta.object, isInitialList: initial && delta.kind == .replaced))
                    }
                }
            }
            let regs = lock.withLock { registrations }
            for reg in regs { reg.enqueue(events) }
            if batch.containsReplace && initial {
                lock.withLock { synced = true }
                lock.broadcast()
                for reg in regs { reg.markSyncPoint() }
            }
        }
    }
}
