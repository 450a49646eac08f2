import KubeCore
import Testing
@testable import KubeClient

@Suite("Manifest parsing")
struct ManifestParsingTests {
    @Test("multi-document YAML yields each object in order, skipping empty documents")
    func multiDocumentYAML() throws {
        let text = """
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: demo
        ---
        # only a comment
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: demo
        spec:
          replicas: 3
        """
        let objects = try Manifest.parse(text)
        #expect(objects.map(\.kind) == ["Namespace", "Deployment"])
        #expect(objects[1].namespace == "demo")
        #expect(objects[1][path: "spec", "replicas"]?.intValue == 3)
    }

    @Test("kind: List is flattened, nested lists too")
    func listFlattened() throws {
        let text = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: ConfigMap
          metadata: {name: a}
        - apiVersion: v1
          kind: ConfigMapList
          items:
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: b}
        """
        #expect(try Manifest.parse(text).map(\.name) == ["a", "b"])
    }

    @Test("JSON manifests: one object or an array")
    func jsonManifests() throws {
        #expect(try Manifest.parse(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}"#).count == 1)
        #expect(try Manifest.parse(#"[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}},{"apiVersion":"v1","kind":"Pod","metadata":{"name":"q"}}]"#).count == 2)
    }

    @Test("a YAML syntax error is a decoding error naming the cause")
    func yamlSyntaxError() {
        #expect {
            try Manifest.parse("apiVersion: v1\nkind: [unclosed\n")
        } throws: { error in
            guard let error = error as? KubeError, case .decoding(let message) = error else { return false }
            return message.contains("YAML")
        }
    }

    @Test("an object without kind or apiVersion names its document")
    func missingKind() {
        #expect {
            try Manifest.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n")
        } throws: { error in
            guard let error = error as? KubeError, case .decoding(let message) = error else { return false }
            return message.contains("document 2") && message.contains("kind")
        }
        #expect(throws: KubeError.self) { try Manifest.parse("kind: Pod\n") }
        #expect(throws: KubeError.self) { try Manifest.parse("- 1\n- 2\n") }
    }
}
