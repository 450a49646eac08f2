import Glibc
import KubeCore

/// The pod → local half of one forwarded connection (`PortForwarder`): reads the WebSocket
/// itself and has the data channel's bytes sent to the local socket straight from its receive
/// buffers (by a sender thread, `PortForwardHandoff`), as they arrive.
///
/// Why not `PortForwardConnection.read`: that path copies every byte three times (decoded
/// payload, channel-stripped message, coalesced read) and hands each message to another
/// thread; profiled at ~900 MB/s, those copies and their page faults were a third of the
/// reading thread's time, and that thread was the forwarder's bottleneck. Here a frame's
/// payload is never assembled: the header is parsed in place, the payload bytes already in
/// the buffer go out with one `sendmsg` (an iovec per stretch), and the rest of the frame is
/// passed on when it comes. Only control frames (≤ 125 bytes) and the error channel's text
/// are copied.
///
/// Checks the same things as `WebSocketFrameDecoder` (`WebSocketFrameHeader.parse`, and
/// fragments only inside a fragmented message) and speaks `PortForwardProtocol`: each
/// message's first byte is its channel, each channel's first 2 bytes are the port; the error
/// channel's message ends the connection.
///
/// Not thread-safe: one receiving thread owns it (`run` starts and joins the sender).
final class PortForwardDownstream {
    /// How the pod side ended.
    enum End {
        /// The server's close frame (normal or not), or a connection dropped after the pod
        /// side was done.
        case closed
        /// The error channel's message (nothing listens on the pod port, ...).
        case podError(String)
        /// The local client went away (send failed).
        case localClosed
        /// The WebSocket failed or was shut down (`stop`, cancellation, a bad frame).
        case failed(KubeError)
    }

    static let bufferSize = 256 * 1024

    private let connection: WebSocketConnection
    private let fd: Int32
    private let port: UInt16
    private let maxMessageSize: Int
    private let senderName: String
    private let handoff: PortForwardHandoff
    /// The buffer being filled and taken apart (handed to the sender once it holds data).
    private var buffer: UnsafeMutableRawBufferPointer
    /// Bytes in `buffer`, and how many of them were taken apart already.
    private var filled = 0
    private var parsed = 0
    /// Payload bytes of the current data frame still to come, and whether it ends its message.
    private var frameRemaining = 0
    private var frameFin = false
    /// A fragmented data message is open (continuation frames may follow), and its size so far.
    private var messageOpen = false
    private var messageSize = 0
    /// The channel of the current message; nil until its first payload byte.
    private var channel: UInt8?
    /// Port-prefix bytes each channel (data, error) still owes.
    private var prefixRemaining: (data: Int, error: Int) = (2, 2)
    private var errorText: [UInt8] = []
    private var iovecs: [iovec] = []

    /// `senderName`: the sender thread's name.
    init(connection: WebSocketConnection, fd: Int32, port: UInt16, maxMessageSize: Int, senderName: String) {
        self.connection = connection
        self.fd = fd
        self.port = port
        self.maxMessageSize = maxMessageSize
        self.senderName = senderName
        let leftover = connection.takeBufferedBytes()
        // Room for the bytes that came with the upgrade, should they ever fill a buffer.
        handoff = PortForwardHandoff(bufferSize: max(Self.bufferSize, leftover.count + 16 * 1024))
        buffer = handoff.firstBuffer()
        leftover.withUnsafeBytes { raw in
            if let base = raw.baseAddress, let target = buffer.baseAddress { target.copyMemory(from: base, byteCount: raw.count) }
        }
        filled = leftover.count
    }

    /// Pumps until the pod side, the local side or the connection ends; the sender has
    /// written everything before the end (or failed) when it returns.
    func run() -> End {
        let sender: KubeThread
        do {
            sender = try KubeThread.spawn(name: senderName) { [handoff, fd, connection] in
                // A local socket that fails must also stop the receiver, blocked on the WebSocket.
                handoff.runSender(fd: fd) { connection.close() }
            }
        } catch {
            return .failed(.system("could not start the port-forward sender thread: \(error)"))
        }
        let end = receive()
        handoff.finish()
        sender.join()
        return handoff.localFailed ? .localClosed : end
    }

    private func receive() -> End {
        while true {
            let verdict: End?
            do {
                verdict = try takeApart()
            } catch {
                connection.sendClose(code: error.closeCode, reason: String(error.message.prefix(100)))
                _ = handOver(last: true)  // what came before the bad frame is the pod's data
                return .failed(error.kubeError)
            }
            // Bytes decoded before the end go out first, as `PortForwardConnection.read` promises.
            if !handOver(last: verdict != nil) { return .localClosed }
            if let verdict { return verdict }
            compact()
            do {
                guard try fill() else { return .closed }
            } catch {
                return .failed(error)
            }
        }
    }

    /// Gives the buffer with its data stretches to the sender and carries the bytes not taken
    /// apart yet (a partial header or control frame, < 140 bytes) over to the next buffer.
    /// False when the local side is gone.
    private func handOver(last: Bool) -> Bool {
        guard !iovecs.isEmpty else { return true }
        let tail = Array(UnsafeRawBufferPointer(rebasing: buffer[parsed..<filled]))
        handoff.handOver(PortForwardHandoff.Batch(buffer: buffer, iovecs: iovecs))
        iovecs.removeAll(keepingCapacity: true)
        filled = 0
        parsed = 0
        if last { return true }
        guard let next = handoff.takeBuffer() else { return false }
        buffer = next
        tail.withUnsafeBytes { raw in
            if let base = raw.baseAddress, let target = buffer.baseAddress { target.copyMemory(from: base, byteCount: raw.count) }
        }
        filled = tail.count
        return true
    }

    // MARK: - Reading

    /// Waits for bytes, then takes whatever else is there at once (up to a full buffer), so
    /// one `sendmsg` carries many TLS records. False at end of stream.
    private func fill() throws(KubeError) -> Bool {
        let count = try connection.readSome(into: free, deadline: nil)
        if count == 0 { return false }
        filled += count
        while buffer.count - filled >= 16 * 1024 {
            guard let more = try connection.readAvailable(into: free), more > 0 else { break }
            filled += more
        }
        return true
    }

    private var free: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])
    }

    /// Moves a partial header or control frame left at the end to the front.
    private func compact() {
        let rest = filled - parsed
        if rest > 0, parsed > 0, let base = buffer.baseAddress {
            base.copyMemory(from: base + parsed, byteCount: rest)
        }
        filled = rest
        parsed = 0
    }

    // MARK: - Frames

    /// Takes apart the buffered bytes: data payload to the iovecs, control frames answered.
    /// Returns how the stream ended if it did.
    private func takeApart() throws(WebSocketViolation) -> End? {
        while parsed < filled {
            if frameRemaining > 0 {
                let take = min(frameRemaining, filled - parsed)
                payload(at: parsed, count: take)
                parsed += take
                frameRemaining -= take
                if frameRemaining == 0, let end = frameEnded() { return end }
                continue
            }
            let available = UnsafeRawBufferPointer(rebasing: buffer[parsed..<filled])
            guard let header = try WebSocketFrameHeader.parse(available, messageSoFar: messageSize,
                                                              maxMessageSize: maxMessageSize) else { return nil }
            if header.opcode.isControl {
                let total = header.headerLength + header.payloadLength
                guard available.count >= total else { return nil }
                let body = Array(available[header.headerLength..<total])
                parsed += total
                if let end = try control(header.opcode, body) { return end }
                continue
            }
            switch header.opcode {
            case .continuation:
                guard messageOpen else {
                    throw WebSocketViolation(closeCode: WebSocketFrame.protocolError,
                                             message: "the server sent a continuation frame outside a fragmented message")
                }
            default:
                if messageOpen {
                    throw WebSocketViolation(closeCode: WebSocketFrame.protocolError,
                                             message: "the server started a new message inside a fragmented one")
                }
                messageOpen = true
                messageSize = 0
                channel = nil
            }
            parsed += header.headerLength
            messageSize += header.payloadLength
            frameRemaining = header.payloadLength
            frameFin = header.fin
            if frameRemaining == 0, let end = frameEnded() { return end }
        }
        return nil
    }

    private func control(_ opcode: WebSocketOpcode, _ body: [UInt8]) throws(WebSocketViolation) -> End? {
        switch opcode {
        case .ping:
            connection.answerPing(body)
        case .close:
            let close = try WebSocketFrameHeader.closeBody(body)
            // Echo it (§5.5.1) unless this side started the close; the TCP close follows.
            connection.sendClose(code: close.code ?? WebSocketFrame.normalClosure, reason: "")
            return .closed
        default:
            break
        }
        return nil
    }

    /// A data frame's last byte went by: at the end of its message, an error channel's text
    /// ends the connection.
    private func frameEnded() -> End? {
        guard frameFin else { return nil }
        messageOpen = false
        defer {
            channel = nil
            errorText = []
        }
        guard channel == PortForwardProtocol.error, !errorText.isEmpty else { return nil }
        var message = String(decoding: errorText, as: UTF8.self)
        while let last = message.last, last.isNewline || last == " " { message.removeLast() }
        return .podError(message.isEmpty ? "the pod's side of port \(port) failed" : message)
    }

    /// `count` payload bytes at `offset` of the current message: channel byte, port prefix,
    /// then data (to the iovecs) or error text.
    private func payload(at offset: Int, count: Int) {
        var start = offset
        var left = count
        if channel == nil {
            channel = buffer[start]
            start += 1
            left -= 1
        }
        guard left > 0, let channel else { return }
        switch channel {
        case PortForwardProtocol.data:
            let skip = min(prefixRemaining.data, left)
            prefixRemaining.data -= skip
            start += skip
            left -= skip
            guard left > 0, let base = buffer.baseAddress else { return }
            iovecs.append(iovec(iov_base: base + start, iov_len: left))
        case PortForwardProtocol.error:
            let skip = min(prefixRemaining.error, left)
            prefixRemaining.error -= skip
            start += skip
            left -= skip
            let room = 4096 - errorText.count
            if left > 0, room > 0 {
                errorText.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start..<(start + min(left, room))]))
            }
        default:
            break  // a channel this one-port connection does not have
        }
    }
}
