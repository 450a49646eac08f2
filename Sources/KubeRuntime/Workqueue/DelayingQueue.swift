import HeapModule
import KubeCore

/// A work queue whose keys can be added after a delay (client-go's `DelayingInterface`).
///
/// Delayed keys wait in one min-heap served by one timer thread (started on the first
/// `addAfter`, joined by `shutDown`), not in a thread or timer per key. A key scheduled again
/// while it waits keeps the earlier of its two times. Once due, it is `add`ed, with all of
/// `WorkQueue`'s guarantees. The timer thread keeps the queue alive: call `shutDown` (or
/// `shutDownWithDrain`) when done with a queue that used `addAfter`.
///
/// `@unchecked Sendable`: the delay state is guarded by `delayLock`; the timer thread is
/// started and joined under it.
public class DelayingQueue<Key: Hashable & Sendable>: WorkQueue<Key>, @unchecked Sendable {
    let delayLock = ConditionLock()

    // Guarded by `delayLock`.

    /// Delayed keys by time due. May hold stale entries for keys rescheduled earlier: an entry
    /// counts only if it matches `waiting[key]`.
    private var heap = Heap<DelayedEntry<Key>>()
    /// For each delayed key, the sequence number of its live heap entry and its due time.
    private var waiting: [Key: (sequence: UInt64, readyAt: UInt64)] = [:]
    private var nextSequence: UInt64 = 0
    private var retries: UInt64 = 0
    private var timer: KubeThread?
    private var timerLaunched = false
    private var stopped = false

    public override init(name: String = "", timings: Bool = true, clock: any RuntimeClock = SystemRuntimeClock()) {
        super.init(name: name, timings: timings, clock: clock)
        clock.register(delayLock)
    }

    /// Adds `key` once `delay` has passed (at once when `delay` ≤ 0). Ignored after shutdown.
    /// If the key is already waiting, it keeps whichever time is earlier.
    public func addAfter(_ key: Key, delay: Duration) {
        let nanos = delay.nanosecondsClamped
        var startTimer = false
        let immediate: Bool = delayLock.withLock {
            if stopped { return false }
            retries &+= 1
            if nanos <= 0 { return true }
            let readyAt = clock.nanoseconds() &+ UInt64(nanos)
            if let current = waiting[key], current.readyAt <= readyAt { return false }
            let sequence = nextSequence
            nextSequence &+= 1
            waiting[key] = (sequence, readyAt)
            let entry = DelayedEntry(readyAt: readyAt, sequence: sequence, key: key)
            let wakeTimer = heap.min.map { entry < $0 } ?? true
            heap.insert(entry)
            if !timerLaunched {
                timerLaunched = true
                startTimer = true
            } else if wakeTimer {
                delayLock.signal()
            }
            return false
        }
        if immediate { add(key) }
        if startTimer { launchTimer() }
    }

    private func launchTimer() {
        guard let thread = try? KubeThread.spawn(name: "workqueue-delay", { self.runTimer() }) else {
            // No thread: let the next addAfter try again; the keys stay in the heap meanwhile.
            delayLock.withLock { timerLaunched = false }
            return
        }
        let stoppedMeanwhile = delayLock.withLock {
            timer = thread
            return stopped
        }
        // A shutDown that ran before `timer` was set could not join it.
        if stoppedMeanwhile { thread.join() }
    }

    /// The timer thread: sleeps until the earliest key is due, then adds every due key.
    private func runTimer() {
        var ready: [Key] = []
        delayLock.lock()
        while !stopped {
            let now = clock.nanoseconds()
            while let first = heap.min, first.readyAt <= now {
                heap.removeMin()
                if let live = waiting[first.key], live.sequence == first.sequence {
                    waiting.removeValue(forKey: first.key)
                    ready.append(first.key)
                }
            }
            if !ready.isEmpty {
                // `add` takes the queue's lock: never hold both.
                delayLock.unlock()
                for key in ready { add(key) }
                ready.removeAll(keepingCapacity: true)
                delayLock.lock()
                continue
            }
            if let first = heap.min {
                clock.wait(on: delayLock, deadline: first.readyAt)
            } else {
                delayLock.wait()
            }
        }
        delayLock.unlock()
    }

    override func didShutDown() {
        let thread: KubeThread? = delayLock.withLock {
            stopped = true
            heap = Heap()
            waiting = [:]
            delayLock.broadcast()
            return timer
        }
        thread?.join()
    }

    override func addDelayMetrics(_ metrics: inout WorkQueueMetrics) {
        delayLock.withLock {
            metrics.retries = retries
            metrics.waitingForDelay = waiting.count
        }
    }
}
