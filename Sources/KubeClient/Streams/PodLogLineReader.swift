import KubeCore

/// Reads a `PodLogStream` line by line, blocking: `while let line = try reader.next() { ... }`.
///
/// Not for concurrent use (it holds the partial line); make one per reading thread.
public struct PodLogLineReader {
    private let stream: PodLogStream
    private var splitter = PodLogLineSplitter()
    private var ready: [String] = []
    private var readyIndex = 0
    private var ended = false

    init(stream: PodLogStream) {
        self.stream = stream
    }

    /// The next line without its line break; nil at the end of the log. `timeout` (nil: no
    /// limit) bounds each wait for bytes, as in `PodLogStream.read`.
    public mutating func next(timeout: Duration? = nil) throws(KubeError) -> String? {
        while true {
            if readyIndex < ready.count {
                defer { readyIndex += 1 }
                return ready[readyIndex]
            }
            if ended { return nil }
            let chunk = try stream.read(timeout: timeout)
            ready = []
            readyIndex = 0
            if chunk.isEmpty {
                ended = true
                if let last = splitter.finish() { return last }
                return nil
            }
            ready = splitter.push(chunk)
        }
    }
}
