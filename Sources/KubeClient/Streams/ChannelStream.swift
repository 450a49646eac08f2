import KubeCore

/// The engine under exec, attach and port-forward: a reader thread that takes the messages of
/// one WebSocket, lets the protocol (`interpret`) sort them into output chunks and a final
/// outcome, and queues the chunks in arrival order for whoever pulls them.
///
/// Guarantees:
/// - chunks come out in the order their messages arrived, each exactly once;
/// - the end (outcome, or the connection's end) is reported only after every chunk queued before it;
/// - the reader stops reading while more than `maxQueuedBytes` wait to be pulled, so a slow
///   consumer slows the server (TCP flow control) rather than filling memory — except while
///   someone waits for the end (`waitForEnd`), which must not deadlock on unread output;
/// - `close()` ends it within a poll round-trip, from any thread, and joins the reader.
///
/// `@unchecked Sendable`: all mutable state is guarded by `lock`; `interpret` runs only on
/// the reader thread.
final class ChannelStream: @unchecked Sendable {
    /// What the protocol makes of one message (first byte: its channel).
    enum Verdict {
        /// Output for the consumer.
        case deliver(channel: UInt8, bytes: [UInt8])
        /// Nothing to pass on (a port prefix, an empty frame).
        case ignore
        /// The protocol's result (exec's exit status, port-forward's error); the first one counts.
        case outcome(Result<Int32, KubeError>)
    }

    struct Chunk {
        var channel: UInt8
        var bytes: [UInt8]
    }

    static let maxQueuedBytes = 4 << 20

    let connection: WebSocketConnection
    private let interpret: (UInt8, ArraySlice<UInt8>) -> Verdict
    private let lock = ConditionLock()
    private var queue: [Chunk] = []
    private var head = 0
    /// Bytes of the head chunk already handed out by `read(maxLength:)`.
    private var headOffset = 0
    private var queuedBytes = 0
    private var outcome: Result<Int32, KubeError>?
    /// The reader returned: the connection is over. `endError` says why when it broke.
    private var finished = false
    private var endError: KubeError?
    private var closedByUser = false
    private var endWaiters = 0
    private var thread: KubeThread?

    init(connection: WebSocketConnection, name: String,
         interpret: @escaping (UInt8, ArraySlice<UInt8>) -> Verdict) throws(KubeError) {
        self.connection = connection
        self.interpret = interpret
        do {
            let thread = try KubeThread.spawn(name: name) { [self] in readLoop() }
            lock.withLock { self.thread = thread }
        } catch {
            connection.shutdown()
            throw .system("could not start the stream's reader thread: \(error)")
        }
    }

    // MARK: - Reader thread

    private func readLoop() {
        var failure: KubeError? = nil
        reading: while true {
            let message: WebSocketMessage
            do {
                message = try connection.receive()
            } catch {
                failure = error
                break
            }
            switch message {
            case .binary(let payload), .text(let payload):
                guard let channel = payload.first else { continue }
                switch interpret(channel, payload.dropFirst()) {
                case .deliver(let channel, let bytes):
                    enqueue(Chunk(channel: channel, bytes: bytes))
                case .ignore:
                    continue
                case .outcome(let result):
                    lock.withLock {
                        if outcome == nil { outcome = result }
                        lock.broadcast()
                    }
                }
            case .close(let code, let reason):
                if let code, code != WebSocketFrame.normalClosure {
                    failure = .transport(TransportError(kind: .connect, message:
                        "the server closed the WebSocket with code \(code)\(reason.isEmpty ? "" : ": \(reason)")"))
                }
                break reading
            case .ping, .pong:
                continue
            }
        }
        // Whatever ended it, the socket is done: wake any writer blocked on it.
        connection.shutdown()
        lock.withLock {
            finished = true
            endError = failure
            lock.broadcast()
        }
    }

    private func enqueue(_ chunk: Chunk) {
        guard !chunk.bytes.isEmpty else { return }
        lock.withLock {
            queue.append(chunk)
            queuedBytes += chunk.bytes.count
            lock.broadcast()
            while queuedBytes > Self.maxQueuedBytes && !closedByUser && endWaiters == 0 {
                lock.wait()
            }
        }
    }

    // MARK: - Consumer side

    /// The stream is over for the consumer: the protocol's outcome came, or the connection ended.
    private var endedLocked: Bool { outcome != nil || finished }

    /// The next whole chunk, waiting until `deadline` (monotonic ns; nil: no limit); nil at
    /// the end (see `finalOutcome`). Throws a timeout, or `.cancelled` after `close()`.
    func nextChunk(deadline: UInt64?) throws(KubeError) -> Chunk? {
        try lock.withLock { () throws(KubeError) -> Chunk? in
            while true {
                if closedByUser { throw Self.closedError }
                if head < queue.count {
                    var chunk = queue[head]
                    if headOffset > 0 { chunk.bytes.removeFirst(headOffset) }
                    popHeadLocked()
                    return chunk
                }
                if endedLocked { return nil }
                try waitLocked(deadline: deadline)
            }
        }
    }

    /// Up to `maxLength` bytes of the queued output (chunks split as needed); [] at the end.
    func read(maxLength: Int, deadline: UInt64?) throws(KubeError) -> [UInt8]? {
        try lock.withLock { () throws(KubeError) -> [UInt8]? in
            while true {
                if closedByUser { throw Self.closedError }
                if head < queue.count {
                    let bytes = queue[head].bytes
                    let available = bytes.count - headOffset
                    if available <= maxLength {
                        var out = headOffset == 0 ? bytes : Array(bytes[headOffset...])
                        popHeadLocked()
                        // Whole messages that fit go along: one write for the consumer, not
                        // one per WebSocket message (port-forward pumps MB/s through here).
                        while head < queue.count, out.count + queue[head].bytes.count <= maxLength {
                            out += queue[head].bytes
                            popHeadLocked()
                        }
                        return out
                    }
                    let out = Array(bytes[headOffset ..< headOffset + maxLength])
                    headOffset += maxLength
                    queuedBytes -= maxLength
                    lock.broadcast()
                    return out
                }
                if endedLocked { return nil }
                try waitLocked(deadline: deadline)
            }
        }
    }

    /// Waits until the stream is over for the consumer; queued output stays for `nextChunk`.
    func waitForEnd(deadline: UInt64?) throws(KubeError) {
        try lock.withLock { () throws(KubeError) in
            endWaiters += 1
            lock.broadcast()  // a reader held back by a full queue may go on
            defer { endWaiters -= 1 }
            while !endedLocked {
                if closedByUser { throw Self.closedError }
                try waitLocked(deadline: deadline)
            }
            if closedByUser { throw Self.closedError }
        }
    }

    /// How it ended: the protocol's outcome if one came, else the connection's failure, else
    /// nil (the server closed normally without an outcome). Meaningful once over.
    var finalOutcome: Result<Int32, KubeError>? {
        lock.withLock {
            if let outcome { return outcome }
            if let endError { return .failure(endError) }
            return nil
        }
    }

    /// True once the consumer has seen everything: over, and nothing left queued.
    var isDrained: Bool { lock.withLock { endedLocked && head >= queue.count } }

    var isClosed: Bool { lock.withLock { closedByUser } }

    /// The reader thread (tests check it was joined).
    var readerThread: KubeThread? { lock.withLock { thread } }

    /// Ends the stream now (close frame, socket shut down), joins the reader. Idempotent,
    /// any thread; blocked consumers get `.cancelled`.
    func close() {
        let thread: KubeThread? = lock.withLock {
            closedByUser = true
            lock.broadcast()
            return self.thread
        }
        connection.close()
        thread?.join()
    }

    static let closedError = KubeError.transport(TransportError(kind: .cancelled, message: "the stream was closed"))

    private func popHeadLocked() {
        queuedBytes -= queue[head].bytes.count - headOffset
        headOffset = 0
        head += 1
        if head > 64 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        lock.broadcast()
    }

    private func waitLocked(deadline: UInt64?) throws(KubeError) {
        guard let deadline else {
            lock.wait()
            return
        }
        if MonotonicClock.nanoseconds() >= deadline {
            throw .transport(TransportError(kind: .timeout, message: "nothing arrived within the timeout"))
        }
        lock.wait(deadlineNanos: deadline)
    }

    /// Sends one message on `channel` (a byte prefix), split so that no message exceeds
    /// `maxPayload` bytes.
    func send(channel: UInt8, _ bytes: [UInt8], maxPayload: Int = 64 * 1024) throws(KubeError) {
        if isClosed { throw .closed("the stream was closed") }
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + maxPayload)
            var message = [UInt8]()
            message.reserveCapacity(end - offset + 1)
            message.append(channel)
            message.append(contentsOf: bytes[offset..<end])
            try connection.send(.binary, message)
            offset = end
        } while offset < bytes.count
    }

    /// Sends raw message bytes as one binary message (a control message such as close or resize).
    func sendMessage(_ message: [UInt8]) throws(KubeError) {
        if isClosed { throw .closed("the stream was closed") }
        try connection.send(.binary, message)
    }
}
