import DequeModule
import KubeCore

/// The queue between a reflector and the informer that processes its changes, with the
/// semantics of client-go's DeltaFIFO:
///
/// - deltas are grouped per key and kept in arrival order; keys leave in the order they
///   first arrived, so one object's changes are never reordered;
/// - two consecutive deletions of the same key collapse into one (keeping the one whose
///   final state is known);
/// - `replace(with:)` (a completed relist) queues every listed object and, for each key
///   the cache or the queue still knows but the list lacks, a deletion carrying the last
///   known object with `finalStateUnknown` set.
///
/// The consumer takes everything queued at once (`popAll`) and calls `done()` when it has
/// applied it; `replace` waits for that, so a relist never races an in-flight batch and a
/// relist's contents always reach the consumer in one batch (the store swaps in one step).
///
/// Wake-ups of a waiting consumer are coalesced to one per 0.5 ms while deltas keep coming,
/// so a fast watch is handed over in batches rather than a context switch per event; a delta
/// waits at most 0.5 ms for it, and the first one after a pause wakes the consumer at once.
///
/// `@unchecked Sendable`: every stored var is read and written only with `lock` held.
public final class DeltaFIFO: @unchecked Sendable {
    /// Everything taken by one `popAll`.
    public struct Batch: Sendable {
        /// Keys with their deltas, oldest first.
        public var items: [(key: String, deltas: [Delta])]
        /// A relist completed since the previous batch (all its deltas are in this batch).
        public var containsReplace: Bool
    }

    private let lock = ConditionLock()
    private var queue: Deque<String> = []
    private var items: [String: [Delta]] = [:]
    private var replacedSinceLastPop = false
    private var inFlight = false
    private var closed = false
    /// When `add` last woke the consumer (monotonic nanoseconds).
    private var lastWake: UInt64 = 0
    /// The longest a delta waits for a consumer that is not woken at once: 0.5 ms, only
    /// while deltas arrive faster than that (the first after a pause wakes at once).
    static let wakeIntervalNanos: UInt64 = 500_000
    /// The store the consumer keeps; `replace` asks it which keys exist.
    private let knownObjects: Indexer?

    public init(knownObjects: Indexer?) {
        self.knownObjects = knownObjects
    }

    /// Queues one delta for its object's key.
    public func add(_ delta: Delta) {
        add(contentsOf: CollectionOfOne(delta))
    }

    /// Queues several deltas in order, under one lock and with at most one wake-up of the
    /// consumer (a watch hands over what one read of the stream brought).
    public func add<S: Sequence<Delta>>(contentsOf deltas: S) {
        let wake = lock.withLock { () -> Bool in
            guard !closed else { return false }
            // Only a consumer that found the queue empty waits (`popAll` takes everything),
            // so only the first key queued into an empty queue may need to wake it: a wake-up
            // per delta made the reader pay a futex call (and the consumer a context switch)
            // for every event.
            let wasEmpty = queue.isEmpty
            for delta in deltas { append(delta) }
            guard wasEmpty && !queue.isEmpty else { return false }
            // Wake-ups are coalesced: within `wakeInterval` of the last one, a waiting consumer
            // is in a timed wait that ends by then (see `popAll`), so the delta waits at most
            // that long and a fast stream reaches the consumer in batches.
            let now = MonotonicClock.nanoseconds()
            if now &- lastWake < Self.wakeIntervalNanos { return false }
            lastWake = now
            return true
        }
        if wake { lock.broadcast() }
    }

    private func append(_ delta: Delta) {
        let key = delta.object.key
        // In place (the dictionary's modify accessor): copying the key's array out and back
        // cost a copy of the array, still referenced by the table, and a second hash per delta.
        if Self.merge(delta, into: &items[key, default: []]) { queue.append(key) }
    }

    /// Adds `delta` to one key's deltas; true when the key had none (it joins the queue).
    private static func merge(_ delta: Delta, into deltas: inout [Delta]) -> Bool {
        guard let last = deltas.last else {
            deltas.append(delta)
            return true
        }
        if delta.kind == .deleted, last.kind == .deleted {
            // Consecutive deletions collapse; a known final state beats an unknown one.
            if last.finalStateUnknown && !delta.finalStateUnknown { deltas[deltas.count - 1] = delta }
            return false
        }
        deltas.append(delta)
        return false
    }

    /// Queues a completed (re)list: `.replaced` for each object, and deletions with
    /// `finalStateUnknown` for keys known before but absent from the list.
    public func replace(with objects: [CachedObject]) {
        lock.withLock {
            while inFlight && !closed { lock.wait() }
            guard !closed else { return }
            var listed = Set<String>()
            listed.reserveCapacity(objects.count)
            for object in objects {
                listed.insert(object.key)
                append(Delta(.replaced, object))
            }
            var handled = Set<String>()
            // Keys still queued: their newest queued state is the last we know.
            for key in queue where !listed.contains(key) {
                handled.insert(key)
                if let last = items[key]?.last, last.kind != .deleted {
                    append(Delta(.deleted, last.object, finalStateUnknown: true))
                }
            }
            if let knownObjects {
                for object in knownObjects.list() where !listed.contains(object.key) && !handled.contains(object.key) {
                    append(Delta(.deleted, object, finalStateUnknown: true))
                }
            }
            replacedSinceLastPop = true
        }
        lock.broadcast()
    }

    /// Takes everything queued, waiting up to `timeout` (nil: forever) for something.
    /// Returns nil once closed, or an empty batch on timeout. Call `done()` after applying it.
    public func popAll(timeout: Duration? = nil) -> Batch? {
        let deadline = timeout.map { MonotonicClock.deadline(after: $0) }
        return lock.withLock { () -> Batch? in
            while queue.isEmpty && !replacedSinceLastPop && !closed {
                // Within the wake interval an `add` may not wake us: wait no longer than its end.
                let coalesced = lastWake &+ Self.wakeIntervalNanos
                let now = MonotonicClock.nanoseconds()
                if let deadline, now >= deadline { return Batch(items: [], containsReplace: false) }
                if now < coalesced && lastWake != 0 {
                    lock.wait(deadlineNanos: min(coalesced, deadline ?? .max))
                } else if let deadline {
                    lock.wait(deadlineNanos: deadline)
                } else {
                    lock.wait()
                }
            }
            if closed { return nil }
            var batch: [(key: String, deltas: [Delta])] = []
            batch.reserveCapacity(queue.count)
            for key in queue {
                if let deltas = items[key] { batch.append((key, deltas)) }
            }
            // Keep the tables only when small: after a relist of 50k objects they would hold
            // megabytes for the informer's lifetime.
            let keep = queue.count <= 1024
            queue.removeAll(keepingCapacity: keep)
            items.removeAll(keepingCapacity: keep)
            let replaced = replacedSinceLastPop
            replacedSinceLastPop = false
            inFlight = true
            return Batch(items: batch, containsReplace: replaced)
        }
    }

    /// The consumer finished applying the last batch.
    public func done() {
        lock.withLock { inFlight = false }
        lock.broadcast()
    }

    /// Number of keys waiting.
    public var count: Int { lock.withLock { queue.count } }

    /// Wakes every waiter; later `popAll` calls return nil and additions are dropped.
    public func close() {
        lock.withLock { closed = true }
        lock.broadcast()
    }
}
