import KubeClient
import KubeCore
import Testing

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
