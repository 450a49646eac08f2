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

    private struct Header {
        var fin: Bool
        var opcode: WebSocketOpcode
        var headerLength: Int
        var payloadLength: Int
    }

    private func parseHeader() throws(WebSocketViolation) -> Header? {
        let available = buffer.count - readIndex
        guard available >= 2 else { return nil }
        let first = buffer[readIndex]
        let second = buffer[readIndex + 1]
        if first & 0x70 != 0 {
            throw WebSocketViolation(closeCode: WebSocketFrame.protocolError,
                                     message: "the server set reserved bits (RSV) that no extension negotiated")
        }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else {
            throw WebSocketViolation(closeCode: WebSocketFrame.protocolError,
                                     message: "the server sent a frame with unknown opcode \(first & 0x0F)")
        }
        if second & 0x80 != 0 {
            throw WebSocketViolation(closeCode: WebSocketFrame.protocolError,
                                     message: "the server sent a masked frame (RFC 6455 §5.1 forbids it)")
        }
        let fin = first & 0x80 != 0
        var length = UInt64(second & 0x7F)
        var headerLength = 2
        if length == 126 {
            guard available >= 4 else { return nil }
            length = UInt64(buffer[readIndex + 2]) << 8 | UInt64(buffer[readIndex + 3])
            headerLength = 4
        } else if length == 127 {
            guard available >= 10 else { return nil }
            length = 0
            for index in 0..<8 { length = length << 8 | UInt64(buffer[readIndex + 2 + index]) }
            headerLength = 10
            if length >> 63 != 0 {
                throw WebSocketViolation(closeCode: WebSocketFrame.protocolError,
                                         message: "the server sent a frame length with the most significant bit set")
            }
        }
        if opcode.isControl {
            if !fin {
                throw WebSocketViolation(closeCode: WebSocketFrame.protocolError,
                                         message: "the server sent a fragmented control frame")
            }
            if length > 125 {
                throw WebSocketViolation(closeCode: WebSocketFrame.protocolError,
                                         message: "the server sent a control frame of \(length) bytes (at most 125 allowed)")
            }
        } else {
            let sofar = opcode == .continuation ? UInt64(fragments.count) : 0
            if length > UInt64(maxMessageSize) || sofar + length > UInt64(maxMessageSize) {
                throw WebSocketViolation(closeCode: WebSocketFrame.messageTooBig,
                                         message: "the server sent a message larger than the limit of \(maxMessageSize) bytes")
            }
        }
        return Header(fin: fin, opcode: opcode, headerLength: headerLength, payloadLength: Int(length))
    }

    private mutating func assemble(_ header: Header, payload: [UInt8]) throws(WebSocketViolation) -> WebSocketMessage? {
        switch header.opcode {
        case .ping:
            return .ping(payload)
        case .pong:
            return .pong(payload)
        case .close:
            if payload.isEmpty { return .close(code: nil, reason: "") }
            guard payload.count >= 2 else {
                throw WebSocketViolation(closeCode: WebSocketFrame.protocolError,
                                         message: "the server sent a close frame with a 1-byte body")
            }
            let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
            return .close(code: code, reason: String(decoding: payload[2...], as: UTF8.self))
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
