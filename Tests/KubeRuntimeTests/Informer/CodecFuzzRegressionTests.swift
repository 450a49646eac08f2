import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime

/// Inputs the fuzz target `fuzz/targets/codec.swift` found (issue 11), kept as regressions.
@Suite("Compact object form: fuzz findings")
struct CodecFuzzRegressionTests {
    @Test("a token lead byte right after a backslash is stored untokenized and expands unchanged")
    func leadByteAfterBackslash() throws {
        // `"\<F5><05>"`: the encoder skipped the escaped byte without looking at it, stored the
        // 0xF5 raw in tokenized form, and the decoder expanded it as token 5 (a key).
        let bytes: [UInt8] = Array(#"{"metadata":{"name":"a"},"s":"\"#.utf8) + [0xF5, 0x05] + Array(#""}"#.utf8)
        let object = try CachedObject(bytes: bytes)
        #expect(object.bytes == bytes)
        #expect(object.jsonByteCount == bytes.count)
        #expect(object.withJSONBytes { Array($0) } == bytes)
        #expect(object.name == "a")
    }

    @Test("dropping managedFields also drops its comma when a tab or newline comes before it")
    func managedFieldsBeforeWhitespaceAndComma() throws {
        // Only spaces were skipped looking for the comma, so `[ ]\t,` left `{ , "name": …}`.
        for gap in ["\t", "\n", "\r\n", " \t \n "] {
            let text = "{ \"metadata\" : { \"managedFields\" : [ {\"manager\": \"m\"} ]\(gap), \"name\" : \"x\" } , \"data\" : {} }"
            let object = try CachedObject(compactBytes: Array(text.utf8), dropManagedFields: true)
            #expect(try object.json() == ["metadata": ["name": "x"], "data": [:]], "\(gap.debugDescription)")
            #expect(object.name == "x")
        }
    }
}
