/// Response headers in arrival order; names compared case-insensitively.
public struct HTTPHeaders: Sendable, Hashable, Sequence {
    /// One header line.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public private(set) var entries: [Entry] = []

    public init(_ entries: [Entry] = []) {
        self.entries = entries
    }

    public mutating func append(name: String, value: String) {
        entries.append(Entry(name: name, value: value))
    }

    /// The first value of the header `name`, or nil.
    public subscript(name: String) -> String? {
        entries.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of the header `name`, in order.
    public func values(for name: String) -> [String] {
        let lowered = name.lowercased()
        return entries.filter { $0.name.lowercased() == lowered }.map(\.value)
    }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }
}
