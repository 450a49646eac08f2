import KubeClient
import KubeCore
import Testing
import KubeTestSupport

@Suite("Manifest apply against the test server")
struct ManifestApplyTests {
    static let manifest = """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: widgets.example.com
    spec:
      group: example.com
      scope: Namespaced
      names:
        plural: widgets
        singular: widget
        kind: Widget
        shortNames: [wg]
      versions:
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            x-kubernetes-preserve-unknown-fields: true
    ---
    apiVersion: v1
    kind: List
    items:
    - apiVersion: example.com/v1
      kind: Widget
      metadata:
        name: gadget
      spec:
        size: 3
    - apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
        namespace: team
      data:
        mode: fast
    """

    @Test("a manifest with a CRD and an object of it is applied in order")
    func applyWithCRD() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.server.seed(json: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
        let applied = try cluster.client.applyManifest(Self.manifest, fieldManager: "tests")
        #expect(applied.map(\.kind) == ["CustomResourceDefinition", "Widget", "ConfigMap"])
        #expect(applied[1].namespace == "default")

        let widgets = cluster.client.resource(GroupVersionResource(group: "example.com", version: "v1", resource: "widgets"))
        let gadget = try widgets.namespace("default").get("gadget")
        #expect(gadget[path: "spec", "size"]?.intValue == 3)
        #expect(try cluster.client.mapper.mapping(forResource: "wg").kind.kind == "Widget")

        // Applying again is idempotent.
        let again = try cluster.client.applyManifest(Self.manifest, fieldManager: "tests")
        #expect(again.count == 3)
        #expect(try cluster.client.resource(TestCluster.configMaps).namespace("team").get("settings")[path: "data", "mode"]?.stringValue == "fast")
    }

    @Test("an unknown kind fails with a clear not-found error")
    func unknownKind() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        #expect {
            try cluster.client.applyManifest("apiVersion: nowhere.io/v1\nkind: Ghost\nmetadata: {name: x}\n")
        } throws: { error in
            guard let error = error as? KubeError else { return false }
            return error.isNotFound && error.description.contains("Ghost")
        }
    }
}
