import Testing
@testable import KubeCore

/// Issue 11, item 4: aliases let a small manifest expand into a huge value (a 48 KB
/// manifest became a 100 MB request, a 5 MB one aborted the process). The reader counts
/// what aliases add and refuses with an error past `YAMLLimits`.
@Suite("YAML alias limits")
struct YAMLAliasLimitTests {
    /// The error `body` throws; nil (a test failure) when it returns.
    private func yamlError(_ body: () throws(YAMLError) -> Void) -> YAMLError? {
        do {
            try body()
            Issue.record("expected a YAMLError")
            return nil
        } catch {
            return error
        }
    }

    @Test("a billion-laughs document is refused with an alias error, not expanded")
    func billionLaughs() {
        var text = "lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            text += "lol\(level): &lol\(level) [" + Array(repeating: "*lol\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let error = yamlError { () throws(YAMLError) in _ = try YAML.parseDocuments(text) }
        #expect(error?.message.contains("alias") == true, "\(String(describing: error))")
        #expect(error?.line ?? 0 > 0)
    }

    @Test("a 48 KB manifest whose aliases repeat a long string is refused instead of becoming 100 MB")
    func longStringRepeated() {
        let long = String(repeating: "x", count: 38_000)
        let aliases = Array(repeating: "*s", count: 2_500).joined(separator: ", ")
        let text = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: amplified}
        data:
          s: &s "\(long)"
          list: [\(aliases)]
        """
        #expect(text.utf8.count < 48 * 1024)  // and expands to 95 MB
        let error = yamlError { () throws(YAMLError) in _ = try YAML.parseDocuments(text) }
        #expect(error?.message.contains("bytes") == true, "\(String(describing: error))")
        #expect(error?.message.contains("alias") == true)
    }

    @Test("the limit holds across documents: many small documents cannot add up")
    func acrossDocuments() {
        let long = String(repeating: "y", count: 10_000)
        let document = "a: &a \"\(long)\"\nb: [" + Array(repeating: "*a", count: 100).joined(separator: ",") + "]\n"
        // 20 documents of 1 MB expansion each: every one is fine alone, all of them are not.
        let text = Array(repeating: document, count: 20).joined(separator: "---\n")
        #expect(throws: Never.self) { try YAML.parseDocuments(document) }
        let error = yamlError { () throws(YAMLError) in _ = try YAML.parseDocuments(text) }
        #expect(error?.message.contains("bytes") == true, "\(String(describing: error))")
    }

    @Test("chained anchors cannot nest a value deeper than the nesting limit")
    func deepThroughAliases() {
        // Each line nests the previous anchor 400 levels further down: 2,000 levels in all,
        // deep enough to overflow the stack when such a value is freed or serialized.
        var text = "l0: &l0 " + String(repeating: "[", count: 400) + "x" + String(repeating: "]", count: 400) + "\n"
        for level in 1...5 {
            text += "l\(level): &l\(level) " + String(repeating: "[", count: 400) + "*l\(level - 1)"
                + String(repeating: "]", count: 400) + "\n"
        }
        let error = yamlError { () throws(YAMLError) in _ = try YAML.parseDocuments(text) }
        #expect(error?.message.contains("deeper than") == true, "\(String(describing: error))")
    }

    @Test("a normal manifest with a few aliases and merge keys still loads")
    func normalManifest() throws {
        let text = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: &labels {app: web, tier: frontend}
        spec:
          replicas: 2
          selector:
            matchLabels: *labels
          template:
            metadata:
              labels:
                <<: *labels
                track: stable
            spec:
              containers:
              - &container
                name: web
                image: nginx:1.27
                env: &env
                - {name: MODE, value: production}
              - <<: *container
                name: sidecar
                env: *env
        """
        let value = try YAML.parse(text)
        #expect(value[path: ["spec", "selector", "matchLabels"]] == ["app": "web", "tier": "frontend"])
        #expect(value[path: ["spec", "template", "metadata", "labels"]] == ["app": "web", "tier": "frontend", "track": "stable"])
        let containers = value[path: ["spec", "template", "spec", "containers"]]
        #expect(containers?[1]?["name"] == "sidecar")
        #expect(containers?[1]?["image"] == "nginx:1.27")
        #expect(containers?[1]?["env"] == [["name": "MODE", "value": "production"]])
    }

    @Test("the limits are adjustable, and a document inside them loads")
    func adjustableLimits() throws {
        let text = "a: &a \"" + String(repeating: "z", count: 1_000) + "\"\nb: [" + Array(repeating: "*a", count: 50).joined(separator: ",") + "]\n"
        #expect(try YAML.parse(text)["b"]?.arrayValue?.count == 50)
        let tight = YAMLLimits(maxAliasExpansionBytes: 10_000)
        #expect(throws: YAMLError.self) { try YAML.parse(text, limits: tight) }
        let fewNodes = YAMLLimits(maxAliasExpansionNodes: 10)
        #expect(throws: YAMLError.self) { try YAML.parse(text, limits: fewNodes) }
    }

    @Test("large documents may have a falling share of aliased nodes, as in go-yaml v3")
    func aliasRatio() {
        #expect(YAMLDocumentBuilder.allowedAliasRatio(1_000) == 0.99)
        #expect(YAMLDocumentBuilder.allowedAliasRatio(400_000) == 0.99)
        #expect(abs(YAMLDocumentBuilder.allowedAliasRatio(2_200_000) - 0.545) < 1e-9)
        #expect(YAMLDocumentBuilder.allowedAliasRatio(4_000_000) == 0.10)
        #expect(YAMLDocumentBuilder.allowedAliasRatio(40_000_000) == 0.10)
    }
}
