// Seed walkthrough: a configmap watcher on an informer. Prints add/update/delete for the
// configmaps of a namespace while the demo creates, updates and deletes one of its own.
// Usage: swift run configmap_informer [--kubeconfig path] [--master url] [--context name] [namespace]
//        (default namespace: the kubeconfig's)
import ArgumentParser
import ExampleSupport
import Foundation
import KubeClient
import KubeCore
import KubeRuntime

func describe(_ configmap: CachedObject) -> String {
    let data = (try? configmap.json())?["data"]?.serialized() ?? "{}"
    return "\(configmap.name) rv=\(configmap.resourceVersion) data=\(data)"
}

struct Arguments: ExampleArguments {
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The namespace (default: the kubeconfig's).") var namespace: String?
}

func run() throws {
    let arguments = Arguments.parseOrExit()
    let config = try arguments.connection.loadConfig(namespace: arguments.namespace)
    let client = try KubeClient(config: config)
    let factory = InformerFactory(client: client)
    defer { factory.shutdown() }
    let configmaps = try factory.informer(
        for: GroupVersionResource(apiVersion: "v1", resource: "configmaps"), namespace: config.namespace)
    let demoDeleted = DispatchSemaphore(value: 0)
    try configmaps.addHandler(ResourceEventHandler(
        onAdd: { configmap, initial in print("add    \(describe(configmap))\(initial ? " (initial list)" : "")") },
        onUpdate: { _, new in print("update \(describe(new))") },
        onDelete: { configmap, unknown in
            print("delete \(describe(configmap))\(unknown ? " (final state unknown)" : "")")
            if configmap.name == "informer-demo" { demoDeleted.signal() }
        }))
    try factory.start()
    guard factory.waitForSync(timeout: .seconds(30)) else {
        throw KubeError.closed("the configmap cache did not sync within 30 s")
    }
    let resource = client.resource(apiVersion: "v1", resource: "configmaps", namespace: config.namespace)
    var demo = Unstructured(apiVersion: "v1", kind: "ConfigMap", name: "informer-demo", namespace: config.namespace)
    demo.object["data"] = ["step": "created"]
    _ = try resource.create(demo)
    _ = try resource.patch("informer-demo", ["data": ["step": "updated"]], type: .merge)
    _ = try resource.delete("informer-demo")
    _ = demoDeleted.wait(timeout: .now() + 30)
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
