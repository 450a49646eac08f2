import KubeCore

/// One TCP connection to a port of a pod, over one WebSocket (`KubeClient.portForward`).
///
/// Guarantees: bytes come out of `read` in order, exactly once; the end (`[]`) or the
/// connection's failure comes only after all bytes received before it. `close()` ends it
/// within 0.5 s from any thread and joins its reader; dropping the connection closes it.
/// Thread-safe: one reader and one writer may work at the same time.
public final class PortForwardConnection: Sendable {
    let stream: ChannelStream
    /// The pod port this connection reaches.
    public let port: UInt16
    private let writeClosed = Locked(false)

    init(connection: WebSocketConnection, port: UInt16) throws(KubeError) {
        self.port = port
        let state = PortForwardProtocol.ReaderState(port: port)
        stream = try ChannelStream(connection: connection, name: "kubeclient-port-forward") { channel, payload in
            PortForwardProtocol.interpret(channel: channel, payload: payload, state: state)
        }
    }

    deinit {
        stream.close()
    }

    /// Up to `maxLength` bytes as soon as at least one is there; `[]` at the end of the
    /// stream (the pod side closed). Throws a timeout after `timeout` (nil: no limit; the
    /// connection goes on), `.cancelled` after `close()`, `.api` with the server's message
    /// when the pod side failed (nothing listens on the port), or a transport error.
    public func read(maxLength: Int = 64 * 1024, timeout: Duration? = nil) throws(KubeError) -> [UInt8] {
        guard maxLength > 0 else { throw .invalidArgument("maxLength must be positive") }
        if let bytes = try stream.read(maxLength: maxLength, deadline: ExecSession.deadline(timeout)) {
            return bytes
        }
        if case .failure(let error)? = stream.finalOutcome { throw error }
        return []
    }

    /// Sends all of `bytes` (blocks while the peer is slow). `.closed` after `closeWrite()`,
    /// `close()`, or once the connection ended.
    public func write(_ bytes: [UInt8]) throws(KubeError) {
        if writeClosed.withLock({ $0 }) { throw .closed("the connection's write side was closed") }
        guard !bytes.isEmpty else { return }
        do {
            try stream.send(channel: PortForwardProtocol.data, bytes)
        } catch {
            if stream.isClosed { throw .closed("the connection was closed") }
            if stream.finalOutcome != nil || stream.isDrained || error.isCancelled {
                throw .closed("the connection has ended")
            }
            throw error
        }
    }

    /// Ends the sending direction. `portforward.k8s.io` cannot express a half-close, so this
    /// starts the WebSocket close handshake: nothing more is sent, what the server already
    /// sent (and sends before its close answer) can still be read, then `read` returns `[]`.
    /// A kubelet ends the pod-side connection when it sees the close. Idempotent.
    public func closeWrite() throws(KubeError) {
        let first = writeClosed.withLock { closed -> Bool in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        if stream.isClosed { throw .closed("the connection was closed") }
        stream.connection.sendClose(code: WebSocketFrame.normalClosure, reason: "")
    }

    /// Ends the connection now (close frame, socket shut down, reader joined). Idempotent;
    /// any thread; blocked calls throw `.cancelled`.
    public func close() {
        stream.close()
    }
}
