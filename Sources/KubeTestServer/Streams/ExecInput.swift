/// The stdin of a session: chunks as they arrived. One reader at a time.
public struct ExecInput: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let queue: InputQueue
    /// Whether the client asked for stdin (false: the sequence is empty).
    public let isOpen: Bool

    public struct AsyncIterator: AsyncIteratorProtocol {
        let queue: InputQueue
        public mutating func next() async -> [UInt8]? { await queue.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(queue: queue) }

    /// Everything until stdin ends.
    public func readAll() async -> [UInt8] {
        var all: [UInt8] = []
        for await chunk in self { all += chunk }
        return all
    }

    /// Lines without their "\n" (a final unterminated line included), as they complete.
    public var lines: AsyncStream<String> {
        let queue = self.queue
        return AsyncStream { continuation in
            let task = Task(executorPreference: StreamTaskExecutor.shared) {
                var pending: [UInt8] = []
                while let chunk = await queue.next() {
                    pending += chunk
                    while let nl = pending.firstIndex(of: 10) {
                        continuation.yield(String(decoding: pending[..<nl], as: UTF8.self))
                        pending.removeSubrange(...nl)
                    }
                }
                if !pending.isEmpty { continuation.yield(String(decoding: pending, as: UTF8.self)) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
