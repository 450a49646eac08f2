import Glibc
import KubeCore
import Logging

/// The listener and pumps behind a `PortForwarder`; its threads hold it, not the public
/// object, so dropping the `PortForwarder` can stop it.
final class PortForwarderCore: Sendable {
    let localPort: UInt16
    let address: String
    private let listener: PortForwardListener
    private let client: KubeClient
    private let namespace: String
    private let pod: String
    private let remotePort: UInt16
    private let state = Locked(State())
    private let acceptThread = Locked<KubeThread?>(nil)

    private struct State {
        var stopped = false
        var nextID = 0
        var active: [Int: Forward] = [:]
        /// Handler threads whose connection has ended, to be joined by the accept loop or stop.
        var finished: [KubeThread] = []
    }

    /// One forwarded connection. `@unchecked Sendable`: `fd` is closed exactly once, under
    /// the forwarder's state lock (so `stop` never shuts down a reused fd number);
    /// `connection` and `thread` are set under that lock.
    private final class Forward: @unchecked Sendable {
        let fd: Int32
        let cancellation = CancellationToken()
        var connection: WebSocketConnection?
        var thread: KubeThread?
        var fdClosed = false
        init(fd: Int32) { self.fd = fd }
    }

    init(client: KubeClient, namespace: String, pod: String, address: String, localPort: UInt16,
         remotePort: UInt16) throws(KubeError) {
        self.client = client
        self.namespace = namespace
        self.pod = pod
        self.remotePort = remotePort
        self.address = address
        listener = try PortForwardListener(address: address, port: localPort)
        self.localPort = listener.port
        do {
            let thread = try KubeThread.spawn(name: "kubeclient-port-forwarder") { [self] in acceptLoop() }
            acceptThread.withLock { $0 = thread }
        } catch {
            listener.closeAll()
            throw .system("could not start the port-forward accept thread: \(error)")
        }
    }

    func stop() {
        let forwards = state.withLock { state -> [Forward] in
            state.stopped = true
            for forward in state.active.values where !forward.fdClosed {
                _ = shutdown(forward.fd, Int32(SHUT_RDWR))
            }
            return Array(state.active.values)
        }
        listener.wake()
        for forward in forwards {
            forward.cancellation.cancel()
            state.withLock { _ in forward.connection }?.close()
        }
        let accept = acceptThread.withLock { thread -> KubeThread? in
            defer { thread = nil }
            return thread
        }
        guard let accept else { return }  // a second stop: the first one does the joining
        accept.join()
        // The accept loop has returned: no new forward can appear. Join the handlers.
        while true {
            let threads = state.withLock { state -> [KubeThread] in
                var all = state.finished
                state.finished = []
                all.append(contentsOf: state.active.values.compactMap(\.thread))
                return all
            }
            if threads.isEmpty { break }
            for thread in threads { thread.join() }
            let remaining = state.withLock { $0.active.isEmpty && $0.finished.isEmpty }
            if remaining { break }
        }
        listener.closeAll()
    }

    var activeConnections: Int { state.withLock { $0.active.count } }

    private func acceptLoop() {
        while let fd = listener.accept() {
            let finished = state.withLock { state -> [KubeThread] in
                defer { state.finished = [] }
                return state.finished
            }
            for thread in finished { thread.join() }
            let forward = Forward(fd: fd)
            let id: Int? = state.withLock { state in
                if state.stopped { return nil }
                state.nextID += 1
                state.active[state.nextID] = forward
                return state.nextID
            }
            guard let id else {
                _ = Glibc.close(fd)
                return
            }
            do {
                let thread = try KubeThread.spawn(name: "kubeclient-port-forward-\(id)") { [self] in
                    handle(forward, id: id)
                }
                state.withLock { _ in forward.thread = thread }
            } catch {
                finishForward(forward, id: id)
            }
        }
    }

    /// Opens the pod connection, receives pod → local here (its sender thread writes the local
    /// socket) and pumps local → pod on another thread.
    private func handle(_ forward: Forward, id: Int) {
        let connection: WebSocketConnection
        do {
            connection = try client.openPortForwardWebSocket(namespace: namespace, pod: pod, port: remotePort,
                                                             cancellation: forward.cancellation)
        } catch {
            client.rest.transport.options.logger.warning(
                "port-forward \(address):\(localPort) → \(namespace)/\(pod):\(remotePort): \(error)")
            finishForward(forward, id: id)
            return
        }
        let stopped = state.withLock { state -> Bool in
            forward.connection = connection
            return state.stopped
        }
        if stopped { connection.close() }
        let upstream = try? KubeThread.spawn(name: "kubeclient-port-forward-\(id)-up") {
            PortForwardUpstream.run(fd: forward.fd, connection: connection)
        }
        if upstream == nil { connection.close() }
        let downstream = PortForwardDownstream(connection: connection, fd: forward.fd, port: remotePort,
                                               maxMessageSize: Transport.webSocketMaxMessageSize,
                                               senderName: "kubeclient-port-forward-\(id)-down")
        _ = downstream.run()
        // The pod side is over: the local side may not wait for more, and the local → pod pump
        // must stop reading a client that keeps its socket open.
        state.withLock { _ in
            if !forward.fdClosed { _ = shutdown(forward.fd, Int32(SHUT_RDWR)) }
        }
        connection.close()
        upstream?.join()
        finishForward(forward, id: id)
    }

    private func finishForward(_ forward: Forward, id: Int) {
        state.withLock { state in
            if !forward.fdClosed {
                forward.fdClosed = true
                _ = Glibc.close(forward.fd)
            }
            forward.connection = nil
            state.active[id] = nil
            if let thread = forward.thread { state.finished.append(thread) }
        }
    }
}

/// A local TCP listener forwarding to a pod port, like `kubectl port-forward`
/// (`KubeClient.startPortForwarder`): every accepted connection gets its own WebSocket
/// (the one a `PortForwardConnection` would use) and two pumps that move bytes between it and
/// the local socket without queues: `PortForwardDownstream` (pod → local) and
/// `PortForwardUpstream` (local → pod).
///
/// Threads: one accept thread; per forwarded connection one thread that opens the
/// WebSocket and receives pod → local, one that sends those bytes to the local socket, and
/// one that pumps local → pod. A connection the pod side
/// refuses is closed at once (the local client reads end-of-file), as kubectl does.
/// End-of-file from the local client ends the sending direction (the WebSocket close, as
/// `PortForwardConnection.closeWrite`); the end of
/// the pod side ends the local socket.
///
/// `stop()` closes the listener and every forwarded connection, then joins every thread it
/// started; after it returns no descriptor or thread of the forwarder is left. Dropping the
/// forwarder stops it.
public final class PortForwarder: Sendable {
    let core: PortForwarderCore

    init(core: PortForwarderCore) {
        self.core = core
    }

    deinit {
        core.stop()
    }

    /// The local port listened on (the one picked when 0 was asked for).
    public var localPort: UInt16 { core.localPort }

    /// The local address listened on.
    public var address: String { core.address }

    /// The number of connections being forwarded now.
    public var activeConnections: Int { core.activeConnections }

    /// Stops listening, closes every forwarded connection and joins every thread.
    /// Idempotent; from any thread; returns within about 0.5 s.
    public func stop() {
        core.stop()
    }
}
