import DequeModule
import KubeCore

/// A work queue with client-go's guarantees (`k8s.io/client-go/util/workqueue`).
///
/// - Fair: keys are handed out in the order they were added.
/// - Stingy: a key added several times before a worker takes it is processed once
///   (duplicates waiting in the queue collapse into one).
/// - Exclusive: a key is never processed by two workers at once. A key added while a worker
///   is processing it is not handed out again until that worker calls `done`; then it is
///   queued again, and processed again.
/// - `shutDown()` makes `add` a no-op and wakes every blocked `get`; `get` keeps returning
///   the keys still queued and returns nil once the queue is empty.
///   `shutDownWithDrain()` also waits until every key handed out has been `done`.
///
/// Every method is thread-safe and may be called from any thread; `get` blocks the caller.
/// A worker must call `done(key)` for every key `get` returned, whatever happened.
///
/// `@unchecked Sendable`: all mutable state is guarded by `lock`.
public class WorkQueue<Key: Hashable & Sendable>: @unchecked Sendable {
    /// The name reported in metrics.
    public let name: String
    @usableFromInline let clock: any RuntimeClock
    @usableFromInline let lock = ConditionLock(adaptive: true)

    // Everything below is guarded by `lock`. Dynamic exclusivity checks are off for these
    // fields (they cost a tenth of a queue operation): the lock already serialises access.
    // The hot paths are @inlinable so that callers get them specialized for their key type;
    // unspecialized generic code spends most of its time looking up type metadata.

    /// Slots of the keys waiting for a worker, oldest first. Invariant: each slot appears at
    /// most once, and every slot in `queue` is dirty and not processing (so no worker can get
    /// a key another worker holds).
    @exclusivity(unchecked) @usableFromInline final var queue = Deque<Int>()
    /// client-go's `dirty` and `processing` sets, as flags on one slot per key (see
    /// `WorkQueueItemState`). dirty ⇔ the key needs processing (it is in `queue`, or it is
    /// processing and was added again). processing ⇔ a worker got it and has not called
    /// `done` yet. A dirty key that is not processing is in `queue`; a dirty processing key is
    /// not, and moves to `queue` on `done`. A key that is neither is idle: its slot stays
    /// (so re-adding it costs no insert) until `reclaimIdleSlots` frees it.
    @exclusivity(unchecked) @usableFromInline final var slots: [WorkQueueItemState<Key>] = []
    /// The slot of each known key.
    @exclusivity(unchecked) @usableFromInline final var slotOf: [Key: Int] = [:]
    /// Free slot numbers, reused before `slots` grows.
    @exclusivity(unchecked) @usableFromInline final var freeSlots: [Int] = []
    /// Known keys that are idle.
    @exclusivity(unchecked) @usableFromInline final var idleCount = 0
    /// The slots with `processing` set, in no order (each slot knows its index here). With
    /// few in flight — one per worker — `done` finds its key by comparing against these
    /// instead of hashing it.
    @exclusivity(unchecked) @usableFromInline final var inFlight: [Int] = []
    /// Number of slots with `processing` set (`inFlight.count`).
    @inlinable final var processingCount: Int { inFlight.count }
    /// Threads blocked in `get`: only signal when someone waits.
    @exclusivity(unchecked) @usableFromInline final var idleGetters = 0
    /// Set once by `shutDown`; `add` is ignored afterwards.
    @exclusivity(unchecked) @usableFromInline final var shuttingDown = false
    /// Set by `shutDownWithDrain` while it waits for `processingCount` to reach zero.
    @exclusivity(unchecked) @usableFromInline final var draining = false
    @exclusivity(unchecked) @usableFromInline final var drainWaiters = 0
    @exclusivity(unchecked) @usableFromInline final var adds: UInt64 = 0
    @exclusivity(unchecked) @usableFromInline final var queueLatency = DurationHistogram()
    @exclusivity(unchecked) @usableFromInline final var workDuration = DurationHistogram()

    /// Whether the queue reads the clock for its latency and duration metrics (three clock
    /// reads and two histogram updates per add/get/done cycle, ≈ 70 ns of one worker's time).
    public let recordsTimings: Bool

    /// Creates an empty queue. `timings: false` drops the queue-latency, work-duration and
    /// longest-running metrics (like client-go without a metrics provider); `clock` is only
    /// replaced by tests.
    public init(name: String = "", timings: Bool = true, clock: any RuntimeClock = SystemRuntimeClock()) {
        self.name = name
        self.clock = clock
        recordsTimings = timings
    }

    @inlinable
    final var now: UInt64 { recordsTimings ? clock.nanoseconds() : 0 }

    /// Marks `key` as needing processing. Ignored when the key is already waiting, and after
    /// `shutDown`. If a worker holds the key, it is queued again when that worker calls `done`.
    @inlinable
    public func add(_ key: Key) {
        let now = self.now
        lock.lock()
        defer { lock.unlock() }
        if shuttingDown { return }
        adds &+= 1
        // One hash lookup: the defaulted subscript's modify accessor inserts in place.
        let slot = Self.slotNumber(&slotOf[key, default: -1], key: key, slots: &slots, freeSlots: &freeSlots)
        if slots[slot].dirty { return }
        if slots[slot].isIdle && slots[slot].queuedAt != 0 { idleCount -= 1 }
        slots[slot].dirty = true
        if slots[slot].processing { return }
        slots[slot].queuedAt = now | 1
        queue.append(slot)
        if idleGetters > 0 { lock.signal() }
    }

    /// The key's slot, allocated when `entry` is new (-1). A fresh slot has `queuedAt` 0,
    /// which tells it apart from an idle one (queuedAt is never 0 once used).
    @inlinable
    static func slotNumber(_ entry: inout Int, key: Key, slots: inout [WorkQueueItemState<Key>],
                           freeSlots: inout [Int]) -> Int {
        if entry >= 0 { return entry }
        if let free = freeSlots.popLast() {
            slots[free] = WorkQueueItemState(key: key)
            entry = free
        } else {
            slots.append(WorkQueueItemState(key: key))
            entry = slots.count - 1
        }
        return entry
    }

    /// Blocks until a key is available and returns it, marking it as processing; returns nil
    /// once the queue is shut down and empty. Call `done(key)` when finished with it.
    @inlinable
    public func get() -> Key? {
        // The clock is read before taking the lock (again after a wait), to keep the time
        // the lock is held short.
        var now = self.now
        lock.lock()
        defer { lock.unlock() }
        if queue.isEmpty && !shuttingDown {
            repeat {
                idleGetters += 1
                lock.wait()
                idleGetters -= 1
            } while queue.isEmpty && !shuttingDown
            now = self.now
        }
        return takeFirstLocked(now: now)
    }

    /// Like `get`, waiting at most `timeout`. Returns `.item`, `.timedOut` or `.shutDown`.
    @inlinable
    public func get(timeout: Duration) -> WorkQueueGetResult<Key> {
        let deadline = MonotonicClock.deadline(after: timeout)
        lock.lock()
        defer { lock.unlock() }
        while queue.isEmpty && !shuttingDown {
            if MonotonicClock.nanoseconds() >= deadline { return .timedOut }
            idleGetters += 1
            lock.wait(deadlineNanos: deadline)
            idleGetters -= 1
        }
        if let key = takeFirstLocked(now: self.now) { return .item(key) }
        return .shutDown
    }

    @inlinable
    final func takeFirstLocked(now: UInt64) -> Key? {
        guard let slot = queue.popFirst() else { return nil }
        let queuedAt = slots[slot].queuedAt
        slots[slot].dirty = false
        slots[slot].processing = true
        slots[slot].startedAt = now
        if recordsTimings { queueLatency.observe(nanoseconds: now &- min(now, queuedAt)) }
        slots[slot].inFlightIndex = inFlight.count
        inFlight.append(slot)
        return slots[slot].key
    }

    /// Marks `key` as done processing. If it was added while processing, it is queued again.
    /// Calling `done` for a key that is not processing has no effect.
    @inlinable
    public func done(_ key: Key) {
        let now = self.now
        lock.lock()
        defer { lock.unlock() }
        guard let slot = processingSlot(of: key) else { return }
        slots[slot].processing = false
        removeFromInFlight(slot)
        if recordsTimings { workDuration.observe(nanoseconds: now &- min(now, slots[slot].startedAt)) }
        if slots[slot].dirty {
            slots[slot].queuedAt = now | 1
            queue.append(slot)
            if idleGetters > 0 { lock.signal() }
        } else {
            idleCount += 1
            if idleCount > 1024 && idleCount > slotOf.count / 2 { reclaimIdleSlots() }
        }
        if processingCount == 0 && drainWaiters > 0 { lock.broadcast() }
    }

    /// The slot of `key` if it is processing. Few keys are in flight (about one per worker):
    /// comparing against them is cheaper than hashing the key.
    @inlinable
    final func processingSlot(of key: Key) -> Int? {
        if inFlight.count <= 8 {
            for slot in inFlight where slots[slot].key == key { return slot }
            return nil
        }
        guard let slot = slotOf[key], slots[slot].processing else { return nil }
        return slot
    }

    @inlinable
    final func removeFromInFlight(_ slot: Int) {
        let index = slots[slot].inFlightIndex
        let last = inFlight.removeLast()
        if last != slot {
            inFlight[index] = last
            slots[last].inFlightIndex = index
        }
        slots[slot].inFlightIndex = -1
    }

    /// Forgets idle keys so that a queue that saw many keys does not keep them all.
    /// Amortised O(1): runs when idle keys are over half of the known ones.
    @usableFromInline
    func reclaimIdleSlots() {
        var kept: [Key: Int] = [:]
        kept.reserveCapacity(slotOf.count - idleCount)
        for (key, slot) in slotOf {
            if slots[slot].isIdle {
                slots[slot] = WorkQueueItemState(key: nil)
                freeSlots.append(slot)
            } else {
                kept[key] = slot
            }
        }
        slotOf = kept
        idleCount = 0
    }

    /// Keys waiting for a worker (not counting keys being processed).
    @inlinable
    public var count: Int { lock.withLock { queue.count } }

    /// True once `shutDown` or `shutDownWithDrain` was called.
    public var isShuttingDown: Bool { lock.withLock { shuttingDown } }

    /// Stops accepting keys and wakes every blocked `get`. Keys already queued are still
    /// handed out; `get` returns nil once none is left. Returns at once.
    public func shutDown() {
        lock.withLock {
            shuttingDown = true
            lock.broadcast()
        }
        didShutDown()
    }

    /// Like `shutDown`, then blocks until every key handed out by `get` has been `done`.
    /// Must not be called from a worker that holds a key (it would wait for itself).
    public func shutDownWithDrain() {
        lock.withLock {
            shuttingDown = true
            draining = true
            lock.broadcast()
        }
        didShutDown()
        lock.withLock {
            drainWaiters += 1
            while processingCount > 0 { lock.wait() }
            drainWaiters -= 1
        }
    }

    /// Hook for subclasses that own threads (the delaying queue's timer).
    func didShutDown() {}

    /// A snapshot of the queue's metrics.
    public func metrics() -> WorkQueueMetrics {
        let now = clock.nanoseconds()
        var m = WorkQueueMetrics(name: name)
        lock.withLock {
            m.depth = queue.count
            m.processing = processingCount
            m.adds = adds
            m.queueLatency = queueLatency
            m.workDuration = workDuration
            if processingCount > 0 && recordsTimings {
                var total: UInt64 = 0
                var longest: UInt64 = 0
                for state in slots where state.processing {
                    let running = now &- min(now, state.startedAt)
                    total &+= running
                    longest = max(longest, running)
                }
                m.unfinishedWork = .nanoseconds(Int64(clamping: total))
                m.longestRunningProcessor = .nanoseconds(Int64(clamping: longest))
            }
        }
        addDelayMetrics(&m)
        return m
    }

    /// Hook for subclasses that add metrics of their own.
    func addDelayMetrics(_ metrics: inout WorkQueueMetrics) {}
}

/// The outcome of `WorkQueue.get(timeout:)`.
public enum WorkQueueGetResult<Key: Hashable & Sendable>: Sendable, Hashable {
    /// A key to process; call `done` with it.
    case item(Key)
    /// Nothing arrived in time.
    case timedOut
    /// The queue is shut down and empty.
    case shutDown
}
