/// A frame the server should never have sent, and the close code the client answers it with.
struct WebSocketViolation: Error, Sendable, Equatable {
    var closeCode: UInt16
    var message: String

    var kubeError: KubeError {
        .transport(TransportError(kind: .protocol, message: "WebSocket: \(message)"))
    }
}

/// Turns the bytes read from the server into whole messages (RFC 6455 §5), checking
/// everything a client must check: no RSV bits (no extension was negotiated), unmasked
/// frames only, known opcodes, control frames short and unfragmented, continuation frames
/// only inside a fragmented message, and no message larger than `maxMessageSize` — refused
/// from the frame header, before its payload is buffered.
///
/// Not thread-safe: one reader owns it.
struct WebSocketFrameDecoder {
    /// 32 MiB: kube-apiserver's own WebSocket limit (golang.org/x/net/websocket's default).
    static let defaultMaxMessageSize = 32 << 20

    let maxMessageSize: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// The data message being reassembled: its opcode and the payload so far.
    private var fragmentOpcode: WebSocketOpcode?
    private var fragments: [UInt8] = []

    init(maxMessageSize: Int = Self.defaultMaxMessageSize) {
        self.maxMessageSize = maxMessageSize
    }

    /// Bytes received and not yet decoded (a partial frame).
    var pendingByteCount: Int { buffer.count - readIndex }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Hands over the bytes not yet decoded, for a reader that takes the stream over (the
    /// port-forward pump, right after the upgrade: no message is half-assembled then).
    mutating func takePending() -> [UInt8] {
        defer {
            buffer = []
            readIndex = 0
        }
        return Array(buffer[readIndex...])
    }

    /// The next complete message, or nil when more bytes are needed.
    mutating func next() throws(WebSocketViolation) -> WebSocketMessage? {
        while true {
            guard let header = try parseHeader() else { return nil }
            let payloadStart = readIndex + header.headerLength
            guard buffer.count - payloadStart >= header.payloadLength else { return nil }
            let payload = Array(buffer[payloadStart ..< payloadStart + header.payloadLength])
            readIndex = payloadStart + header.payloadLength
            if let message = try assemble(header, payload: payload) { return message }
        }
    }

    private func parseHeader() throws(WebSocketViolation) -> WebSocketFrameHeader? {
        let parsed = buffer.withUnsafeBytes { raw in
            Result { () throws(WebSocketViolation) -> WebSocketFrameHeader? in
                try WebSocketFrameHeader.parse(UnsafeRawBufferPointer(rebasing: raw[readIndex...]),
                                               messageSoFar: fragments.count, maxMessageSize: maxMessageSize)
            }
        }
        return try parsed.get()
    }

    private mutating func assemble(_ header: WebSocketFrameHeader, payload: [UInt8]) throws(WebSocketViolation) -> WebSocketMessage? {
        switch header.opcode {
        case .ping:
            return .ping(payload)
        case .pong:
            return .pong(payload)
        case .close:
            let body = try WebSocketFrameHeader.closeBody(payload)
            return .close(code: body.code, reason: body.reason)
        case .text, .binary:
            if fragmentOpcode != nil {
                throw WebSocketViolation(closeCode: WebSocketFrame.protocolError,
                                         message: "the server started a new message inside a fragmented one")
            }
            if header.fin { return header.opcode == .text ? .text(payload) : .binary(payload) }
            fragmentOpcode = header.opcode
            fragments = payload
            return nil
        case .continuation:
            guard let opcode = fragmentOpcode else {
                throw WebSocketViolation(closeCode: WebSocketFrame.protocolError,
                                         message: "the server sent a continuation frame outside a fragmented message")
            }
            fragments.append(contentsOf: payload)
            guard header.fin else { return nil }
            let whole = fragments
            fragments = []
            fragmentOpcode = nil
            return opcode == .text ? .text(whole) : .binary(whole)
        }
    }

    private mutating func compactIfWorthwhile() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex > 64 * 1024 && readIndex * 2 > buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}
