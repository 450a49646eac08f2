/// Terminal sizes in the order the client sent them; each iterator starts at the first.
public struct TerminalSizes: AsyncSequence, Sendable {
    public typealias Element = TerminalSize
    let feed: ResizeFeed

    public struct AsyncIterator: AsyncIteratorProtocol {
        let feed: ResizeFeed
        var index = 0
        public mutating func next() async -> TerminalSize? {
            guard let size = await feed.size(at: index) else { return nil }
            index += 1
            return size
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(feed: feed) }
}
