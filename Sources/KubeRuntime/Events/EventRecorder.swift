import DequeModule
import FoundationEssentials
import KubeClient
import KubeCore
import Logging
import Synchronization

/// Records core/v1 Events about objects (client-go's `record.EventRecorder` with its
/// `EventCorrelator`).
///
/// - `record` never blocks on the network: events are written by one library thread, in order.
/// - Repeats aggregate: an event equal to an earlier one (same object, type, reason, message,
///   source) within the cache updates that Event's `count` and `lastTimestamp` instead of
///   creating a new object.
/// - Rate limited per object (client-go's spam filter): a token bucket of `burst` events
///   (25) refilled at `qps` (one per 5 minutes); events over it are dropped and counted in
///   `dropped`. The recorder's queue is bounded (`maxQueued`); overflow is dropped too.
///
/// `@unchecked Sendable`: mutable state is guarded by `lock`.
public final class EventRecorder: @unchecked Sendable {
    public let component: String
    public let host: String
    private let client: KubeClient
    private let clock: any RuntimeClock
    private let logger: Logger
    private let qps: Double
    private let burst: Double
    private let maxQueued: Int
    private let lock = ConditionLock()

    private struct Pending {
        var object: ObjectReference
        var type: EventType
        var reason: String
        var message: String
        var wallSeconds: Double
    }

    private struct AggregateKey: Hashable {
        var object: ObjectReference
        var type: EventType
        var reason: String
        var message: String
    }

    private struct Written {
        var namespace: String
        var name: String
        var count: Int
        var firstTimestamp: String
    }

    // Guarded by `lock`.
    private var pending = Deque<Pending>()
    private var written: [AggregateKey: Written] = [:]
    private var buckets: [ObjectReference: TokenBucket] = [:]
    private var stopped = false
    private var writing = false
    private var thread: KubeThread?
    private var droppedCount = 0
    private var writtenCount = 0

    /// client-go's per-object spam filter: one event per 5 minutes, bursts of 25.
    public static let defaultQPS: Double = 1.0 / 300
    public static let defaultBurst = 25

    /// - Parameters:
    ///   - component: the source component written on each Event ("network-controller").
    ///   - qps, burst: per-object rate limit (client-go: 1/300 per second, burst 25).
    public init(client: KubeClient, component: String, host: String = "", qps: Double = defaultQPS,
                burst: Int = defaultBurst,
                maxQueued: Int = 1000, clock: any RuntimeClock = SystemRuntimeClock(),
                logger: Logger = Logger(label: "kubeclient.events")) {
        self.client = client
        self.component = component
        self.host = host
        self.qps = qps
        self.burst = Double(max(1, burst))
        self.maxQueued = max(1, maxQueued)
        self.clock = clock
        self.logger = logger
    }

    /// Records an event about `object`. Returns false when it was dropped (rate limit, full
    /// queue, stopped). Thread-safe; does not wait for the server.
    @discardableResult
    public func record(_ object: ObjectReference, type: EventType, reason: String, message: String) -> Bool {
        let now = clock.nanoseconds()
        let wall = clock.wallSeconds()
        var startThread = false
        let accepted: Bool = lock.withLock {
            if stopped || pending.count >= maxQueued || !takeToken(object, now: now) {
                droppedCount += 1
                return false
            }
            pending.append(Pending(object: object, type: type, reason: reason, message: message, wallSeconds: wall))
            if thread == nil { startThread = true }
            lock.broadcast()
            return true
        }
        if startThread { launch() }
        return accepted
    }

    /// Events dropped by the rate limit or a full queue.
    public var dropped: Int { lock.withLock { droppedCount } }
    /// Events written (created or aggregated) so far.
    public var writtenEvents: Int { lock.withLock { writtenCount } }

    /// Blocks until every event recorded so far was written (or `timeout` passed); true when done.
    @discardableResult
    public func flush(timeout: Duration = .seconds(10)) -> Bool {
        let deadline = MonotonicClock.deadline(after: timeout)
        return lock.withLock {
            while !pending.isEmpty || writing {
                if MonotonicClock.nanoseconds() >= deadline { return false }
                lock.wait(deadlineNanos: min(deadline, MonotonicClock.nanoseconds() &+ 10_000_000))
            }
            return true
        }
    }

    /// Writes what is queued, then stops the writer thread. Later `record`s are dropped.
    public func stop() {
        flush()
        let t = lock.withLock { () -> KubeThread? in
            stopped = true
            lock.broadcast()
            return thread
        }
        t?.join()
    }

    private func takeToken(_ reference: ObjectReference, now: UInt64) -> Bool {
        var object = reference
        object.resourceVersion = nil  // one bucket per object, whatever its version
        if buckets.count > 4096 && buckets[object] == nil { buckets.removeAll() }  // bounded, like client-go's LRU
        var bucket = buckets[object] ?? TokenBucket(qps: qps, burst: burst, now: now)
        let taken = bucket.take(now: now)
        buckets[object] = bucket
        return taken
    }

    private func launch() {
        let t = try? KubeThread.spawn(name: "event-recorder") { [self] in run() }
        lock.withLock {
            if thread == nil { thread = t }
        }
    }

    private func run() {
        while true {
            let next: Pending? = lock.withLock {
                while pending.isEmpty && !stopped { lock.wait() }
                if pending.isEmpty { return nil }
                writing = true
                return pending.popFirst()
            }
            guard let event = next else { return }
            write(event)
            lock.withLock {
                writing = false
                writtenCount += 1
                lock.broadcast()
            }
        }
    }

    /// Creates the Event, or bumps the count of the one it repeats (client-go's correlator).
    private func write(_ e: Pending) {
        // client-go's correlator key leaves the resourceVersion out: a repeat about a newer
        // version of the same object is still a repeat.
        var sameObject = e.object
        sameObject.resourceVersion = nil
        let key = AggregateKey(object: sameObject, type: e.type, reason: e.reason, message: e.message)
        let timestamp = RFC3339.format(Date(timeIntervalSince1970: e.wallSeconds))
        let namespace = (e.object.namespace?.isEmpty ?? true) ? "default" : (e.object.namespace ?? "default")
        let events = client.resource(GroupVersionResource(group: "", version: "v1", resource: "events")).namespace(namespace)
        if let previous = lock.withLock({ written[key] }) {
            let count = previous.count + 1
            let patch: JSON = ["count": .int(Int64(count)), "lastTimestamp": .string(timestamp)]
            do {
                _ = try events.patch(previous.name, patch, type: .merge)
                lock.withLock { written[key]?.count = count }
                return
            } catch {
                logger.debug("could not update event \(previous.name), creating a new one: \(error)")
            }
        }
        let name = "\(e.object.name).\(Self.suffix(e.wallSeconds))"
        let event: JSON = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "involvedObject": e.object.json,
            "reason": .string(e.reason), "message": .string(e.message), "type": .string(e.type.rawValue),
            "source": host.isEmpty ? ["component": .string(component)] : ["component": .string(component), "host": .string(host)],
            "reportingComponent": .string(component), "reportingInstance": .string(host),
            "firstTimestamp": .string(timestamp), "lastTimestamp": .string(timestamp), "count": 1,
        ]
        do {
            let object = try Unstructured(json: event)
            _ = try events.create(object)
            lock.withLock {
                written[key] = Written(namespace: namespace, name: name, count: 1, firstTimestamp: timestamp)
                if written.count > 4096 { written.removeAll() }  // client-go's LRU holds 4096
            }
        } catch {
            logger.warning("could not write event: \(error)", metadata: ["object": "\(e.object.name)", "reason": "\(e.reason)"])
        }
    }

    /// client-go names events `<object>.<unix nanos in hex>`; a counter keeps names unique
    /// within one process even for events in the same nanosecond.
    private static let sequence = Atomic<UInt64>(0)
    private static func suffix(_ wallSeconds: Double) -> String {
        let nanos = UInt64(max(0, wallSeconds) * 1e9) &+ sequence.add(1, ordering: .relaxed).newValue
        return String(nanos, radix: 16)
    }
}
