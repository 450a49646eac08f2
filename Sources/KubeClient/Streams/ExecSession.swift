import KubeCore
import Synchronization

/// A running exec or attach session (`KubeClient.exec`, `KubeClient.attach`): the command's
/// output to pull, its stdin to write, its terminal to resize, and its exit status.
///
/// Guarantees:
/// - output chunks come out of `next` (or `events`) in arrival order, stdout and stderr
///   interleaved as the server sent them, each exactly once;
/// - the end is seen only after all output sent before it: `next` returns nil once the
///   command ended and everything was pulled; `wait` may return earlier, leaving the
///   output to `next`;
/// - a non-zero exit is a result (`wait` returns it), not an error; errors are the
///   session's failures (the server's Status, a broken connection, a protocol violation);
/// - `close()` ends the session within 0.5 s, from any thread, whatever is blocked, and
///   joins the session's threads; dropping the session closes it.
///
/// Thread-safe: one thread may pull output while others write stdin, resize, or close.
/// Pull from one consumer at a time (`next` or `events`, not both).
public final class ExecSession: Sendable {
    let stream: ChannelStream
    /// The options the session was opened with.
    public let options: ExecOptions
    /// The channel protocol the server picked: `v5.channel.k8s.io` or `v4.channel.k8s.io`.
    public let channelProtocol: String
    private let stdinClosed = Locked(false)
    private let pumps = Locked<[KubeThread]>([])

    init(connection: WebSocketConnection, options: ExecOptions) throws(KubeError) {
        self.options = options
        channelProtocol = connection.subprotocol
        stream = try ChannelStream(connection: connection, name: "kubeclient-exec") { channel, payload in
            ExecChannelProtocol.interpret(channel: channel, payload: payload)
        }
    }

    deinit {
        close()
    }

    /// Blocking pull of the next output chunk, in arrival order; nil once the command ended
    /// and all its output was pulled (then `wait` gives the exit code at once).
    ///
    /// Throws a timeout (`KubeError.isTimeout`, transport kind `.timeout`) when nothing came
    /// within `timeout` (nil: no limit; the session goes on), `.cancelled` after `close()` or
    /// cancellation, and the session's failure (server Status, broken connection) once its
    /// output before the failure was pulled.
    public func next(timeout: Duration? = nil) throws(KubeError) -> ExecEvent? {
        guard let chunk = try stream.nextChunk(deadline: Self.deadline(timeout)) else {
            if case .failure(let error)? = stream.finalOutcome { throw error }
            return nil
        }
        return chunk.channel == ExecChannelProtocol.stderr ? .stderr(chunk.bytes) : .stdout(chunk.bytes)
    }

    /// Sends bytes to the command's stdin (blocks while the server is slow to take them).
    /// `.invalidArgument` without `ExecOptions.stdin`; `.closed` after `closeStdin()`,
    /// `close()` or once the session ended.
    public func writeStdin(_ bytes: [UInt8]) throws(KubeError) {
        guard options.stdin else { throw .invalidArgument("stdin was not opened (ExecOptions.stdin is false)") }
        if stdinClosed.withLock({ $0 }) { throw .closed("stdin was closed") }
        guard !bytes.isEmpty else { return }
        try whileRunning { () throws(KubeError) in try stream.send(channel: ExecChannelProtocol.stdin, bytes) }
    }

    /// Closes stdin: the command reads end-of-file. Needs `v5.channel.k8s.io` (its CLOSE
    /// signal); on v4, which cannot express it, `.invalidArgument`. Idempotent.
    public func closeStdin() throws(KubeError) {
        guard options.stdin else { throw .invalidArgument("stdin was not opened (ExecOptions.stdin is false)") }
        guard channelProtocol == ExecChannelProtocol.v5 else {
            throw .invalidArgument("closing stdin needs \(ExecChannelProtocol.v5); the server speaks \(channelProtocol), which cannot signal it")
        }
        let first = stdinClosed.withLock { closed -> Bool in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        try whileRunning { () throws(KubeError) in
            try stream.sendMessage([ExecChannelProtocol.close, ExecChannelProtocol.stdin])
        }
    }

    /// Tells the terminal its new size in columns and rows. `.invalidArgument` without `tty`.
    public func resize(width: UInt16, height: UInt16) throws(KubeError) {
        guard options.tty else { throw .invalidArgument("resize needs a terminal (ExecOptions.tty)") }
        try whileRunning { () throws(KubeError) in
            try stream.sendMessage(ExecChannelProtocol.resizeMessage(width: width, height: height))
        }
    }

    /// Waits for the command to end and returns its exit code (non-zero exit codes are
    /// results). Output not yet pulled stays available to `next`. Throws a timeout after
    /// `timeout` (nil: no limit; the session goes on), `.cancelled` after `close()`, or the
    /// session's failure.
    public func wait(timeout: Duration? = nil) throws(KubeError) -> Int32 {
        try stream.waitForEnd(deadline: Self.deadline(timeout))
        switch stream.finalOutcome {
        case .success(let code)?: return code
        case .failure(let error)?: throw error
        case nil: return 0  // the server closed normally without a status: client-go reads success
        }
    }

    /// Ends the session now: a close frame, the socket shut down, threads joined. Within
    /// 0.5 s, from any thread; idempotent. Blocked calls throw `.cancelled`.
    public func close() {
        stream.close()
        let threads = pumps.withLock { threads -> [KubeThread] in
            defer { threads = [] }
            return threads
        }
        for thread in threads { thread.join() }
    }

    /// The output as an async sequence (one consumer): ends after the last chunk, throws the
    /// session's failure. Pulled on a thread of the session's own (joined by `close()`), in
    /// slices, so cancelling the consuming task stops the pull within 0.25 s without ending
    /// the session.
    public var events: AsyncThrowingStream<ExecEvent, any Error> {
        AsyncThrowingStream { continuation in
            let stop = StopFlag()
            continuation.onTermination = { _ in stop.set() }
            do {
                let thread = try KubeThread.spawn(name: "kubeclient-exec-events") { [self] in
                    while !stop.isSet {
                        do throws(KubeError) {
                            guard let event = try next(timeout: .milliseconds(250)) else {
                                continuation.finish()
                                return
                            }
                            if case .terminated = continuation.yield(event) { return }
                        } catch where error.isTimeout && !stream.isDrained {
                            continue
                        } catch {
                            continuation.finish(throwing: error)
                            return
                        }
                    }
                }
                pumps.withLock { $0.append(thread) }
            } catch {
                continuation.finish(throwing: KubeError.closed("could not start a thread for the events: \(error)"))
            }
        }
    }

    /// `wait()` for async code: cancelling the task stops the wait (not the session).
    public func exitCode() async throws -> Int32 {
        try await BlockingCall.run { [self] (token: CancellationToken) throws(KubeError) -> Int32 in
            while true {
                if token.isCancelled { throw .transport(TransportError(kind: .cancelled, message: "the wait was cancelled")) }
                do throws(KubeError) {
                    return try wait(timeout: .milliseconds(100))
                } catch where error.isTimeout && !stream.isDrained && stream.finalOutcome == nil {
                    continue
                }
            }
        }
    }

    /// Runs a write; once the session is over its failure reads as `.closed`.
    private func whileRunning(_ body: () throws(KubeError) -> Void) throws(KubeError) {
        do {
            try body()
        } catch {
            if stream.isClosed { throw .closed("the session was closed") }
            if stream.finalOutcome != nil || error.isCancelled { throw .closed("the session has ended") }
            throw error
        }
    }

    static func deadline(_ timeout: Duration?) -> UInt64? {
        timeout.map { MonotonicClock.nanoseconds() &+ Transport.nanoseconds($0) }
    }
}

/// A one-way flag shared with a pump thread.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .releasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}
