// Seed walkthrough (c): the configmaps of a namespace with their data.
// Usage: swift run configmap_list [namespace]   (default: the kubeconfig's namespace)
import Foundation
import KubeClient
import KubeCore

func run() throws {
    let arguments = CommandLine.arguments
    let config = try RESTConfig.load(namespace: arguments.count > 1 ? arguments[1] : nil)
    let client = try KubeClient(config: config)
    let configmaps = try client.resource(apiVersion: "v1", resource: "configmaps", namespace: config.namespace).list().items
    print("\(configmaps.count) configmap(s) in \(config.namespace)")
    for configmap in configmaps {
        print(configmap.name ?? "")
        let data = configmap[path: "data"]?.objectValue ?? [:]
        for key in data.keys.sorted() {
            print("  \(key): \(data[key]?.stringValue ?? "")")
        }
    }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
