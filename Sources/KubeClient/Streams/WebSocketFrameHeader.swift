/// One frame header as the server sent it, checked against everything RFC 6455 lets a client
/// refuse from the header alone. Shared by `WebSocketFrameDecoder` (whole messages) and the
/// port-forward pump (`PortForwardDownstream`, payload passed on as it arrives), so both
/// refuse exactly the same frames.
struct WebSocketFrameHeader {
    var fin: Bool
    var opcode: WebSocketOpcode
    var headerLength: Int
    var payloadLength: Int

    /// Parses the header at the start of `bytes`; nil when more bytes are needed.
    /// `messageSoFar` is the payload already received of the fragmented message a
    /// continuation frame belongs to (counted against `maxMessageSize`).
    static func parse(_ bytes: UnsafeRawBufferPointer, messageSoFar: Int,
                      maxMessageSize: Int) throws(WebSocketViolation) -> WebSocketFrameHeader? {
        let available = bytes.count
        guard available >= 2 else { return nil }
        let first = bytes[0]
        let second = bytes[1]
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
            length = UInt64(bytes[2]) << 8 | UInt64(bytes[3])
            headerLength = 4
        } else if length == 127 {
            guard available >= 10 else { return nil }
            length = 0
            for index in 0..<8 { length = length << 8 | UInt64(bytes[2 + index]) }
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
            let sofar = opcode == .continuation ? UInt64(messageSoFar) : 0
            if length > UInt64(maxMessageSize) || sofar + length > UInt64(maxMessageSize) {
                throw WebSocketViolation(closeCode: WebSocketFrame.messageTooBig,
                                         message: "the server sent a message larger than the limit of \(maxMessageSize) bytes")
            }
        }
        return WebSocketFrameHeader(fin: fin, opcode: opcode, headerLength: headerLength, payloadLength: Int(length))
    }

    /// The close frame's body: status code (nil without a body) and reason.
    static func closeBody(_ payload: [UInt8]) throws(WebSocketViolation) -> (code: UInt16?, reason: String) {
        if payload.isEmpty { return (nil, "") }
        guard payload.count >= 2 else {
            throw WebSocketViolation(closeCode: WebSocketFrame.protocolError,
                                     message: "the server sent a close frame with a 1-byte body")
        }
        return (UInt16(payload[0]) << 8 | UInt16(payload[1]), String(decoding: payload[2...], as: UTF8.self))
    }
}
