import CCurl
import Glibc
import KubeCore

/// One upgraded WebSocket connection over a libcurl CONNECT_ONLY handle.
///
/// libcurl owns the socket (and its TLS state); bytes go through `curl_easy_send` /
/// `curl_easy_recv` on the non-blocking socket, and the waits are poll(2) on the socket
/// from CURLINFO_ACTIVESOCKET. OpenSSL allows no concurrent calls on one connection, so each
/// curl call runs under `ioLock` — held only for the call, never across a wait, so one reader
/// and writers can block at the same time.
///
/// Roles: exactly one thread reads (`receive`); any thread may `send` (frames are written
/// whole, one writer at a time). `shutdown()` from any thread wakes both within a poll
/// round-trip: it shuts the socket down while libcurl still owns the descriptor, which is
/// closed only when the last reference goes (so a shutdown can never hit a reused fd number).
///
/// `@unchecked Sendable`: `decoder`, `readBuffer` and `subprotocol` (written before sharing)
/// belong to the single reader; the curl handle is used only under `ioLock`; the rest is
/// immutable or behind a lock.
final class WebSocketConnection: @unchecked Sendable {
    /// The subprotocol the server picked; written by the handshake before the connection is shared.
    private(set) var subprotocol = ""
    /// Owns the handle: its cleanup (when the connection is released) closes the socket.
    private let easy: CurlEasy
    private let handle: UnsafeMutableRawPointer
    let socket: Int32
    private let ioLock = Locked(())
    private let writeLock = ConditionLock()
    private var writing = false
    private let state = Locked(State())
    private var decoder: WebSocketFrameDecoder
    /// The reader's receive buffer (reader-owned, allocated once).
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    /// The caller's token: a cancellation by it is reported as such.
    private let cancellation: CancellationToken?

    private struct State {
        var shutDown = false
        var closeSent = false
        var pendingPong: [UInt8]?
    }

    init(easy: CurlEasy, socket: Int32, maxMessageSize: Int, cancellation: CancellationToken?) {
        self.easy = easy
        handle = easy.handle
        self.socket = socket
        self.cancellation = cancellation
        decoder = WebSocketFrameDecoder(maxMessageSize: maxMessageSize)
    }

    /// Completes the upgrade (before the connection is shared): the subprotocol picked and
    /// whatever frame bytes arrived right behind the 101 answer.
    func upgraded(subprotocol: String, leftover: ArraySlice<UInt8>) {
        self.subprotocol = subprotocol
        if !leftover.isEmpty { decoder.append(Array(leftover)) }
    }

    /// Writes raw bytes (the handshake request) before the connection is shared.
    func writeRaw(_ bytes: [UInt8], deadline: UInt64?) throws(KubeError) {
        try writeAll(bytes, deadline: deadline)
    }

    deinit {
        readBuffer.deallocate()
    }

    // MARK: - Reading (one reader)

    /// The next message; control frames are answered here (ping → pong, close → close
    /// echo) and still returned so the caller sees the close. Throws when the connection
    /// breaks, a frame is malformed or oversized (the server is then sent a close frame
    /// saying why), or `shutdown()` was called.
    func receive() throws(KubeError) -> WebSocketMessage {
        while true {
            let decoded: WebSocketMessage?
            do {
                decoded = try decoder.next()
            } catch {
                sendClose(code: error.closeCode, reason: String(error.message.prefix(100)))
                throw error.kubeError
            }
            if let message = decoded {
                switch message {
                case .ping(let payload):
                    answerPing(payload)
                case .close(let code, _):
                    // Echo the close (§5.5.1) unless we started it; the TCP close follows.
                    sendClose(code: code ?? WebSocketFrame.normalClosure, reason: "")
                default:
                    break
                }
                return message
            }
            let count = try readSome(into: readBuffer, deadline: nil)
            if count == 0 {
                throw stoppedError() ?? .transport(TransportError(
                    kind: .connect, message: "the server closed the WebSocket connection without a close frame"))
            }
            decoder.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
        }
    }

    /// Reads what is available into a fresh array (the handshake's answer); [] at end of stream.
    func readChunk(deadline: UInt64?) throws(KubeError) -> [UInt8] {
        let count = try readSome(into: readBuffer, deadline: deadline)
        return Array(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
    }

    /// Reads what is available (at least one byte), waiting until `deadline` (monotonic ns;
    /// nil: no limit). 0 at end of stream. Also used for the handshake's answer.
    func readSome(into buffer: UnsafeMutableRawBufferPointer, deadline: UInt64?) throws(KubeError) -> Int {
        while true {
            if let received = try readAvailable(into: buffer) { return received }
            try waitForSocket(events: Int16(POLLIN), deadline: deadline)
        }
    }

    /// Reads what is available without waiting: nil when nothing is, 0 at end of stream.
    func readAvailable(into buffer: UnsafeMutableRawBufferPointer) throws(KubeError) -> Int? {
        if let error = stoppedError() { throw error }
        var received = 0
        let code = ioLock.withLock { _ in curl_easy_recv(handle, buffer.baseAddress, buffer.count, &received) }
        if code == CURLE_OK { return received }
        if code != CURLE_AGAIN {
            if let error = stoppedError() { throw error }
            throw .transport(TransportError.from(curlCode: code, detail: "reading from the WebSocket connection failed"))
        }
        return nil
    }

    /// Hands the bytes received but not decoded yet to a reader that takes the stream over
    /// instead of `receive()` (the port-forward pump); call before reading anything else.
    func takeBufferedBytes() -> [UInt8] {
        decoder.takePending()
    }

    // MARK: - Writing (any thread)

    /// Sends one data message as a single frame.
    func send(_ opcode: WebSocketOpcode, _ payload: [UInt8]) throws(KubeError) {
        let closed = state.withLock { $0.closeSent }
        if closed { throw .closed("the WebSocket connection is closing") }
        try writeFrame(WebSocketFrame.encode(opcode: opcode, payload: payload))
    }

    /// Sends one frame its caller encoded (and masked) in place — the port-forward pump,
    /// which builds frames around the bytes it read rather than copying them.
    func sendEncodedFrame(_ frame: UnsafeRawBufferPointer) throws(KubeError) {
        let closed = state.withLock { $0.closeSent }
        if closed { throw .closed("the WebSocket connection is closing") }
        acquireWriter()
        defer { releaseWriter() }
        try writeAll(frame, deadline: nil)
        try sendPendingPong()
    }

    /// Starts the close handshake (§7.1.2) unless already done: best effort, never blocks
    /// behind a writer stuck on a full socket (close must end promptly).
    func sendClose(code: UInt16, reason: String) {
        let first = state.withLock { state -> Bool in
            if state.closeSent || state.shutDown { return false }
            state.closeSent = true
            return true
        }
        guard first else { return }
        let frame = WebSocketFrame.encode(opcode: .close, payload: WebSocketFrame.closePayload(code: code, reason: reason))
        guard tryAcquireWriter() else { return }
        defer { releaseWriter() }
        try? writeAll(frame, deadline: MonotonicClock.deadline(afterMilliseconds: 200))
    }

    /// True once this side sent its close frame.
    var closeSent: Bool { state.withLock { $0.closeSent } }

    /// Answers a ping (the reader, or a pump that reads in its place).
    func answerPing(_ payload: [UInt8]) {
        // The reader must never wait behind a writer blocked on a full socket (the peer may
        // be waiting for us to read): a busy writer sends the pong when it is done.
        if tryAcquireWriter() {
            defer { releaseWriter() }
            try? writeAll(WebSocketFrame.encode(opcode: .pong, payload: payload), deadline: nil)
        } else {
            state.withLock { $0.pendingPong = payload }
        }
    }

    private func writeFrame(_ frame: [UInt8]) throws(KubeError) {
        acquireWriter()
        defer { releaseWriter() }
        try writeAll(frame, deadline: nil)
        try sendPendingPong()
    }

    /// The pong a reader left to the writer holding the socket (call as that writer).
    private func sendPendingPong() throws(KubeError) {
        if let pong = state.withLock({ state -> [UInt8]? in defer { state.pendingPong = nil }; return state.pendingPong }) {
            try writeAll(WebSocketFrame.encode(opcode: .pong, payload: pong), deadline: nil)
        }
    }

    private func acquireWriter() {
        writeLock.withLock {
            while writing { writeLock.wait() }
            writing = true
        }
    }

    private func tryAcquireWriter() -> Bool {
        writeLock.withLock {
            if writing { return false }
            writing = true
            return true
        }
    }

    private func releaseWriter() {
        writeLock.withLock {
            writing = false
            writeLock.signal()
        }
    }

    private func writeAll(_ bytes: [UInt8], deadline: UInt64?) throws(KubeError) {
        let written = bytes.withUnsafeBytes { raw in
            Result { () throws(KubeError) in try writeAll(raw, deadline: deadline) }
        }
        try written.get()
    }

    private func writeAll(_ raw: UnsafeRawBufferPointer, deadline: UInt64?) throws(KubeError) {
        guard let base = raw.baseAddress else { return }
        var offset = 0
        while offset < raw.count {
            if let error = stoppedError() { throw error }
            var sent = 0
            let code = ioLock.withLock { _ in curl_easy_send(handle, base + offset, raw.count - offset, &sent) }
            if code == CURLE_OK {
                offset += sent
                continue
            }
            if code != CURLE_AGAIN {
                if let error = stoppedError() { throw error }
                throw .transport(TransportError.from(curlCode: code, detail: "writing to the WebSocket connection failed"))
            }
            try waitForSocket(events: Int16(POLLOUT), deadline: deadline)
        }
    }

    // MARK: - Waiting and stopping

    /// poll(2) on the socket until it is ready for `events`, shut down, or `deadline` passes.
    /// With a caller's token the wait is cut in 100 ms slices to see it cancelled (the token
    /// cannot shut the socket down itself: curl owns the descriptor); `shutdown()` wakes it at once.
    private func waitForSocket(events: Int16, deadline: UInt64?) throws(KubeError) {
        var descriptor = pollfd(fd: socket, events: events, revents: 0)
        var timeout: Int32 = -1
        if let deadline {
            let now = MonotonicClock.nanoseconds()
            if now >= deadline {
                throw .transport(TransportError(kind: .timeout, message: "the WebSocket server did not answer in time"))
            }
            timeout = Int32(clamping: (deadline - now + 999_999) / 1_000_000)
        }
        if cancellation != nil { timeout = timeout < 0 ? 100 : min(timeout, 100) }
        let result = poll(&descriptor, 1, timeout)
        if result < 0 && errno != EINTR {
            throw .transport(TransportError(kind: .other, message: "poll on the WebSocket socket failed (errno \(errno))"))
        }
        if let cancellation, cancellation.isCancelled { shutdown() }
    }

    /// The error to report once the connection was stopped on purpose, or nil while it runs.
    private func stoppedError() -> KubeError? {
        if let cancellation, cancellation.isCancelled {
            return .transport(TransportError(kind: .cancelled, message: "cancelled"))
        }
        if state.withLock({ $0.shutDown }) {
            return .transport(TransportError(kind: .cancelled, message: "the stream was closed"))
        }
        return nil
    }

    /// Ends both directions now, from any thread: blocked reads and writes return at once.
    /// Idempotent. The descriptor itself is closed when the connection is released.
    func shutdown() {
        state.withLock { state in
            guard !state.shutDown else { return }
            state.shutDown = true
            _ = Glibc.shutdown(socket, Int32(SHUT_RDWR))
        }
    }

    /// `sendClose(normal)` then `shutdown()`: a polite, prompt end.
    func close() {
        sendClose(code: WebSocketFrame.normalClosure, reason: "")
        shutdown()
    }
}
