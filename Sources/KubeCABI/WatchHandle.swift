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
/// `stop()` cancels the transfer and waits for the thread; every concurrent stop/free waits
/// (see `KubeThread.join`). Called on the watch thread itself (from a callback) it cannot
/// wait: the thread detaches itself when it finishes, and the table keeps the handle
/// *closing* until `isFinished`, so a concurrent free from another thread still waits.
///
/// `@unchecked Sendable`: `finished`, `outcome` and `published` are guarded by
/// `lock`; `thread` is written once in `start`, before `published` is set under the lock and
/// before the handle reaches C, and only read afterwards; `userData` is the caller's opaque pointer, only passed back to the caller's
/// callbacks (the header makes its validity the caller's duty).
final class WatchHandle: @unchecked Sendable {
    static let table = HandleTable<WatchHandle>(typeName: "kc_watch", isQuiescent: { $0.isFinished })

    private let token = CancellationToken()
    private let lock = ConditionLock()
    private var finished = false
    private var outcome = ErrorDescription.ok
    /// Set once `thread` is assigned; the watch thread waits for it before its first callback,
    /// so a callback that stops, waits on or frees its own watch always sees `thread`.
    private var published = false
    private var thread: KubeThread?
    private let onEvent: kc_watch_event_cb?
    private let onDone: kc_watch_done_cb?
    private let userData: UnsafeMutableRawPointer?
    weak var owner: ClientHandle?

    /// Resumes dropped streams and relists after 410 (`ResumableWatch`) instead of ending.
    private let resumable: Bool

    init(handlers: kc_watch_handlers, userData: UnsafeMutableRawPointer?, resumable: Bool = false) {
        onEvent = handlers.on_event
        onDone = handlers.on_done
        self.userData = userData
        self.resumable = resumable
    }

    /// Spawns the watch thread. The thread holds a strong reference until it ends.
    func start(resource: DynamicResource, options: ListOptions) throws(CABIError) {
        do {
            thread = try KubeThread.spawn(name: "watch \(resource.threadLabel)", systemName: "w:\(resource.threadLabel)") { [self] in
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

    /// True once the last callback (`on_done`) has returned.
    var isFinished: Bool { lock.withLock { finished } }

    /// Requests the end and waits until the last callback has returned; from the watch
    /// thread itself only requests it (the thread then detaches itself when it ends).
    func stop() {
        token.cancel()
        thread?.join()
    }

    /// Waits until finished or until `timeoutMs` (< 0 = forever); nil on timeout.
    func wait(timeoutMs: Int64) -> ErrorDescription? {
        return lock.withLock { () -> ErrorDescription? in
            guard lock.wait(until: { finished }, timeoutMs: timeoutMs) else { return nil }
            return outcome
        }
    }

    private func run(resource: DynamicResource, options: ListOptions) {
        lock.withLock {
            while !published { lock.wait() }
        }
        var result = ErrorDescription.ok
        do throws(KubeError) {
            if resumable {
                try runResumable(resource: resource, options: options)
            } else {
                try runPlain(resource: resource, options: options)
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
        lock.withLock {
            finished = true
            outcome = result
            lock.broadcast()
        }
    }

    /// A plain watch: ends when the stream ends. An ERROR event (410 Expired, ...) ends it
    /// with its Status as the outcome (KC_ERR_GONE), as the Swift and Python watches end with Gone.
    private func runPlain(resource: DynamicResource, options: ListOptions) throws(KubeError) {
        var ending: KubeError?
        try resource.watchRaw(options, cancellation: token) { event in
            if token.isCancelled { return .stop }
            if let error = event.endingError {
                ending = error
                return .stop
            }
            if let onEvent, let base = event.object.baseAddress {
                onEvent(Self.eventType(event.type), base.assumingMemoryBound(to: CChar.self), event.object.count, userData)
            }
            return token.isCancelled ? .stop : .continue
        }
        if let ending { throw ending }
    }

    /// A resumable watch: runs until stopped or a failure resuming cannot fix.
    private func runResumable(resource: DynamicResource, options: ListOptions) throws(KubeError) {
        try ResumableWatch(resource: resource, options: options, resourceVersion: options.resourceVersion)
            .run(cancellation: token) { event in
                if token.isCancelled { return .stop }
                if let onEvent {
                    event.rawObject.withUnsafeBytes { raw in
                        if let base = raw.baseAddress {
                            onEvent(Self.eventType(event.type), base.assumingMemoryBound(to: CChar.self), raw.count, userData)
                        }
                    }
                }
                return token.isCancelled ? .stop : .continue
            }
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
