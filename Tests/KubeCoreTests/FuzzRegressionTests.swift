import Testing
@testable import KubeCore

/// What writing and running the fuzz targets in fuzz/ turned up in KubeCore (issue 11),
/// kept as regressions.
@Suite("Fuzz findings")
struct FuzzRegressionTests {
    @Test("a number beyond Double's range is an error, not an infinity that serializes as null")
    func numberOutOfRange() throws {
        for text in ["1e999", "-1e999", "[1, 2e400]", #"{"replicas": 123456789e999}"#] {
            #expect(throws: JSONError.self, "\(text)") { try JSON.parse(text) }
        }
        // The largest finite values still parse and round-trip.
        let big = try JSON.parse("[1.7976931348623157e308, -1.7976931348623157e308, 5e-324, 1e-400]")
        #expect(try JSON.parse(big.serialized()) == big)
    }

    @Test("an explicit number tag on an empty scalar is an error, not an out-of-range crash")
    func emptyTaggedNumber() throws {
        // `!!float ` (8 bytes) aborted the process: the number reader indexed the empty text.
        for text in ["!!float ", "!!int", "a: !!float\n", "- !!int ''\n", "!!float \"\""] {
            #expect(throws: YAMLError.self, "\(text.debugDescription)") { try YAML.parse(text) }
        }
        #expect(YAMLScalar.number("") == nil)
        #expect(try YAML.parse("a: !!float 1") == ["a": 1.0])
    }

    @Test("a key longer than an implicit key may be is emitted as an explicit key and reads back")
    func longKeyEmitted() throws {
        // `key: value` with a 1,100-character key did not read back: libyaml gives up on
        // implicit keys after 1024 characters.
        for length in [999, 1_000, 1_001, 1_100, 5_000] {
            let key = String(repeating: "k", count: length)
            let quoted = String(repeating: "\u{FFFD}\n", count: length / 2)
            let value: JSON = .object(["short": 1, key: ["a": [1, 2]], quoted: "v", "list": [.object([key: "x"])]])
            let emitted = YAML.emit(value)
            #expect(try YAML.parse(emitted) == value, "key length \(length)")
        }
    }
}
