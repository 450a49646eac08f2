import Foundation
import KubeCore

/// Container logs that tests write (there is no kubelet), and the `follow=true` readers
/// waiting for more. Logs belong to one pod instance (its uid), so a pod recreated under
/// the same name starts empty, as it would on a node.
final class PodLogs: Sendable {
    /// One container of one pod instance; `previous` is the log of its terminated predecessor
    /// (what `previous=true` reads; it exists once a test wrote to it).
    struct Key: Hashable, Sendable {
        var podUID: String
        var container: String
        var previous = false
    }

    struct Line: Sendable {
        var time: Date
        var text: String
    }

    /// How a reader wants lines rendered and which ones.
    struct ReadOptions: Sendable {
        var timestamps = false
        var tailLines: Int?
        /// Only lines written at or after this time (sinceSeconds / sinceTime).
        var since: Date?
        var limitBytes: Int?
    }

    private struct Follower {
        let key: Key
        let timestamps: Bool
        let sink: WatchSink
        /// Bytes still to send under `limitBytes` (nil: unlimited); the stream ends at 0.
        var remaining: Int?
    }

    private struct State {
        var lines: [Key: [Line]] = [:]
        var followers: [Int: Follower] = [:]
        var nextID = 1
    }

    private let state = Locked(State())

    /// Appends lines (the text is split at line breaks) and hands them to followers.
    func append(_ key: Key, text: String, at time: Date = Date()) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Line(time: time, text: String($0)) }
        state.withLock { s in
            s.lines[key, default: []].append(contentsOf: lines)
            for (id, follower) in s.followers where follower.key == key {
                if let remaining = Self.deliver(Self.render(lines[...], timestamps: follower.timestamps), to: follower) {
                    s.followers[id]?.remaining = remaining
                    if remaining == 0 { s.followers[id] = nil }
                }
            }
        }
    }

    /// Whether anything was ever written under `key` (a previous container "exists").
    func exists(_ key: Key) -> Bool {
        state.withLock { $0.lines[key] != nil }
    }

    /// Sends `bytes` within the follower's byte budget; returns the budget left (nil: unlimited).
    /// The stream ends when the budget is spent, as the kubelet's limited writer does.
    private static func deliver(_ bytes: [UInt8], to follower: Follower) -> Int? {
        guard let remaining = follower.remaining else {
            follower.sink.send(bytes)
            return nil
        }
        let sent = bytes.prefix(remaining)
        if !sent.isEmpty { follower.sink.send(Array(sent)) }
        let left = remaining - sent.count
        if left == 0 { follower.sink.finish(abrupt: false) }
        return left
    }

    /// The log as the response body of a non-following read.
    func read(_ key: Key, options: ReadOptions) -> [UInt8] {
        let selected = state.withLock { s in Self.select(s.lines[key] ?? [], options: options) }
        var bytes = Self.render(selected, timestamps: options.timestamps)
        if let limit = options.limitBytes, limit >= 0, bytes.count > limit { bytes.removeLast(bytes.count - limit) }
        return bytes
    }

    /// Registers a follower; the lines already written are sent to `sink` first, in the same
    /// critical section, so none is lost or repeated. Returns the id for `unfollow`.
    func follow(_ key: Key, options: ReadOptions, sink: WatchSink) -> Int {
        state.withLock { s in
            let existing = Self.select(s.lines[key] ?? [], options: options)
            var follower = Follower(key: key, timestamps: options.timestamps, sink: sink, remaining: options.limitBytes.map { max(0, $0) })
            if !existing.isEmpty || follower.remaining == 0 {
                follower.remaining = Self.deliver(Self.render(existing, timestamps: options.timestamps), to: follower)
            }
            let id = s.nextID
            s.nextID += 1
            if follower.remaining != 0 { s.followers[id] = follower }
            return id
        }
    }

    /// Followed log streams open now.
    var followerCount: Int { state.withLock { $0.followers.count } }

    func unfollow(_ id: Int) {
        _ = state.withLock { $0.followers.removeValue(forKey: id) }
    }

    private static func select(_ lines: [Line], options: ReadOptions) -> ArraySlice<Line> {
        var selected = lines[...]
        if let since = options.since {
            selected = selected.drop { $0.time < since }
        }
        if let tail = options.tailLines, tail >= 0, selected.count > tail {
            selected = selected.suffix(tail)
        }
        return selected
    }

    /// Lines with their breaks; with timestamps, prefixed like the kubelet does.
    private static func render(_ lines: ArraySlice<Line>, timestamps: Bool) -> [UInt8] {
        var out: [UInt8] = []
        for line in lines {
            if timestamps {
                out.append(contentsOf: nanoTimestamp(line.time).utf8)
                out.append(UInt8(ascii: " "))
            }
            out.append(contentsOf: line.text.utf8)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// `2006-01-02T15:04:05.000000000Z`: RFC 3339 with nanoseconds (microsecond precision here).
    static func nanoTimestamp(_ date: Date) -> String {
        var micro = RFC3339.formatMicro(date)
        micro.removeLast()  // "Z"
        return micro + "000Z"
    }
}
