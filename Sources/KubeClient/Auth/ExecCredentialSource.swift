import FoundationEssentials
import KubeCore

/// Caches an exec plugin's credential until its expirationTimestamp (forever when it has
/// none) or until `invalidate()`; one plugin run at a time. Callers arriving while the plugin
/// runs wait for it and share its result instead of starting their own.
///
/// Nobody waits without bound (client-go runs plugins under the request's context): the
/// caller that runs the plugin kills it when its own deadline passes or its request is
/// cancelled, every run is killed after `maxRunTime`, and a caller waiting for another's run
/// gives up at its own deadline or cancellation. `close()` kills a running plugin and fails
/// every later call, so closing a client never waits for a hung plugin.
///
/// `@unchecked Sendable`: `state` is only read or written with `lock` held.
final class ExecCredentialSource: @unchecked Sendable {
    /// Longest a plugin may run, whatever the request's deadline. Plugins here never run
    /// interactively (no terminal), so a run this long is hung, not waiting for a person.
    static let maxRunTime: Duration = .seconds(120)

    private struct State {
        var cached: ExecPlugin.Result?
        var running = false
        var closed = false
        /// Counts finished runs, so a waiter can tell that the run it waited for ended.
        var finishedRuns = 0
        /// The failure of the last run when it is the plugin's own (not a caller giving up),
        /// shared with those who waited for that run.
        var sharedFailure: KubeError?
    }

    private let plugin: ExecPlugin
    /// Wall time for the plugin's expiry timestamps (a manual clock in tests).
    private let clock: any RuntimeClock
    private let lock = ConditionLock()
    private var state = State()

    init(plugin: ExecPlugin, clock: any RuntimeClock) {
        self.plugin = plugin
        self.clock = clock
    }

    /// The cached credential, or a fresh one from the plugin.
    ///
    /// - Parameters:
    ///   - deadline: `MonotonicClock` instant (nanoseconds) after which the caller gives up
    ///     with a timeout; nil waits up to `maxRunTime` for a run.
    ///   - cancellation: gives up (and kills the plugin this caller started) when cancelled.
    func credential(deadline: UInt64? = nil, cancellation: CancellationToken? = nil) throws(KubeError) -> Credential {
        lock.lock()
        while true {
            if state.closed {
                lock.unlock()
                throw .closed("the client was closed")
            }
            if let cached = state.cached, !isExpired(cached) {
                lock.unlock()
                return cached.credential
            }
            if !state.running { break }
            let run = state.finishedRuns
            while state.running, state.finishedRuns == run, !state.closed {
                if cancellation?.isCancelled == true {
                    lock.unlock()
                    throw .transport(TransportError(kind: .cancelled, message: "request cancelled while waiting for the exec plugin"))
                }
                let now = MonotonicClock.nanoseconds()
                if let deadline, now >= deadline {
                    lock.unlock()
                    throw .transport(TransportError(kind: .timeout, message: "timed out waiting for the exec plugin's credential"))
                }
                // Wakes at least every poll interval to notice a cancellation.
                let slice = now &+ UInt64(PluginProcess.pollIntervalMilliseconds) * 1_000_000
                lock.wait(deadlineNanos: deadline.map { min($0, slice) } ?? slice)
            }
            if state.finishedRuns != run, state.cached == nil, let failure = state.sharedFailure {
                lock.unlock()
                throw failure
            }
        }
        state.running = true
        lock.unlock()

        let cap = MonotonicClock.nanoseconds() &+ UInt64(Self.maxRunTime.components.seconds) * 1_000_000_000
        let runDeadline = deadline.map { min($0, cap) } ?? cap
        let outcome: Result<ExecPlugin.Result, KubeError>
        do throws(KubeError) {
            outcome = .success(try plugin.run(deadline: runDeadline) { [self] in
                cancellation?.isCancelled == true || lock.withLock { state.closed }
            })
        } catch {
            outcome = .failure(error)
        }

        lock.lock()
        state.running = false
        state.finishedRuns &+= 1
        switch outcome {
        case .success(let fresh):
            state.cached = fresh
            state.sharedFailure = nil
        case .failure(let error):
            // A run this caller cut short (its deadline, its cancellation) says nothing about
            // the plugin: waiters with time left start their own run instead of inheriting it.
            state.sharedFailure = error.isPluginOwnFailure(closed: state.closed) ? error : nil
        }
        let closed = state.closed
        lock.broadcast()
        lock.unlock()
        if closed { throw .closed("the client was closed") }
        return try outcome.get().credential
    }

    /// The next `credential()` runs the plugin again.
    func invalidate() {
        lock.withLock { state.cached = nil }
    }

    /// Like `invalidate()`, but only while `rejected` is still the cached credential: when
    /// several requests fail with the same stale credential, the plugin runs once, not once
    /// per request (client-go's `maybeRefreshCreds`).
    func invalidate(ifCurrent rejected: Credential) {
        lock.withLock {
            if state.cached?.credential == rejected { state.cached = nil }
        }
    }

    /// Kills a running plugin (within a poll interval) and makes every later call fail with
    /// `.closed`. Waiters wake at once.
    func close() {
        lock.withLock {
            state.closed = true
            state.cached = nil
            lock.broadcast()
        }
    }

    private func isExpired(_ result: ExecPlugin.Result) -> Bool {
        guard let expiry = result.expiry else { return false }
        return Date(timeIntervalSince1970: clock.wallSeconds()) >= expiry
    }
}

private extension KubeError {
    /// A failure of the plugin itself (bad exit, bad output, killed at `maxRunTime`), as
    /// opposed to the caller giving up or the client closing.
    func isPluginOwnFailure(closed: Bool) -> Bool {
        if closed { return false }
        if case .transport(let error) = self, error.kind == .cancelled || error.kind == .timeout { return false }
        return true
    }
}
