import KubeCore

/// The stdin chunks of one session between the event loop (producer) and the command
/// (consumer). Above `highWater` buffered bytes the producer is told to stop reading from the
/// socket; `onDrained` asks it to resume once the consumer caught up.
final class InputQueue: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var bytes = 0
        var finished = false
        var paused = false
        var waiter: CheckedContinuation<[UInt8]?, Never>?
        var waiterCancelled = false
    }

    static let highWater = 1 << 20
    private let state = Locked(State())
    private let onDrained: @Sendable () -> Void

    init(onDrained: @escaping @Sendable () -> Void = {}) {
        self.onDrained = onDrained
    }

    /// Queues a chunk; false means "stop reading until `onDrained`".
    func push(_ chunk: [UInt8]) -> Bool {
        guard !chunk.isEmpty else { return true }
        let (waiter, keepReading): (CheckedContinuation<[UInt8]?, Never>?, Bool) = state.withLock { s in
            guard !s.finished else { return (nil, true) }
            if let w = s.waiter {
                s.waiter = nil
                return (w, true)
            }
            s.chunks.append(chunk)
            s.bytes += chunk.count
            if s.bytes > Self.highWater { s.paused = true }
            return (nil, !s.paused)
        }
        waiter?.resume(returning: chunk)
        return keepReading
    }

    /// No more input (client closed stdin, disconnected, or never opened it).
    /// Buffered chunks stay readable; later pushes are dropped (and never pause reading).
    func finish() {
        let (waiter, resume): (CheckedContinuation<[UInt8]?, Never>?, Bool) = state.withLock { s in
            s.finished = true
            defer {
                s.waiter = nil
                s.paused = false
            }
            return (s.waiter, s.paused)
        }
        waiter?.resume(returning: nil)
        if resume { onDrained() }
    }

    /// The next chunk; nil at the end of input or when the calling task is cancelled.
    func next() async -> [UInt8]? {
        if Task.isCancelled { return nil }
        if let ready = takeBuffered() { return ready.chunk }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<[UInt8]?, Never>) in
                let immediate: (chunk: [UInt8]?, resumed: Bool)? = state.withLock { s in
                    if s.waiterCancelled {
                        s.waiterCancelled = false
                        return (nil, false)
                    }
                    if s.head < s.chunks.count {
                        let wasPaused = s.paused
                        let chunk = dequeue(&s)
                        return (chunk, wasPaused && !s.paused)
                    }
                    if s.finished { return (nil, false) }
                    s.waiter = c
                    return nil
                }
                if let immediate {
                    if immediate.resumed { onDrained() }
                    c.resume(returning: immediate.chunk)
                }
            }
        } onCancel: {
            let waiter: CheckedContinuation<[UInt8]?, Never>? = state.withLock { s in
                guard let w = s.waiter else {
                    s.waiterCancelled = true
                    return nil
                }
                s.waiter = nil
                return w
            }
            waiter?.resume(returning: nil)
        }
    }

    private func takeBuffered() -> (chunk: [UInt8], resumed: Bool)? {
        let result: (chunk: [UInt8], resumed: Bool)? = state.withLock { s in
            guard s.head < s.chunks.count else { return nil }
            let wasPaused = s.paused
            let chunk = dequeue(&s)
            return (chunk, wasPaused && !s.paused)
        }
        if result?.resumed == true { onDrained() }
        return result
    }

    private func dequeue(_ s: inout State) -> [UInt8] {
        let chunk = s.chunks[s.head]
        s.head += 1
        s.bytes -= chunk.count
        if s.head == s.chunks.count {
            s.chunks.removeAll(keepingCapacity: true)
            s.head = 0
        }
        if s.paused && s.bytes <= Self.highWater / 4 { s.paused = false }
        return chunk
    }
}
