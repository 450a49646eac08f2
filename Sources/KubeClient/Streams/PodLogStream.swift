import KubeCore

/// A pod's log as it arrives: the body of `GET pods/NAME/log` (text, never decoded as JSON),
/// received on a thread of its own into a bounded buffer.
///
/// Read it with blocking `read(maxLength:timeout:)`, line by line with `lineReader()`, or
/// asynchronously as byte chunks (`for try await chunk in stream`) or lines (`stream.lines`).
/// Readers share one position: each byte goes to one reader.
///
/// Back-pressure: at most about `bufferSize` bytes wait unread; beyond that the transfer
/// waits for the reader, and the server's sending is slowed by TCP.
///
/// `close()` (any thread) ends the stream at once, also while a followed log is idle: the
/// connection is shut down and the transfer thread joined. Dropping the last reference
/// closes it too. A caller's `CancellationToken` ends it like `close()`, noticed within
/// 50 ms by a waiting reader.
public final class PodLogStream: Sendable {
    let buffer: PodLogBuffer
    private let thread: KubeThread

    /// Unread bytes held before the transfer waits for the reader.
    public static let defaultBufferSize = 256 * 1024

    init(rest: RESTClient, request: APIRequest, cancellation: CancellationToken?,
         bufferSize: Int = PodLogStream.defaultBufferSize) throws(KubeError) {
        let buffer = PodLogBuffer(capacity: bufferSize, link: cancellation)
        self.buffer = buffer
        do {
            thread = try KubeThread.spawn(name: "kc-pod-log") {
                var failure: KubeError?
                do throws(KubeError) {
                    try rest.stream(request, cancellation: buffer.token) { buffer.push($0) }
                } catch {
                    failure = error
                }
                buffer.finish(failure)
            }
        } catch {
            throw .closed("could not start the log stream's thread: \(error)")
        }
    }

    deinit {
        buffer.close()
        thread.join()  // on the thread itself: returns at once, the thread reaps itself
    }

    /// Up to `maxLength` bytes, waiting up to `timeout` (nil: no limit) for at least one.
    /// [] is the end of the log (the server ended it, or the stream was closed). A failure of
    /// the transfer is thrown once, after the bytes that came before it; a timeout throws
    /// `.transport(.timeout)` and the stream goes on.
    public func read(maxLength: Int = 64 * 1024, timeout: Duration? = nil) throws(KubeError) -> [UInt8] {
        try buffer.read(maxLength: maxLength, deadline: timeout.map(Self.deadline), extra: nil)
    }

    /// `read` for an async reader: `cancellation` (its task's token) ends this read only.
    func read(maxLength: Int, cancellation: CancellationToken) throws(KubeError) -> [UInt8] {
        try buffer.read(maxLength: maxLength, deadline: nil, extra: cancellation)
    }

    /// Ends the stream: the connection is shut down, the transfer thread joined (unless called
    /// on it), and readers get the end. Idempotent, any thread.
    public func close() {
        buffer.close()
        thread.join()
    }

    /// True once `close()` was called (or the caller's token cancelled and noticed).
    public var isClosed: Bool { buffer.isClosed }

    /// True once the server ended the body (unread bytes may remain).
    public var hasEnded: Bool { buffer.hasEnded }

    /// A blocking iterator over the log's lines.
    public func lineReader() -> PodLogLineReader { PodLogLineReader(stream: self) }

    static func deadline(_ timeout: Duration) -> UInt64 {
        let parts = timeout.components
        let nanos = Swift.max(0, parts.seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let total = nanos.overflow ? Int64.max : nanos.partialValue &+ Swift.max(0, parts.attoseconds / 1_000_000_000)
        let now = MonotonicClock.nanoseconds()
        let wait = UInt64(clamping: total)
        return wait > UInt64.max - now ? UInt64.max : now + wait
    }
}
