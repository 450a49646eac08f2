import Glibc

/// The local → pod half of one forwarded connection (`PortForwarder`): reads the local
/// socket into a buffer that leaves room in front for the frame header and the channel byte,
/// masks in place and sends the frame with one write — one pass over the bytes, where
/// `PortForwardConnection.write` copies them three times.
enum PortForwardUpstream {
    /// The payload read per message: what `ChannelStream.send` splits messages at.
    static let chunkSize = 64 * 1024

    /// Pumps until the local client ends its side (then starts the WebSocket close, which
    /// kubelet reads as the end of the connection) or the connection ends.
    static func run(fd: Int32, connection: WebSocketConnection) {
        // Header (at most 14 bytes with the mask key), channel byte, payload.
        let headroom = 15
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: headroom + chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        guard let base = buffer.baseAddress else { return }
        while true {
            let count = read(fd, base + headroom, chunkSize)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                if count == 0 { connection.sendClose(code: WebSocketFrame.normalClosure, reason: "") } else { connection.close() }
                return
            }
            let messageLength = count + 1
            let headerLength = WebSocketFrame.clientHeaderLength(payloadCount: messageLength)
            let frameStart = headroom - 1 - headerLength
            let key = WebSocketFrame.randomMaskKey()
            WebSocketFrame.writeClientHeader(at: base + frameStart, opcode: .binary, payloadCount: messageLength, key: key)
            base.storeBytes(of: PortForwardProtocol.data, toByteOffset: headroom - 1, as: UInt8.self)
            WebSocketFrame.applyMask(key, to: UnsafeMutableBufferPointer(
                start: (base + headroom - 1).assumingMemoryBound(to: UInt8.self), count: messageLength))
            do {
                try connection.sendEncodedFrame(UnsafeRawBufferPointer(start: base + frameStart,
                                                                       count: headerLength + messageLength))
            } catch {
                return
            }
        }
    }
}
