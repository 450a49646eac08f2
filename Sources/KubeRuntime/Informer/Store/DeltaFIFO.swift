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
    /// The store the consumer keeps; `replace` asks it which keys exist.
    private let knownObjects: Indexer?

    public init(knownObjects: Indexer?) {
        self.knownObjects = knownObjects
    }

    /// Queues one delta for its object's key.
    public func add(_ delta: Delta) {
        lock.withLock {
            guard !closed else { return }
            append(delta)
        }
        lock.broadcast()
    }

    private func append(_ delta: Delta) {
        let key = delta.object.key
        if var existing = items[key] {
            if delta.kind == .deleted, let last = existing.last, last.kind == .deleted {
                // Consecutive deletions collapse; a known final state beats an unknown one.
                if last.finalStateUnknown && !delta.finalStateUnknown {
                    existing[existing.count - 1] = delta
                    items[key] = existing
                }
                return
            }
            existing.append(delta)
            items[key] = existing
        } else {
            items[key] = [delta]
            queue.append(key)
        }
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

    /// Takes everything queued, waiting up to `timeoutSeconds` (nil: forever) for something.
    /// Returns nil once closed, or an empty batch on timeout. Call `done()` after applying it.
    public func popAll(timeoutSeconds: Double? = nil) -> Batch? {
        let deadline = timeoutSeconds.map { MonotonicClock.deadline(afterSeconds: $0) }
        return lock.withLock { () -> Batch? in
            while queue.isEmpty && !replacedSinceLastPop && !closed {
                if let deadline {
                    if !lock.wait(deadlineNanos: deadline) && MonotonicClock.nanoseconds() >= deadline {
                        return Batch(items: [], containsReplace: false)
                    }
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
