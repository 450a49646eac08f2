import KubeCore

/// kubelet's WebSocket port-forward protocol, subprotocol `portforward.k8s.io` (what kube-rs
/// and the official Python client speak): the ports are in the query (`?ports=8080`), and
/// each port gets two channels, data (2·i) and error (2·i+1). The server's first message on
/// each channel starts with the port number, 2 bytes little-endian, which is not data. The
/// client writes data as `[channel] + bytes`, without a port prefix. The error channel
/// carries a text message when the pod side failed (nothing listens, connection refused).
///
/// The protocol has no half-close: nothing tells the pod side "no more data" while leaving
/// the reverse direction open. `PortForwardConnection.closeWrite()` therefore starts the
/// WebSocket close handshake (RFC 6455 §7: after sending Close, an endpoint sends no more
/// data but still receives), which a kubelet reads as the end of the connection.
///
/// One connection here forwards one port (channels 0 and 1).
enum PortForwardProtocol {
    static let subprotocol = "portforward.k8s.io"
    static let data: UInt8 = 0
    static let error: UInt8 = 1

    /// The per-connection state of the reader: how many port-prefix bytes each channel still
    /// owes, and the error text so far. Touched only by the reader thread.
    final class ReaderState: @unchecked Sendable {
        var prefixRemaining: [UInt8: Int] = [data: 2, error: 2]
        let port: UInt16
        init(port: UInt16) { self.port = port }
    }

    static func interpret(channel: UInt8, payload: ArraySlice<UInt8>, state: ReaderState) -> ChannelStream.Verdict {
        guard channel == data || channel == error else { return .ignore }
        var payload = payload
        if let remaining = state.prefixRemaining[channel], remaining > 0 {
            let skip = min(remaining, payload.count)
            payload = payload.dropFirst(skip)
            state.prefixRemaining[channel] = remaining - skip
        }
        if payload.isEmpty { return .ignore }
        if channel == data { return .deliver(channel: data, bytes: Array(payload)) }
        var message = String(decoding: payload.prefix(4096), as: UTF8.self)
        while let last = message.last, last.isNewline || last == " " { message.removeLast() }
        if message.isEmpty { message = "the pod's side of port \(state.port) failed" }
        return .outcome(.failure(.api(Status(code: 500, reason: .internalError, message: message))))
    }
}
