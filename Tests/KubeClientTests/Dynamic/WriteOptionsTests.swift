import KubeClient
import KubeCore
import Testing
import KubeTestSupport

@Suite("Write options reach the server")
struct WriteOptionsTests {
    @Test("dryRun, fieldManager and fieldValidation are sent on create, update, patch and apply")
    func queryParameters() throws {
        let server = try RecordingHTTPServer()
        defer { server.stop() }
        let client = try KubeClient(config: RESTConfig(host: server.url, qps: -1),
                                    options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
        let configMaps = client.resource(apiVersion: "v1", resource: "configmaps", namespace: "default")
        let object = Unstructured(apiVersion: "v1", kind: "ConfigMap", name: "x", namespace: "default")
        _ = try? configMaps.create(object, fieldManager: "me", dryRun: true, fieldValidation: .strict)
        _ = try? configMaps.update(object, fieldManager: "me", dryRun: true, fieldValidation: .warn)
        _ = try? configMaps.patch("x", ["data": ["a": "b"]], type: .merge,
                                  options: PatchOptions(fieldManager: "me", dryRun: true, fieldValidation: .ignore))
        _ = try? configMaps.apply(object, options: ApplyOptions(fieldManager: "me", dryRun: true, fieldValidation: .strict))
        let lines = server.requestLines
        #expect(lines.count == 4)
        #expect(lines[0].contains("?dryRun=All&fieldManager=me&fieldValidation=Strict "))
        #expect(lines[1].contains("?dryRun=All&fieldManager=me&fieldValidation=Warn "))
        #expect(lines[2].contains("?dryRun=All&fieldManager=me&fieldValidation=Ignore "))
        #expect(lines[3].contains("?dryRun=All&fieldManager=me&fieldValidation=Strict"))
    }
}

@Suite("Errors that say what is wrong")
struct ClearErrorTests {
    @Test("creating a namespaced object without any namespace says so instead of 405")
    func createWithoutNamespace() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps)
        let object = Unstructured(apiVersion: "v1", kind: "ConfigMap", name: "no-namespace")
        let error = #expect(throws: KubeError.self) { _ = try configMaps.create(object) }
        #expect(error?.description.contains("configmaps is namespaced") == true)
        // Positive control: cluster-scoped resources are created without a namespace.
        _ = try cluster.client.resource(TestCluster.namespaces).create(Unstructured(apiVersion: "v1", kind: "Namespace", name: "ns-ok"))
    }
}
