import CKubeABI
import KubeClient
import KubeCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a `kc_watch *` points at: one watch stream running on its own `KubeThread`,
/// delivering events to the caller's C callbacks.
///
/// Lifecycle: running → finished (stream ended, failed or stopped; `on_done` called once).
/// `stop()` cancels the transfer and, unless called on the watch thread, joins it. When the
/// handle is freed from inside its own callback, the thread cannot be joined by anybody,
/// so it detaches itself when it finishes (`orphaned`).
///
/// `@unchecked Sendable`: `finished`, `outcome`, `orphaned` and `published` are guarded by
/// `lock`; `thread` is written once in `start`, before `published` is set under the lock and
/// before the handle reaches C, and only read afterwards; `userData` is the caller's opaque pointer, only passed back to the caller's
/// callbacks (the header makes its validity the caller's duty).
final class WatchHandle: @unchecked Sendable {
    static let table = HandleTable<WatchHandle>(typeName: "kc_watch")

    private let token = CancellationToken()
    private let lock = ConditionLock()
    private var finished = false
    private var outcome = ErrorDescription.ok
    private var orphaned = false
    /// Set once `thread` is assigned; the watch thread waits for it before its first callback,
    /// so a callback that stops, waits on or frees its own watch always sees `thread`.
    private var published = false
    private var thread: KubeThread?
    private let onEvent: kc_watch_event_cb?
    private let onDone: kc_watch_done_cb?
    private let userData: UnsafeMutableRawPointer?
    weak var owner: ClientHandle?

    init(handlers: kc_watch_handlers, userData: UnsafeMutableRawPointer?) {
        onEvent = handlers.on_event
        onDone = handlers.on_done
        self.userData = userData
    }

    /// Spawns the watch thread. The thread holds a strong reference until it ends.
    func start(resource: DynamicResource, options: ListOptions) throws(CABIError) {
        do {
            thread = try KubeThread.spawn(name: "kc-watch") { [self] in
                self.run(resource: resource, options: options)
            }
        } catch {
            throw .internalError("could not start the watch thread: \(error)")
        }
        lock.withLock {
            published = true
            lock.broadcast()
        }
    }

    /// True on the watch's own thread (inside a callback).
    var isWatchThread: Bool { thread?.isCurrent ?? false }

    /// Requests the end; joins the thread unless called from it.
    func stop() {
        token.cancel()
        if let thread, !thread.isCurrent { thread.join() }
    }

    /// Marks the handle as released by the caller: joined now, or (from inside a callback)
    /// left to detach itself once it finishes.
    func release() {
        token.cancel()
        guard let thread else { return }
        if thread.isCurrent {
            lock.withLock { orphaned = true }
        } else {
            thread.join()
        }
    }

    /// Waits until finished or until `timeoutMs` (< 0 = forever); nil on timeout.
    func wait(timeoutMs: Int64) -> ErrorDescription? {
        let deadline = timeoutMs < 0 ? nil : MonotonicClock.nanoseconds() &+ UInt64(timeoutMs) &* 1_000_000
        return lock.withLock { () -> ErrorDescription? in
            while !finished {
                if let deadline {
                    if MonotonicClock.nanoseconds() >= deadline { return nil }
                    lock.wait(deadlineNanos: deadline)
                } else {
                    lock.wait()
                }
            }
            return outcome
        }
    }

    private func run(resource: DynamicResource, options: ListOptions) {
        lock.withLock {
            while !published { lock.wait() }
        }
        var result = ErrorDescription.ok
        do {
            try resource.watchRaw(options, cancellation: token) { event in
                if token.isCancelled { return .stop }
                if let onEvent, let base = event.object.baseAddress {
                    onEvent(Self.eventType(event.type), base.assumingMemoryBound(to: CChar.self),
                            event.object.count, userData)
                }
                return token.isCancelled ? .stop : .continue
            }
        } catch {
            // A cancellation we asked for is a normal end, not a failure.
            if !(token.isCancelled && error.isCancelled) {
                result = ErrorDescription(error)
            }
        }
        if let onDone {
            var record = TemporaryErrorRecord(result)
            record.withPointer { onDone(result.status, $0, userData) }
        }
        let detach = lock.withLock { () -> Bool in
            finished = true
            outcome = result
            lock.broadcast()
            return orphaned
        }
        if detach { _ = pthread_detach(pthread_self()) }
    }

    static func eventType(_ type: WatchEventType) -> kc_event_type {
        switch type {
        case .added: return KC_EVENT_ADDED
        case .modified: return KC_EVENT_MODIFIED
        case .deleted: return KC_EVENT_DELETED
        case .bookmark: return KC_EVENT_BOOKMARK
        case .error: return KC_EVENT_ERROR
        }
    }
}
