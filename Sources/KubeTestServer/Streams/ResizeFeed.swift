import KubeCore

/// The terminal sizes a client reported, kept in order so that every reader sees all of them.
final class ResizeFeed: Sendable {
    private struct State {
        var sizes: [TerminalSize] = []
        var finished = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Locked(State())

    var latest: TerminalSize? { state.withLock { $0.sizes.last } }

    func append(_ size: TerminalSize) {
        let waiters = state.withLock { s in
            s.sizes.append(size)
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for w in waiters { w.resume() }
    }

    func finish() {
        let waiters = state.withLock { s in
            s.finished = true
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for w in waiters { w.resume() }
    }

    /// The size at `index` once it exists; nil when the session ended first or the task is cancelled.
    func size(at index: Int) async -> TerminalSize? {
        while true {
            if Task.isCancelled { return nil }
            let ready: TerminalSize?? = state.withLock { s in
                if index < s.sizes.count { return .some(s.sizes[index]) }
                return s.finished ? .some(nil) : nil
            }
            if let ready { return ready }
            let id = state.withLock { s in
                defer { s.nextWaiter += 1 }
                return s.nextWaiter
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { s in
                        if index < s.sizes.count || s.finished || Task.isCancelled { return true }
                        s.waiters[id] = c
                        return false
                    }
                    if resumeNow { c.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
                waiter?.resume()
            }
        }
    }
}
