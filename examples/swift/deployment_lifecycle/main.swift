// Seed walkthrough (b): create my-nginx-app from a YAML file, read it, scale it to 1 replica
// with image nginx:1.14, update it, delete it.
// Usage: swift run deployment_lifecycle [--kubeconfig path] [--master url] [--context name] [manifest] [namespace]
import ArgumentParser
import ExampleSupport
import Foundation
import KubeClient
import KubeCore

struct Arguments: ExampleArguments {
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The Deployment's manifest.") var manifest = "examples/manifests/nginx-deployment.yaml"
    @Argument(help: "The namespace (default: the kubeconfig's).") var namespace: String?
}

func run() throws {
    let arguments = Arguments.parseOrExit()
    let path = arguments.manifest
    let config = try arguments.connection.loadConfig(namespace: arguments.namespace)
    let client = try KubeClient(config: config)
    let deployments = client.resource(apiVersion: "apps/v1", resource: "deployments", namespace: config.namespace)

    guard let object = try Manifest.parse(String(contentsOfFile: path, encoding: .utf8)).first else {
        throw KubeError.invalidArgument("\(path) holds no object")
    }
    let created = try deployments.create(object)
    let name = created.name ?? ""
    print("created deployment \(name) in \(config.namespace)")

    var deployment = try deployments.get(name)
    print("read: replicas=\(deployment[path: "spec", "replicas"]?.intValue ?? 0) image=\(image(of: deployment))")

    deployment[path: ["spec", "replicas"]] = 1
    var containers = deployment[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []
    if !containers.isEmpty { containers[0]["image"] = "nginx:1.14" }
    deployment[path: ["spec", "template", "spec", "containers"]] = .array(containers)
    let updated = try deployments.update(deployment)
    print("updated: replicas=\(updated[path: "spec", "replicas"]?.intValue ?? 0) image=\(image(of: updated))")

    try deployments.delete(name, options: DeleteOptions(propagationPolicy: .foreground))
    print("deleted deployment \(name)")
}

func image(of deployment: Unstructured) -> String {
    deployment[path: "spec", "template", "spec", "containers"]?[0]?["image"]?.stringValue ?? ""
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
