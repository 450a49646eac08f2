import Logging
import KubeCore

/// Receives the text of every `Warning:` header the server sends (RFC 7234 code 299,
/// used by Kubernetes for deprecations and validation warnings).
public struct WarningHandler: Sendable {
    private let handle: @Sendable (String) -> Void

    /// A handler calling `handle` with each warning text, on the requesting thread.
    public init(_ handle: @escaping @Sendable (String) -> Void) {
        self.handle = handle
    }

    /// Delivers one warning.
    public func callAsFunction(_ text: String) { handle(text) }

    /// The default: logs each distinct text once (swift-log, label "kubeclient", level warning).
    ///
    /// Only the `remember` most recent distinct texts are kept (client-go's deduplicating
    /// handler keeps them all): a server that sends endless distinct warnings costs bounded
    /// memory, and a text forgotten that way may be logged again.
    public static func logOnce(logger: Logger = Logger(label: "kubeclient"), remember: Int = 1024) -> WarningHandler {
        let seen = Locked(RecentSet(capacity: remember))
        return WarningHandler { text in
            let isNew = seen.withLock { $0.insert(text) }
            if isNew { logger.warning("server warning: \(TerminalSafeText.sanitized(text))") }
        }
    }

    /// Ignores warnings.
    public static let ignore = WarningHandler { _ in }
}

/// The most recent `capacity` distinct strings, oldest forgotten first.
struct RecentSet {
    private var members: Set<String> = []
    private var order: [String] = []
    private var oldest = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// True when `text` was not among the remembered strings (it is now).
    mutating func insert(_ text: String) -> Bool {
        guard members.insert(text).inserted else { return false }
        if order.count < capacity {
            order.append(text)
        } else {
            members.remove(order[oldest])
            order[oldest] = text
            oldest = (oldest + 1) % capacity
        }
        return true
    }

    var count: Int { members.count }
}

/// Parses `Warning` header values: `299 - "text"` (optionally followed by a date), several
/// comma-separated warnings per value allowed.
enum WarningHeaderParser {
    static func texts(_ value: String) -> [String] {
        var results: [String] = []
        var chars = Substring(value)
        while !chars.isEmpty {
            // code SP agent SP quoted-text [SP quoted-date]
            guard let quote = chars.firstIndex(of: "\"") else { break }
            var index = chars.index(after: quote)
            var text = ""
            var closed = false
            while index < chars.endIndex {
                let char = chars[index]
                if char == "\\" {
                    index = chars.index(after: index)
                    if index < chars.endIndex { text.append(chars[index]) }
                } else if char == "\"" {
                    closed = true
                    break
                } else {
                    text.append(char)
                }
                if index < chars.endIndex { index = chars.index(after: index) }
            }
            guard closed else { break }
            results.append(text)
            chars = chars[chars.index(after: index)...]
            // Skip an optional quoted date and move past the next comma.
            if let comma = nextTopLevelComma(chars) {
                chars = chars[chars.index(after: comma)...]
            } else {
                break
            }
        }
        return results
    }

    private static func nextTopLevelComma(_ chars: Substring) -> Substring.Index? {
        var inQuote = false
        var index = chars.startIndex
        while index < chars.endIndex {
            let char = chars[index]
            if char == "\\", inQuote {
                index = chars.index(after: index)
            } else if char == "\"" {
                inQuote.toggle()
            } else if char == ",", !inQuote {
                return index
            }
            if index < chars.endIndex { index = chars.index(after: index) }
        }
        return nil
    }
}
