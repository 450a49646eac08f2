import KubeCore
import Testing
@testable import KubeClient
import KubeTestSupport

@Suite("Watch line splitting")
struct WatchLineSplitterTests {
    /// Feeds `chunks` and returns the lines seen.
    private func split(_ chunks: [String], stopAfter: Int = .max) throws -> [String] {
        var splitter = WatchLineSplitter()
        var lines: [String] = []
        let collect = { (line: UnsafeRawBufferPointer) throws(KubeError) -> Bool in
            lines.append(String(decoding: line, as: UTF8.self))
            return lines.count < stopAfter
        }
        for chunk in chunks {
            let bytes = Array(chunk.utf8)
            let goOn = try bytes.withUnsafeBytes { raw in try splitter.feed(raw, collect) }
            if !goOn { return lines }
        }
        _ = try splitter.finish(collect)
        return lines
    }

    @Test("complete lines in one chunk are delivered in order")
    func oneChunk() throws {
        #expect(try split(["a\nbb\nccc\n"]) == ["a", "bb", "ccc"])
    }

    @Test("a line split across chunks is reassembled")
    func acrossChunks() throws {
        #expect(try split(["{\"ty", "pe\":1}\n{\"x", "\":2", "}\n"]) == ["{\"type\":1}", "{\"x\":2}"])
    }

    @Test("a chunk boundary right after the newline loses nothing")
    func boundaryAtNewline() throws {
        #expect(try split(["a\n", "b\n", "\n", "c"]) == ["a", "b", "c"])
    }

    @Test("blank and CR-only lines are skipped")
    func blankLines() throws {
        #expect(try split(["\n\r\n  \na\n"]) == ["a"])
    }

    @Test("stopping in the middle of a chunk delivers nothing more")
    func stopEarly() throws {
        #expect(try split(["a\nb\nc\n"], stopAfter: 2) == ["a", "b"])
    }

    @Test("random chunkings of a stream always give the same lines")
    func randomChunkings() throws {
        let lines = (0..<200).map { index in
            #"{"type":"MODIFIED","object":{"metadata":{"name":"pod-\#(index)","labels":{"k":"\#(String(repeating: "v", count: index % 37))"}}}}"#
        }
        let stream = Array((lines.joined(separator: "\n") + "\n").utf8)
        var generator = SeededGenerator(defaultSeed: 11)
        for _ in 0..<50 {
            var chunks: [String] = []
            var start = 0
            while start < stream.count {
                let size = Int.random(in: 1...300, using: &generator)
                let end = min(stream.count, start + size)
                chunks.append(String(decoding: stream[start..<end], as: UTF8.self))
                start = end
            }
            #expect(try split(chunks) == lines)
        }
    }
}

@Suite("Watch event decoding")
struct WatchEventDecodingTests {
    private func decode(_ line: String) throws(KubeError) -> (WatchEventType, String) {
        let bytes = Array(line.utf8)
        let result: Result<(WatchEventType, String), KubeError> = bytes.withUnsafeBytes { raw in
            do throws(KubeError) {
                let event = try WatchEventDecoder.decode(line: raw)
                return .success((event.type, String(decoding: event.object, as: UTF8.self)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    @Test("type and the exact object text are located without parsing")
    func locatesObject() throws {
        let (type, object) = try decode(#"{"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"a \"}\" b"}}}"#)
        #expect(type == .added)
        #expect(object == #"{"kind":"Pod","metadata":{"name":"a \"}\" b"}}"#)
    }

    @Test("the object may come before the type")
    func objectFirst() throws {
        let (type, object) = try decode(#"{"object":{"metadata":{"resourceVersion":"12"}},"type":"BOOKMARK"}"#)
        #expect(type == .bookmark)
        #expect(object == #"{"metadata":{"resourceVersion":"12"}}"#)
    }

    @Test("an ERROR event exposes its Status")
    func errorEvent() throws {
        let line = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version","reason":"Expired","code":410}}"#
        let bytes = Array(line.utf8)
        let event = try bytes.withUnsafeBytes { raw in try WatchEvent(WatchEventDecoder.decode(line: raw)) }
        #expect(event.type == .error)
        #expect(event.status?.code == 410)
        #expect(KubeError.api(try #require(event.status)).isGone)
    }

    @Test("malformed lines and unknown types are decoding errors")
    func malformed() {
        #expect(throws: KubeError.self) { try decode("{not json") }
        #expect(throws: KubeError.self) { try decode(#"{"type":"SOMETHING","object":{}}"#) }
        #expect(throws: KubeError.self) { try decode(#"{"object":{}}"#) }
        #expect(throws: KubeError.self) { try decode(#"{"type":"ADDED"}"#) }
    }
}

@Suite("List decoding")
struct UnstructuredListTests {
    @Test("items get the list's apiVersion and kind; metadata is read")
    func decodesList() throws {
        let json = try JSON.parse(#"{"apiVersion":"apps/v1","kind":"DeploymentList","metadata":{"resourceVersion":"42","continue":"abc","remainingItemCount":5},"items":[{"metadata":{"name":"a"}},{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"b"}}]}"#)
        let list = try UnstructuredList(json: json, what: "test")
        #expect(list.items.count == 2)
        #expect(list.items[0].kind == "Deployment")
        #expect(list.items[0].apiVersion == "apps/v1")
        #expect(list.items[0].name == "a")
        #expect(list.resourceVersion == "42")
        #expect(list.continueToken == "abc")
        #expect(list.remainingItemCount == 5)
    }

    @Test("null items is an empty list; a non-array is a decoding error")
    func itemsShapes() throws {
        #expect(try UnstructuredList(json: try JSON.parse(#"{"kind":"PodList","items":null}"#), what: "t").items.isEmpty)
        #expect(throws: KubeError.self) { try UnstructuredList(json: try JSON.parse(#"{"items":{}}"#), what: "t") }
    }
}
