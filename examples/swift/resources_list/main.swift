// Seed walkthrough (a): nodes, namespaces, services and deployments of the cluster.
// Usage: swift run resources_list [--kubeconfig path] [--master url] [--context name]
import ArgumentParser
import ExampleSupport
import Foundation
import KubeClient
import KubeCore

struct Arguments: ExampleArguments {
    @OptionGroup var connection: ConnectionOptions
}

func run() throws {
    let arguments = Arguments.parseOrExit()
    let client = try KubeClient(config: arguments.connection.loadConfig())

    print("NODES")
    for node in try client.resource(apiVersion: "v1", resource: "nodes").list().items {
        let info = node[path: "status", "nodeInfo"]
        func field(_ key: String) -> String { info?[key]?.stringValue ?? "" }
        let cpu = node[path: "status", "capacity", "cpu"]?.stringValue ?? "?"
        print("  \(pad(node.name ?? "", 14)) cpu=\(pad(cpu, 4)) \(field("osImage")) | \(field("architecture")) | "
              + "kernel \(field("kernelVersion")) | kubelet \(field("kubeletVersion")) | \(field("containerRuntimeVersion"))")
    }

    print("NAMESPACES")
    for namespace in try client.resource(apiVersion: "v1", resource: "namespaces").list().items {
        let created = namespace[path: "metadata", "creationTimestamp"]?.stringValue ?? ""
        let phase = namespace[path: "status", "phase"]?.stringValue ?? ""
        print("  \(pad(namespace.name ?? "", 18)) created \(created)  \(phase)")
    }

    print("SERVICES (all namespaces)")
    for service in try client.resource(apiVersion: "v1", resource: "services").list().items {
        let ports = (service[path: "spec", "ports"]?.arrayValue ?? []).map { port in
            "\(port["port"]?.intValue ?? 0)/\(port["protocol"]?.stringValue ?? "TCP")"
        }
        let clusterIP = service[path: "spec", "clusterIP"]?.stringValue ?? ""
        print("  \(pad(service.name ?? "", 14)) \(pad(service.namespace ?? "", 12)) \(pad(clusterIP, 14)) "
              + ports.joined(separator: ","))
    }

    print("DEPLOYMENTS (all namespaces)")
    for deployment in try client.resource(apiVersion: "apps/v1", resource: "deployments").list().items {
        let desired = deployment[path: "spec", "replicas"]?.intValue ?? 1
        let current = deployment[path: "status", "replicas"]?.intValue ?? 0
        print("  \(pad(deployment.name ?? "", 14)) \(pad(deployment.namespace ?? "", 12)) desired=\(desired) current=\(current)")
    }
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
