import KubeClient
import KubeCore
import Testing

@Suite("Object text (JSON or YAML bodies of the C and Python APIs)")
struct ObjectTextTests {
    @Test("JSON is sent as given; YAML holding one object is converted to JSON")
    func jsonAndYAML() throws {
        let json = Array(#" {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"n"}}"#.utf8)
        let fromJSON = try ObjectText(jsonOrYAML: json, what: "body_json")
        #expect(fromJSON.bytes == json)
        #expect(try fromJSON.name() == "a")
        #expect(fromJSON.object.namespace == "n")

        let yaml = Array("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n".utf8)
        let fromYAML = try ObjectText(jsonOrYAML: yaml, what: "body_json")
        #expect(try fromYAML.name() == "b")
        #expect(fromYAML.bytes.first == UInt8(ascii: "{"))
    }

    @Test("two documents, invalid JSON, invalid UTF-8 and a nameless object are invalid arguments")
    func refused() {
        func message(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch {
                guard let error = error as? KubeError, case .invalidArgument(let text) = error else { return "\(error)" }
                return text
            }
        }
        let two = Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n".utf8)
        #expect(message { _ = try ObjectText(jsonOrYAML: two, what: "body_json") }?.contains("exactly one object, found 2") == true)
        #expect(message { _ = try ObjectText(manifest: two, what: "body") }?.hasPrefix("body must hold exactly one object") == true)
        #expect(message { _ = try ObjectText(jsonOrYAML: Array("{\"a\":".utf8), what: "body_json") }?
            .hasPrefix("body_json is not valid JSON") == true)
        #expect(message { _ = try ObjectText(jsonOrYAML: [0x6B, 0xFF], what: "body_json") } == "body_json is not valid UTF-8")
        #expect(message { _ = try ObjectText(jsonOrYAML: Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}"#.utf8), what: "b").name() }
            == "the object has no metadata.name")
    }
}
