import Testing
@testable import KubeCore
import KubeTestSupport

/// The incremental list splitter: the same items and members whatever the chunking.
@Suite("JSON list splitter")
struct JSONListSplitterTests {
    static let sample = #"""
    {"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"42","continue":"tok\"en"},
     "items":[ {"metadata":{"name":"a","labels":{"x":"]}\\"}},"spec":[1,2,{"z":null}]} ,
      {"metadata":{"name":"b\u00e9"}},{"s":"\\\\"}, {} ,[] , "str", 12 , true ],
     "extra":[{"k":"v"}]}
    """#

    struct Result: Equatable {
        var items: [[UInt8]] = []
        var ranges: [Range<Int>] = []
        var members: [String: JSON] = [:]
        var hasItems = false
    }

    /// Splits `body` fed in the chunks that `cuts` (sorted offsets) make.
    static func split(_ body: [UInt8], cuts: [Int]) throws(JSONError) -> Result {
        var splitter = JSONListSplitter()
        var result = Result()
        var start = 0
        for end in cuts + [body.count] where end >= start {
            let chunk = Array(body[start..<end])
            let fed = chunk.withUnsafeBytes { raw -> JSONError? in
                do throws(JSONError) {
                    _ = try splitter.feed(raw) { item in
                        result.items.append(Array(item.bytes))
                        result.ranges.append(item.range)
                        return true
                    }
                    return nil
                } catch {
                    return error
                }
            }
            if let fed { throw fed }
            start = end
        }
        try splitter.finish()
        result.members = splitter.members
        result.hasItems = splitter.hasItemsArray
        return result
    }

    @Test("a whole body splits into items, ranges and members")
    func whole() throws {
        let body = Array(Self.sample.utf8)
        let result = try Self.split(body, cuts: [])
        #expect(result.items.count == 8)
        for (item, range) in zip(result.items, result.ranges) { #expect(Array(body[range]) == item) }
        #expect(String(decoding: result.items[2], as: UTF8.self) == #"{"s":"\\\\"}"#)
        #expect(String(decoding: result.items[6], as: UTF8.self) == "12")
        #expect(result.members["metadata"]?["continue"]?.stringValue == "tok\"en")
        #expect(result.members["extra"] == [["k": "v"]])
        #expect(result.members["items"] == nil && result.hasItems)
        let scan = try body.withUnsafeBytes { try ListScan(bytes: $0) }
        #expect(scan.items == result.ranges && scan.resourceVersion == "42" && scan.continueToken == "tok\"en")
        #expect(scan.kind == "PodList" && scan.apiVersion == "v1")
        // Each item is what the parser reads from the whole body.
        let whole = try JSON.parse(bytes: body)
        #expect(try result.items.map { try JSON.parse(bytes: $0) } == whole["items"]?.arrayValue)
    }

    @Test("a chunk boundary at every byte, and one byte at a time, give the same split")
    func everyBoundary() throws {
        let body = Array(Self.sample.utf8)
        let expected = try Self.split(body, cuts: [])
        for cut in 0...body.count {
            #expect(try Self.split(body, cuts: [cut]) == expected, "cut at \(cut)")
        }
        #expect(try Self.split(body, cuts: Array(1..<body.count)) == expected)
    }

    @Test("seeded random chunkings give the same split")
    func randomChunks() throws {
        var rng = SeededGenerator(defaultSeed: 16)
        var body = Array(#"{"apiVersion":"v1","items":["#.utf8)
        for i in 0..<200 {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            let pad = String(repeating: "p\\\"", count: Int.random(in: 0...40, using: &rng))
            body += Array(#"{"metadata":{"name":"pod-\#(i)"},"d":"\#(pad)","n":[\#(i),{"x":"}"}]}"#.utf8)
        }
        body += Array(#"],"kind":"PodList","metadata":{"resourceVersion":"7"}}"#.utf8)
        let expected = try Self.split(body, cuts: [])
        #expect(expected.items.count == 200)
        for _ in 0..<200 {
            let cuts = (0..<Int.random(in: 1...40, using: &rng)).map { _ in Int.random(in: 0...body.count, using: &rng) }.sorted()
            #expect(try Self.split(body, cuts: cuts) == expected, "cuts \(cuts)")
        }
    }

    @Test("items before or after the list's metadata")
    func memberOrder() throws {
        let before = Array(#"{"items":[{"a":1}],"metadata":{"resourceVersion":"5"},"kind":"XList"}"#.utf8)
        let after = Array(#"{"kind":"XList","metadata":{"resourceVersion":"5"},"items":[{"a":1}]}"#.utf8)
        for body in [before, after] {
            let scan = try body.withUnsafeBytes { try ListScan(bytes: $0) }
            #expect(scan.items.count == 1 && scan.resourceVersion == "5" && scan.kind == "XList")
        }
        // What the callback sees of the list depends on the order.
        var splitter = JSONListSplitter()
        var seen: [String: JSON] = [:]
        _ = try before.withUnsafeBytes { raw throws(JSONError) in try splitter.feed(raw) { seen = $0.list; return true } }
        #expect(seen.isEmpty)
        splitter = JSONListSplitter()
        _ = try after.withUnsafeBytes { raw throws(JSONError) in try splitter.feed(raw) { seen = $0.list; return true } }
        #expect(seen["kind"] == "XList")
    }

    @Test("malformed and truncated lists fail with an offset", arguments: [
        "", " ", "[]", "{", #"{"items":[{"a":1}"#, #"{"items":[{"a":1},]}"#, #"{"items":[,1]}"#, #"{"items":[1 2]}"#,
        #"{"items":[]"#, #"{"items" []}"#, #"{items:[]}"#, #"{"items":[]} x"#, #"{"items":[]}}"#, #"{"a":tru}"#,
        #"{"a":1,}"#, #"{"items":["abc]}"#, #"{"items":[{"a":"\"}]}"#, #"{"metadata":{"a":}}"#, #"{"items":[}]}"#,
    ])
    func malformed(text: String) {
        let body = Array(text.utf8)
        for cut in 0...body.count {
            do {
                let result = try Self.split(body, cuts: [cut])
                Issue.record("split \(text.debugDescription) (cut \(cut)): \(result.items.count) items")
            } catch {
                #expect(error.offset >= 0 && error.offset <= body.count, "\(error)")
            }
        }
    }

    @Test("items null or absent: no items array, the member kept")
    func noItemsArray() throws {
        let scan = try Array(#"{"items":null,"kind":"L"}"#.utf8).withUnsafeBytes { try ListScan(bytes: $0) }
        #expect(!scan.hasItemsArray && scan.items.isEmpty && scan.members["items"] == .null)
        #expect(Array(#"{"kind":"L"}"#.utf8).withUnsafeBytes { ListScan.split($0) } == nil)
        #expect(Array(#"{"items":[]}"#.utf8).withUnsafeBytes { ListScan.split($0) }?.items.isEmpty == true)
    }

    @Test("the callback stops the split")
    func stop() throws {
        var splitter = JSONListSplitter()
        var count = 0
        let goOn = try Array(#"{"items":[1,2,3]}"#.utf8).withUnsafeBytes { raw throws(JSONError) in
            try splitter.feed(raw) { _ in count += 1; return count < 2 }
        }
        #expect(!goOn && count == 2)
    }
}
