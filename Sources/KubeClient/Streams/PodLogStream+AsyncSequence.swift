import KubeCore

/// The log as byte chunks, asynchronously: `for try await chunk in stream { ... }`.
///
/// Each wait runs on a thread of its own (never the cooperative pool); cancelling the task
/// ends the wait (with a cancellation error) but not the stream.
extension PodLogStream: AsyncSequence {
    public typealias Element = [UInt8]

    public struct AsyncIterator: AsyncIteratorProtocol {
        let stream: PodLogStream

        public mutating func next() async throws -> [UInt8]? {
            let stream = self.stream
            let chunk = try await BlockingCall.run { (token: CancellationToken) throws(KubeError) -> [UInt8] in
                try stream.read(maxLength: 64 * 1024, cancellation: token)
            }
            return chunk.isEmpty ? nil : chunk
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }

    /// The log's lines (without line breaks), asynchronously, split correctly across chunks.
    public var lines: PodLogLines { PodLogLines(stream: self) }
}

/// The lines of a `PodLogStream`: `for try await line in stream.lines { ... }`.
public struct PodLogLines: AsyncSequence, Sendable {
    public typealias Element = String
    let stream: PodLogStream

    public struct AsyncIterator: AsyncIteratorProtocol {
        let stream: PodLogStream
        var chunks: PodLogStream.AsyncIterator
        var splitter = PodLogLineSplitter()
        var ready: [String] = []
        var readyIndex = 0
        var ended = false

        public mutating func next() async throws -> String? {
            while true {
                if readyIndex < ready.count {
                    defer { readyIndex += 1 }
                    return ready[readyIndex]
                }
                if ended { return nil }
                ready = []
                readyIndex = 0
                guard let chunk = try await chunks.next() else {
                    ended = true
                    return splitter.finish()
                }
                ready = splitter.push(chunk)
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(stream: stream, chunks: stream.makeAsyncIterator())
    }
}
