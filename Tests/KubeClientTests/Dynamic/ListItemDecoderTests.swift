@testable import KubeClient
import KubeCore
import Synchronization
import Testing

/// The list split and the item decoder on their own: order, the parallel path's error
/// handling (first error in item order, values already built released), and bodies that
/// must take the whole-body path.
@Suite("List body split and item decoder")
struct ListItemDecoderTests {
    /// A list body of `count` small objects, big enough for the parallel path.
    static func body(count: Int, badAt bad: Set<Int> = []) -> [UInt8] {
        let pad = String(repeating: "p", count: 600)
        var items: [String] = []
        for n in 0..<count {
            let value = bad.contains(n) ? #""not a number""# : "\(n)"
            items.append(#"{"metadata":{"name":"o-\#(n)","note":"x\"]}[{\\"},"n":\#(value),"pad":"\#(pad)"}"#)
        }
        return Array(#"{"kind":"ThingList","apiVersion":"v1","metadata":{"resourceVersion":"42"},"items":[\#(items.joined(separator: ","))]}"#.utf8)
    }

    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// Lives as long as the value holding it; counts the live ones.
    final class Token: Sendable {
        let live: Counter
        init(_ live: Counter) {
            self.live = live
            live.value.add(1, ordering: .relaxed)
        }
        deinit { live.value.subtract(1, ordering: .relaxed) }
    }

    @Test("items are split in one pass and decoded in server order on the parallel path")
    func order() throws {
        let count = 1_000
        let body = Self.body(count: count)
        #expect(body.count >= ListItemDecoder.parallelMinBytes && count >= ListItemDecoder.parallelMinItems)
        let split = try #require(body.withUnsafeBytes { ListScan.split($0) })
        #expect(split.items.count == count)
        #expect(split.members["kind"]?.stringValue == "ThingList")
        #expect(split.members["metadata"]?["resourceVersion"]?.stringValue == "42")
        #expect(split.members["items"] == nil)
        let values = try ListItemDecoder.decode(body: body, items: split.items) { (raw, range, _) throws(KubeError) -> Int in
            let json = try TypedCoding.parseItem(raw, range: range, what: "test")
            return Int(json["n"]?.intValue ?? -1)
        }
        #expect(values == Array(0..<count))
    }

    @Test("the first failing item in server order is reported and every value already built is released")
    func firstErrorAndCleanup() throws {
        let live = Counter()
        let body = Self.body(count: 2_000, badAt: [1_500, 700, 1_999])
        let split = try #require(body.withUnsafeBytes { ListScan.split($0) })
        #expect(throws: KubeError.self) {
            _ = try ListItemDecoder.decode(body: body, items: split.items) {
                (raw, range, index) throws(KubeError) -> (Int, Token) in
                let json = try TypedCoding.parseItem(raw, range: range, what: "test")
                guard let n = json["n"]?.intValue else { throw .decoding("item \(index) has no number") }
                return (Int(n), Token(live))
            }
        }
        do {
            _ = try ListItemDecoder.decode(body: body, items: split.items) {
                (raw, range, index) throws(KubeError) -> (Int, Token) in
                let json = try TypedCoding.parseItem(raw, range: range, what: "test")
                guard let n = json["n"]?.intValue else { throw .decoding("item \(index) has no number") }
                return (Int(n), Token(live))
            }
        } catch {
            #expect(error.description.contains("item 700 "))
        }
        #expect(live.value.load(ordering: .relaxed) == 0)
    }

    @Test("items that are not an array, trailing data and malformed bodies do not split")
    func noSplit() {
        for text in [#"{"items":null}"#, #"{"kind":"L"}"#, #"{"items":[{}]} x"#, #"{"items":[{},]"#, #"[1]"#,
                     #"{"items":[{"a":1} {"b":2}]}"#, ""] {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBytes { ListScan.split($0) } == nil, "\(text)")
        }
        let empty = Array(#" { "items" : [ ] , "metadata" : { } } "#.utf8)
        #expect(empty.withUnsafeBytes { ListScan.split($0) }?.items.isEmpty == true)
    }

    @Test("a malformed item reports its offset in the whole body")
    func malformedItemOffset() throws {
        let text = #"{"items":[{"a":1},{"b":tru}]}"#
        let body = Array(text.utf8)
        let split = try #require(body.withUnsafeBytes { ListScan.split($0) })
        #expect(throws: KubeError.self) {
            _ = try ListItemDecoder.decode(body: body, items: split.items) { (raw, range, _) throws(KubeError) -> JSON in
                try TypedCoding.parseItem(raw, range: range, what: "list things")
            }
        }
        do {
            _ = try ListItemDecoder.decode(body: body, items: split.items) { (raw, range, _) throws(KubeError) -> JSON in
                try TypedCoding.parseItem(raw, range: range, what: "list things")
            }
        } catch {
            #expect(error.description.contains("malformed JSON from the server for list things"))
            #expect(error.description.contains("byte 2"), "offset counted from the body start: \(error)")
        }
    }
}
