/// stdout or stderr of a session. Writes are sent in order as binary messages of at most 32 KiB
/// (kube-apiserver's copy buffer) and are flow-controlled by the socket.
public struct ExecOutput: Sendable {
    let sink: (any OutputSink)?
    let channel: UInt8

    /// Throws `CancellationError` once the session is over (client gone, pod deleted).
    public func write(_ bytes: some Collection<UInt8>) async throws {
        guard let sink else {
            try Task.checkCancellation()
            return
        }
        try await sink.write(channel: channel, Array(bytes))
    }

    public func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }

    /// Whether the client receives this stream (false: writes are discarded).
    public var isOpen: Bool { sink != nil }
}

/// Where a session's output goes (the WebSocket connection).
protocol OutputSink: Sendable {
    func write(channel: UInt8, _ bytes: [UInt8]) async throws
}
