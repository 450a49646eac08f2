/// The one list splitter: turns a LIST body (`{"kind":…,"metadata":{…},"items":[…]}`) into
/// its items' bytes as the body arrives, chunk by chunk, without building a tree for them.
///
/// Each item is handed on as soon as its last byte has been fed: borrowed from the chunk when
/// it lies inside one (no copy), else from a buffer holding the item's bytes so far. The
/// list's other members (`apiVersion`, `kind`, `metadata`, …; small) are parsed into `JSON`
/// as they complete, in whatever order they come. Splitting a whole body is one `feed`.
///
/// Items are delimited, not validated (their reader checks them); the list's own structure
/// is checked, and `finish` reports a body that ended early.
public struct JSONListSplitter {
    /// One complete item, handed to `feed`'s callback.
    public struct Item {
        /// The item's bytes, valid only during the callback.
        public let bytes: UnsafeRawBufferPointer
        /// Where they lie in the whole body.
        public let range: Range<Int>
        /// The list's other members that arrived before this item (usually kind,
        /// apiVersion and metadata: servers send them first).
        public let list: [String: JSON]
    }

    /// The list's members other than an `items` array, as far as they have arrived.
    public private(set) var members: [String: JSON] = [:]
    /// Whether an `items` array has been seen (false for `"items": null` or none).
    public private(set) var hasItemsArray = false
    /// Bytes fed so far.
    public private(set) var offset = 0

    private enum Phase {
        case open, firstKey, nextKey, colon, value, firstItem, nextItem, afterItem, afterMember, done
    }
    private enum Token { case key, member, item }

    private var phase = Phase.open
    private var key = ""
    /// The token (key, member value or item) that began in an earlier chunk, if any.
    private var pendingToken: Token?
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var span = JSONValueSpan()

    public init() {}

    /// Whether a whole list has been read (what `finish` checks).
    public var isComplete: Bool { phase == .done && pendingToken == nil }

    /// Feeds the next bytes of the body. `onItem` gets each item as soon as it is complete;
    /// it answers false to stop, and `feed` then answers false too. Throws when the list's
    /// structure is malformed.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ onItem: (Item) -> Bool) throws(JSONError) -> Bool {
        guard let p = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self), !chunk.isEmpty else { return true }
        let n = chunk.count
        let base = offset
        defer { offset = base + n }
        var i = 0
        if let token = pendingToken {
            guard let e = try span.advance(p, from: 0, to: n, base: base) else {
                pending.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
                return true
            }
            pending.append(contentsOf: UnsafeBufferPointer(start: p, count: e))
            pendingToken = nil
            // Out of `self` while `complete` (mutating) reads it.
            var buffer: [UInt8] = []
            swap(&buffer, &pending)
            let start = pendingStart
            let result = buffer.withUnsafeBytes { bytes -> Result<Bool, JSONError> in
                do throws(JSONError) {
                    return .success(try complete(token, bytes, at: start, onItem))
                } catch {
                    return .failure(error)
                }
            }
            let goOn = try result.get()
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            pending = buffer
            i = e
            guard goOn else { return false }
        }
        while i < n {
            let c = p[i]
            if JSONByteSearch.isWhitespace(c) {
                i += 1
                continue
            }
            let token: Token
            switch phase {
            case .open:
                guard c == UInt8(ascii: "{") else { throw JSONError(offset: base + i, message: "expected a list object") }
                phase = .firstKey
                i += 1
                continue
            case .firstKey, .nextKey:
                if c == UInt8(ascii: "}"), phase == .firstKey {
                    phase = .done
                    i += 1
                    continue
                }
                guard c == UInt8(ascii: "\"") else { throw JSONError(offset: base + i, message: "expected a string key") }
                token = .key
            case .colon:
                guard c == UInt8(ascii: ":") else { throw JSONError(offset: base + i, message: "expected ':'") }
                phase = .value
                i += 1
                continue
            case .value:
                if c == UInt8(ascii: "["), key == "items" {
                    hasItemsArray = true
                    members["items"] = nil
                    phase = .firstItem
                    i += 1
                    continue
                }
                token = .member
            case .firstItem, .nextItem:
                if c == UInt8(ascii: "]"), phase == .firstItem {
                    phase = .afterMember
                    i += 1
                    continue
                }
                token = .item
            case .afterItem:
                phase = try Self.after(c, closing: UInt8(ascii: "]"), next: .nextItem, closed: .afterMember, at: base + i)
                i += 1
                continue
            case .afterMember:
                phase = try Self.after(c, closing: UInt8(ascii: "}"), next: .nextKey, closed: .done, at: base + i)
                i += 1
                continue
            case .done:
                throw JSONError(offset: base + i, message: "unexpected data after the list")
            }
            // A token starts at i: find its end in this chunk, or keep it for the next.
            span = JSONValueSpan()
            guard let e = try span.advance(p, from: i, to: n, base: base) else {
                pendingToken = token
                pendingStart = base + i
                pending.append(contentsOf: UnsafeBufferPointer(start: p + i, count: n - i))
                return true
            }
            let goOn = try complete(token, UnsafeRawBufferPointer(start: p + i, count: e - i), at: base + i, onItem)
            i = e
            guard goOn else { return false }
        }
        return true
    }

    /// The phase after a value inside a container: `,` goes on, the closing bracket ends it.
    private static func after(_ c: UInt8, closing: UInt8, next: Phase, closed: Phase, at offset: Int) throws(JSONError) -> Phase {
        if c == UInt8(ascii: ",") { return next }
        if c == closing { return closed }
        throw JSONError(offset: offset, message: "expected ',' or '\(Character(Unicode.Scalar(closing)))'")
    }

    /// The body has ended: throws unless it held one whole list.
    public func finish() throws(JSONError) {
        guard !isComplete else { return }
        throw JSONError(offset: offset, message: offset == 0 ? "empty list body" : "the list body ended early (truncated)")
    }

    private mutating func complete(
        _ token: Token, _ bytes: UnsafeRawBufferPointer, at start: Int, _ onItem: (Item) -> Bool
    ) throws(JSONError) -> Bool {
        switch token {
        case .key:
            let scanner = JSONScanner(bytes)
            guard let text = try scanner.string(0..<bytes.count) else {
                throw JSONError(offset: start, message: "expected a string key")
            }
            key = text
            phase = .colon
            return true
        case .member:
            do throws(JSONError) {
                members[key] = try JSON.parse(bytes)
            } catch {
                throw JSONError(offset: start + error.offset, message: error.message)
            }
            phase = .afterMember
            return true
        case .item:
            phase = .afterItem
            return onItem(Item(bytes: bytes, range: start..<(start + bytes.count), list: members))
        }
    }
}
