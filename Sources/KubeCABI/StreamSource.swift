import KubeClient

/// What a `kc_stream` reads from (and, for port-forward, writes to): the Swift stream it wraps.
/// `read` blocks until bytes arrive and returns [] at the end; `stop` makes a blocked `read`
/// return promptly, from any thread.
protocol StreamSource: Sendable {
    func read(maxLength: Int) throws(KubeError) -> [UInt8]
    func stop()
    /// Whether `write`/`closeWrite` are supported (a port-forward connection).
    var isWritable: Bool { get }
    func write(_ bytes: UnsafeRawBufferPointer) throws(KubeError)
    func closeWrite() throws(KubeError)
}

/// A pod log stream as a stream source (read only).
struct PodLogSource: StreamSource {
    let stream: PodLogStream

    func read(maxLength: Int) throws(KubeError) -> [UInt8] { try stream.read(maxLength: maxLength) }
    func stop() { stream.close() }
    var isWritable: Bool { false }
    func write(_ bytes: UnsafeRawBufferPointer) throws(KubeError) {
        throw .invalidArgument("a log stream cannot be written to")
    }
    func closeWrite() throws(KubeError) {
        throw .invalidArgument("a log stream cannot be written to")
    }
}

/// A port-forward connection as a stream source (read and write).
struct PortForwardSource: StreamSource {
    let connection: PortForwardConnection

    func read(maxLength: Int) throws(KubeError) -> [UInt8] { try connection.read(maxLength: maxLength) }
    func stop() { connection.close() }
    var isWritable: Bool { true }
    func write(_ bytes: UnsafeRawBufferPointer) throws(KubeError) { try connection.write(Array(bytes)) }
    func closeWrite() throws(KubeError) { try connection.closeWrite() }
}
