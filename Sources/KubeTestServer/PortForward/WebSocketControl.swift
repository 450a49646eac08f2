import NIOCore
import NIOWebSocket

/// The RFC 6455 control frames for the port-forward WebSocket handlers, which are installed alone
/// after the upgrade: ping gets pong, close gets a close reply and ends the connection.
/// A class, not a struct: closing re-enters the owning handler (targets close, their ends call
/// `close` again), which a mutating struct method still in progress would turn into an access conflict.
final class WebSocketControl {
    private(set) var closeSent = false

    /// Answers `frame` if it is a control frame; returns whether it was one.
    func handle(_ frame: WebSocketFrame, context: ChannelHandlerContext) -> Bool {
        switch frame.opcode {
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(NIOAny(pong), promise: nil)
            return true
        case .pong:
            return true
        case .connectionClose:
            var payload = frame.unmaskedData
            let code = payload.readInteger(as: UInt16.self) ?? 1000
            close(context: context, code: code)
            return true
        default:
            return false
        }
    }

    /// Sends a close frame once and closes the connection when it is written.
    func close(context: ChannelHandlerContext, code: UInt16 = 1000) {
        guard !closeSent else { return }
        closeSent = true
        var data = context.channel.allocator.buffer(capacity: 2)
        data.writeInteger(code)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
        let channel = context.channel
        context.writeAndFlush(NIOAny(frame)).whenComplete { _ in channel.close(promise: nil) }
    }
}
