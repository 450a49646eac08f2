// Seed walkthrough (c): the configmaps of a namespace with their data.
// Usage: swift run configmap_list [--kubeconfig path] [--master url] [--context name] [namespace]
//        (default namespace: the kubeconfig's)
import ArgumentParser
import ExampleSupport
import Foundation
import KubeClient
import KubeCore

struct Arguments: ExampleArguments {
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The namespace (default: the kubeconfig's).") var namespace: String?
}

func run() throws {
    let arguments = Arguments.parseOrExit()
    let config = try arguments.connection.loadConfig(namespace: arguments.namespace)
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
