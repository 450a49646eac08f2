import Testing
@testable import KubeCore

/// The container conformances of `JSONValueCodable` (inlined into the models' module):
/// values and error paths as the element-by-element decode gave them.
@Suite("JSONValueCodable containers")
struct JSONValueCodableTests {
    @Test("maps keep every member; a bad value names its key")
    func maps() throws {
        let good: JSON = ["a": 1, "b": 2, "c": .null]
        let decoded = try [String: JSON](json: good)
        #expect(decoded == ["a": 1, "b": 2, "c": .null])
        let numbers = try [String: Int64](json: ["x": 7, "y": .double(8)])
        #expect(numbers == ["x": 7, "y": 8])
        do {
            _ = try [String: Int64](json: ["ok": 1, "bad": "text", "fine": 2])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "bad: expected integer, got string")
        }
        #expect(throws: JSONDecodingError.self) { _ = try [String: String](json: ["a"]) }
        #expect(try [String: String](json: .object([:])).isEmpty)
    }

    @Test("arrays keep order; a bad element names its index")
    func arrays() throws {
        #expect(try [String](json: ["a", "b"]) == ["a", "b"])
        do {
            _ = try [[String: Int64]](json: [["a": 1], ["b": "x"]])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "[1].b: expected integer, got string")
        }
    }
}
