import KubeCore

/// The bytes between a log stream's transfer thread and its readers, bounded: when readers
/// fall behind, the transfer thread waits in `push` (back-pressure) instead of growing memory.
///
/// Invariants (every field below `lock` is read and written with it held):
/// - `bytes[head...]` are the bytes received and not yet read, at most `capacity` plus one chunk;
/// - `ended` is set once by the transfer thread when the request ended, with `failure` unless
///   it ended normally or by `close`; `failure` is handed to one reader, then cleared;
/// - `closed` is set by `close` (or when `link` is seen cancelled): readers get the end at once,
///   the transfer is cancelled through `token` and `push` refuses further bytes.
///
/// `@unchecked Sendable`: mutable state guarded by `lock` as described.
final class PodLogBuffer: @unchecked Sendable {
    private let lock = ConditionLock()
    private var bytes: [UInt8] = []
    private var head = 0
    private var ended = false
    private var failure: KubeError?
    private var closed = false
    /// Cancels the transfer (shuts its socket down, so a blocked follow ends at once).
    let token = CancellationToken()
    /// The caller's token: waits poll it every `linkPollNanos`, since a token cannot notify.
    private let link: CancellationToken?
    private let capacity: Int
    static let linkPollNanos: UInt64 = 50_000_000

    init(capacity: Int, link: CancellationToken?) {
        self.capacity = max(1, capacity)
        self.link = link
    }

    private var available: Int { bytes.count - head }

    /// Transfer thread: appends a chunk, waiting while the buffer is full. False once closed
    /// (the transfer then stops).
    func push(_ chunk: UnsafeRawBufferPointer) -> Bool {
        lock.withLock { () -> Bool in
            while available >= capacity && !isClosedLocked() {
                waitLocked(deadline: nil, extra: nil)
            }
            if closed { return false }
            if head > 0 && head * 2 >= bytes.count {
                bytes.removeFirst(head)
                head = 0
            }
            bytes.append(contentsOf: chunk)
            lock.broadcast()
            return true
        }
    }

    /// Transfer thread: the request ended, normally (nil) or with `failure`.
    func finish(_ failure: KubeError?) {
        lock.withLock {
            ended = true
            if let failure, !(closed && failure.isCancelled) { self.failure = failure }
            lock.broadcast()
        }
    }

    /// Ends the stream for readers and cancels the transfer. Idempotent.
    func close() {
        lock.withLock {
            closed = true
            lock.broadcast()
        }
        token.cancel()
    }

    var isClosed: Bool { lock.withLock { closed } }

    /// True once the request ended (bytes may still wait to be read).
    var hasEnded: Bool { lock.withLock { ended } }

    /// Waits until bytes arrived or the request ended; throws the failure of a request that
    /// ended before sending anything (a non-2xx answer, a refused connection).
    func awaitFirstResponse() throws(KubeError) {
        try lock.withLock { () throws(KubeError) in
            while available == 0 && !ended && !isClosedLocked() {
                waitLocked(deadline: nil, extra: nil)
            }
            if available == 0, let failure {
                self.failure = nil
                throw failure
            }
        }
    }

    /// Up to `maxLength` bytes; [] at the end. Waits until the monotonic `deadline` (nil: no
    /// limit) and throws a timeout after it. `extra` (an async caller's task token) ends the
    /// wait with `.cancelled` without ending the stream.
    func read(maxLength: Int, deadline: UInt64?, extra: CancellationToken?) throws(KubeError) -> [UInt8] {
        try lock.withLock { () throws(KubeError) -> [UInt8] in
            while true {
                if isClosedLocked() { return [] }
                if available > 0 {
                    let count = min(max(1, maxLength), available)
                    let chunk = Array(bytes[head..<head + count])
                    head += count
                    if head == bytes.count {
                        bytes.removeAll(keepingCapacity: true)
                        head = 0
                    }
                    lock.broadcast()
                    return chunk
                }
                if ended {
                    if let failure {
                        self.failure = nil
                        throw failure
                    }
                    return []
                }
                if let extra, extra.isCancelled {
                    throw .transport(TransportError(kind: .cancelled, message: "log read cancelled"))
                }
                if let deadline, MonotonicClock.nanoseconds() >= deadline {
                    throw .transport(TransportError(kind: .timeout, message: "no log data arrived in time"))
                }
                waitLocked(deadline: deadline, extra: extra)
            }
        }
    }

    /// Whether the stream is closed, closing it when the caller's token was cancelled. Lock held.
    private func isClosedLocked() -> Bool {
        if !closed, let link, link.isCancelled {
            closed = true
            token.cancel()
            lock.broadcast()
        }
        return closed
    }

    /// One wait, lock held: until signalled, `deadline`, or the next poll of a token.
    private func waitLocked(deadline: UInt64?, extra: CancellationToken?) {
        guard link != nil || extra != nil else {
            if let deadline { lock.wait(deadlineNanos: deadline) } else { lock.wait() }
            return
        }
        let poll = MonotonicClock.nanoseconds() &+ Self.linkPollNanos
        lock.wait(deadlineNanos: deadline.map { min($0, poll) } ?? poll)
    }
}
