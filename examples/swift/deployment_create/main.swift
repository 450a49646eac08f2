// Seed walkthrough (d): create a Deployment from an embedded YAML template with the dynamic client.
// Usage: swift run deployment_create [--kubeconfig path] [--master url] [--context name] [name] [namespace]
import ArgumentParser
import ExampleSupport
import Foundation
import KubeClient
import KubeCore

func manifest(name: String, replicas: Int, image: String) -> String {
    """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: \(name)
      labels:
        app: \(name)
    spec:
      replicas: \(replicas)
      selector:
        matchLabels:
          app: \(name)
      template:
        metadata:
          labels:
            app: \(name)
        spec:
          containers:
          - name: web
            image: \(image)
            ports:
            - containerPort: 80
    """
}

struct Arguments: ExampleArguments {
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The Deployment's name.") var name = "web-from-template-swift"
    @Argument(help: "The namespace (default: the kubeconfig's).") var namespace: String?
}

func run() throws {
    let arguments = Arguments.parseOrExit()
    let name = arguments.name
    let config = try arguments.connection.loadConfig(namespace: arguments.namespace)
    let client = try KubeClient(config: config)
    let object = try Unstructured(json: YAML.parse(manifest(name: name, replicas: 2, image: "nginx:1.27")))
    let created = try client.resource(apiVersion: "apps/v1", resource: "deployments", namespace: config.namespace)
        .create(object)
    print("created deployment \(created.name ?? "") in \(created.namespace ?? "") "
          + "(uid \(created.uid ?? ""), replicas \(created[path: "spec", "replicas"]?.intValue ?? 0))")
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
