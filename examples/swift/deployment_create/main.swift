// Seed walkthrough (d): create a Deployment from an embedded YAML template with the dynamic client.
// Usage: swift run deployment_create [name] [namespace]
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

func run() throws {
    let arguments = CommandLine.arguments
    let name = arguments.count > 1 ? arguments[1] : "web-from-template-swift"
    let config = try RESTConfig.load(namespace: arguments.count > 2 ? arguments[2] : nil)
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
