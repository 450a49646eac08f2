import KubeCore

/// A watch running on its own thread, read with blocking `next()`.
///
/// Events are buffered up to `bufferSize`; when the reader falls behind, the watch thread
/// waits (back-pressure) rather than growing memory. `cancel()` (any thread) ends the watch
/// promptly; `next()` then returns nil. `deinit` cancels and joins the thread.
///
/// `@unchecked Sendable`: all mutable state is in `state`, guarded by `lock`.
public final class WatchStream: @unchecked Sendable {
    private final class State {
        var events: [WatchEvent] = []
        var head = 0
        var finished = false
        var failure: KubeError? = nil
    }

    private let lock = ConditionLock()
    private let state = State()
    private let token = CancellationToken()
    private let bufferSize: Int
    private var thread: KubeThread?

    init(resource: DynamicResource, options: ListOptions, bufferSize: Int) throws(KubeError) {
        self.bufferSize = max(1, bufferSize)
        var watchOptions = options
        watchOptions.watch = true
        var request = resource.makeRequest(method: "GET", name: nil)
        request.addQuery(watchOptions.queryItems)
        let rest = resource.rest
        let box = Unowned(self)
        do {
            thread = try KubeThread.spawn(name: "watch \(resource.threadLabel)", systemName: "w:\(resource.threadLabel)") { [request, token] in
                var failure: KubeError? = nil
                do throws(KubeError) {
                    try DynamicResource.runWatch(rest: rest, request: request, cancellation: token) { raw in
                        guard let stream = box.value else { return .stop }
                        if let ending = raw.endingError {
                            failure = ending
                            return .stop
                        }
                        do throws(KubeError) {
                            return stream.push(try WatchEvent(raw)) ? .continue : .stop
                        } catch {
                            failure = error
                            return .stop
                        }
                    }
                } catch {
                    failure = error
                }
                box.value?.finish(failure)
            }
        } catch {
            throw .system("could not start the watch thread: \(error)")
        }
    }

    deinit {
        token.cancel()
        lock.withLock { lock.broadcast() }
        thread?.join()  // from the watch thread itself: returns at once, the thread detaches
    }

    /// Blocks until the next event; nil when the watch ended (server closed it, or cancelled).
    /// Throws the error that ended the watch (e.g. `.api` 410 Gone, `.transport`), once.
    public func next() throws(KubeError) -> WatchEvent? {
        lock.lock()
        defer { lock.unlock() }
        while state.head >= state.events.count && !state.finished {
            lock.wait()
        }
        if state.head < state.events.count {
            let event = state.events[state.head]
            state.head += 1
            if state.head > 256 && state.head * 2 > state.events.count {
                state.events.removeFirst(state.head)
                state.head = 0
            }
            lock.broadcast()
            return event
        }
        if let failure = state.failure {
            state.failure = nil
            throw failure
        }
        return nil
    }

    /// Stops the watch; pending `next()` calls return the buffered events, then nil.
    public func cancel() {
        token.cancel()
        lock.withLock { lock.broadcast() }
    }

    /// Stops the watch and waits for its thread to end (not from inside the watch thread).
    public func close() {
        cancel()
        thread?.join()  // from the watch thread itself: returns at once, the thread detaches
    }

    /// True once cancelled.
    public var isCancelled: Bool { token.isCancelled }

    /// Called on the watch thread; false when cancelled (stop the watch).
    private func push(_ event: WatchEvent) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        while state.events.count - state.head >= bufferSize && !token.isCancelled {
            lock.wait()
        }
        if token.isCancelled { return false }
        state.events.append(event)
        lock.broadcast()
        return true
    }

    private func finish(_ failure: KubeError?) {
        lock.withLock {
            state.finished = true
            if let failure, !(failure.isCancelled && token.isCancelled) { state.failure = failure }
            lock.broadcast()
        }
    }
}

/// A weak reference the watch thread holds, so an abandoned stream can deinit (and cancel).
/// `@unchecked Sendable`: `weak` loads/stores are atomic in Swift.
private final class Unowned<T: AnyObject>: @unchecked Sendable {
    weak var value: T?
    init(_ value: T) { self.value = value }
}
