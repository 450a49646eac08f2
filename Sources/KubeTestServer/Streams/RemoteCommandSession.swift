import KubeCore
import NIOCore
import NIOWebSocket

/// One exec or attach: runs the handler on a task, feeds it stdin and resizes from the
/// connection, writes its output as channel messages and, when it returns, its status on the
/// error channel. The NIO side (`RemoteCommandHandler`) then closes the WebSocket.
final class RemoteCommandSession: OutputSink, Sendable {
    /// kube-apiserver copies streams through a 32 KiB buffer: no message is larger.
    static let maxMessagePayload = 32 * 1024
    /// Unacknowledged output bytes after which a writer waits for the socket.
    static let writeWindow = 256 * 1024

    private struct State {
        var task: Task<Void, Never>?
        var stopWatch: (@Sendable () -> Void)?
        var connectionClosed = false
        /// The pod was deleted: the command is killed.
        var killed = false
        var unflushed = 0
    }

    let plan: RemoteCommandPlan
    let stdin: InputQueue
    let resizes = ResizeFeed()
    private let channel: Channel
    private let state = Locked(State())

    init(plan: RemoteCommandPlan, channel: Channel) {
        self.plan = plan
        self.channel = channel
        self.stdin = InputQueue(onDrained: { channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in } })
        if !plan.stdin { stdin.finish() }
    }

    /// Starts the command (called once, on the event loop, before the connection message is
    /// written: output the task writes is queued behind it).
    func start(cluster: Cluster) {
        let plan = self.plan
        let handler: ExecHandler
        switch plan.kind {
        case .attach:
            handler = cluster.streamHandlers.attach(for: plan)
                ?? DefaultAttach.handler(podLogs: cluster.podLogs, podUID: plan.podUID, container: plan.container)
        default:
            handler = cluster.streamHandlers.exec(for: plan.command) ?? BuiltinCommands.run
        }
        let invocation = ExecInvocation(
            namespace: plan.namespace, pod: plan.pod, container: plan.container, command: plan.command, tty: plan.tty,
            stdin: ExecInput(queue: stdin, isOpen: plan.stdin),
            stdout: ExecOutput(sink: plan.stdout ? self : nil, channel: StreamChannel.stdout.rawValue),
            stderr: ExecOutput(sink: plan.tty ? (plan.stdout ? self : nil) : (plan.stderr ? self : nil),
                               channel: plan.tty ? StreamChannel.stdout.rawValue : StreamChannel.stderr.rawValue),
            resizes: TerminalSizes(feed: resizes), podUID: plan.podUID)
        // Watch first: whoever ends the session (finish, connectionClosed) finds it to remove.
        let stop = PodDeletionWatch.start(cluster: cluster, namespace: plan.namespace, pod: plan.pod, uid: plan.podUID) { [self] in
            kill()
        }
        state.withLock { $0.stopWatch = stop }
        let task = Task(executorPreference: StreamTaskExecutor.shared) { [self] in
            let result: Result<Int32, any Error>
            do { result = .success(try await handler(invocation)) } catch { result = .failure(error) }
            await finish(result)
        }
        let cancelNow = state.withLock { s in
            s.task = task
            return s.connectionClosed || s.killed
        }
        if cancelNow { task.cancel() }
    }

    // MARK: from the connection (event loop)

    /// A decoded binary message from the client; false asks the connection to stop reading
    /// (stdin is backed up) until the command drains it.
    func received(_ message: ChannelMessage) -> Bool {
        switch message {
        case .data(let channel, let payload):
            switch StreamChannel(rawValue: channel) {
            case .stdin?:
                return stdin.push(payload)
            case .resize?:
                if let size = Self.decodeResize(payload) { resizes.append(size) }
            default:
                break  // output channels are server to client; unknown ones are ignored as kube-apiserver does
            }
        case .close(let channel):
            if channel == StreamChannel.stdin.rawValue { stdin.finish() }
        case .ignored:
            break
        }
        return true
    }

    /// The client closed the WebSocket or the TCP connection: the command is cancelled.
    func connectionClosed() {
        let (task, stop) = state.withLock { s in
            s.connectionClosed = true
            defer { s.stopWatch = nil }
            return (s.task, s.stopWatch)
        }
        stop?()
        stdin.finish()
        resizes.finish()
        task?.cancel()
    }

    /// The pod was deleted: the command is killed (a handler that ends on cancellation still
    /// gets its status sent, as the kubelet reports a killed process).
    private func kill() {
        let task: Task<Void, Never>? = state.withLock { s in
            s.killed = true
            return s.task
        }
        stdin.finish()
        resizes.finish()
        task?.cancel()
    }

    // MARK: output (any thread)

    func write(channel number: UInt8, _ output: [UInt8]) async throws {
        // A terminal's output processing (ONLCR): every "\n" leaves the pty as "\r\n".
        let bytes = plan.tty && output.contains(10) ? Self.onlcr(output) : output
        var offset = 0
        repeat {
            try Task.checkCancellation()
            if state.withLock({ $0.connectionClosed }) { throw CancellationError() }
            let end = min(bytes.count, offset + Self.maxMessagePayload)
            let future = send(channel: number, bytes[offset..<end])
            let count = end - offset
            let wait = state.withLock { s in
                s.unflushed += count + 1
                guard s.unflushed >= Self.writeWindow || !channel.isWritable else { return false }
                s.unflushed = 0
                return true
            }
            if wait { try await future.get() }
            offset = end
        } while offset < bytes.count
    }

    static func onlcr(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for b in bytes {
            if b == 10 { out.append(13) }
            out.append(b)
        }
        return out
    }

    private func send(channel number: UInt8, _ payload: ArraySlice<UInt8>) -> EventLoopFuture<Void> {
        var buffer = channel.allocator.buffer(capacity: payload.count + 1)
        buffer.writeInteger(number)
        buffer.writeBytes(payload)
        return channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .binary, data: buffer))
    }

    private func finish(_ result: Result<Int32, any Error>) async {
        let (closed, killed, stop) = state.withLock { s in
            defer { s.stopWatch = nil }
            return (s.connectionClosed, s.killed, s.stopWatch)
        }
        stop?()
        stdin.finish()
        resizes.finish()
        guard !closed else { return }
        let status: [UInt8]
        switch result {
        case _ where killed:
            // The container is gone: SIGKILL, 128 + 9 as a shell reports it, whatever the handler
            // returned while it was being cancelled; an attach just ends.
            status = plan.kind == .attach ? ExecStatus.success()
                : ExecStatus.forExit(137, command: plan.command, protocol: plan.channelProtocol)
        case .success(let code):
            status = ExecStatus.forExit(code, command: plan.command, protocol: plan.channelProtocol)
        case .failure(let error as CommandNotFound):
            status = ExecStatus.internalError(error.description)
        case .failure(let error):
            status = ExecStatus.internalError(String(describing: error))
        }
        _ = try? await send(channel: StreamChannel.error.rawValue, status[...]).get()
        channel.pipeline.fireUserInboundEventTriggered(RemoteCommandEnded())
    }

    /// `{"Width":W,"Height":H}`, field names matched case-insensitively as Go's decoder does.
    static func decodeResize(_ payload: [UInt8]) -> TerminalSize? {
        guard let object = try? JSON.parse(bytes: payload).objectValue else { return nil }
        var width: Int?, height: Int?
        for (key, value) in object {
            switch key.lowercased() {
            case "width": width = value.intValue.map(Int.init)
            case "height": height = value.intValue.map(Int.init)
            default: break
            }
        }
        guard let width, let height, width >= 0, height >= 0 else { return nil }
        return TerminalSize(width: width, height: height)
    }
}

/// Fired through the pipeline when the status was written: time to close the WebSocket.
struct RemoteCommandEnded: Sendable {}
