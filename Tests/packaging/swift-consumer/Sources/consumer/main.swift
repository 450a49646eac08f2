// A downstream program on the public Swift API: typed namespaces and deployments
// (KubeClientset), an informer and a workqueue (KubeRuntime).
// Usage: consumer KUBECONFIG
import Foundation
import KubeClient
import KubeClientset
import KubeCore
import KubeModels
import KubeRuntime
import Synchronization

func run(kubeconfig: String) throws {
    let client = try KubeClient(config: RESTConfig.load(path: kubeconfig))

    let names = try client.coreV1.namespaces().list().items.compactMap { $0.metadata?.name }
    guard names.contains("default") else { throw KubeError.invalidArgument("no default namespace in \(names)") }
    print("namespaces: \(names.sorted().joined(separator: ", "))")

    let namespace = "swift-consumer-\(UInt32.random(in: 0..<1_000_000))"
    _ = try client.coreV1.namespaces().create(CoreV1.Namespace(metadata: ObjectMeta(name: namespace)))

    let deployments = client.appsV1.deployments(namespace: namespace)
    var deployment = try deployments.create(AppsV1.Deployment(
        metadata: ObjectMeta(labels: ["app": "nginx"], name: "my-nginx-app"),
        spec: AppsV1.DeploymentSpec(
            replicas: 2,
            selector: MetaV1.LabelSelector(matchLabels: ["app": "nginx"]),
            template: CoreV1.PodTemplateSpec(
                metadata: ObjectMeta(labels: ["app": "nginx"]),
                spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: "nginx:1.13", name: "nginx")])))))
    deployment.spec.replicas = 1
    let updated = try deployments.update(deployment)
    guard updated.spec.replicas == 1 else { throw KubeError.invalidArgument("the update did not take") }
    _ = try deployments.delete("my-nginx-app")
    print("deployment: created, updated (replicas 1), deleted")

    let added = Atomic<Bool>(false)
    let factory = InformerFactory(client: client)
    defer { factory.shutdown() }
    let configmaps = try factory.informer(
        for: GroupVersionResource(apiVersion: "v1", resource: "configmaps"), namespace: namespace)
    try configmaps.addHandler(ResourceEventHandler(onAdd: { configmap, initial in
        if !initial && configmap.name == "informer-probe" { added.store(true, ordering: .releasing) }
    }))
    try factory.start()
    guard factory.waitForSync(timeout: .seconds(30)) else { throw KubeError.invalidArgument("no sync in 30 s") }
    _ = try client.coreV1.configMaps(namespace: namespace).create(
        CoreV1.ConfigMap(metadata: ObjectMeta(name: "informer-probe")))
    for _ in 0..<300 where !added.load(ordering: .acquiring) { usleep(100_000) }
    guard added.load(ordering: .acquiring) else { throw KubeError.invalidArgument("the informer missed the add") }
    print("informer: synced, saw the add")

    let queue = WorkQueue<String>(name: "consumer")
    queue.add("\(namespace)/informer-probe")
    guard case .item(let key) = queue.get(timeout: .seconds(5)) else {
        throw KubeError.invalidArgument("the workqueue gave no key")
    }
    queue.done(key)
    queue.shutDown()
    print("workqueue: add, get, done")

    _ = try client.coreV1.namespaces().delete(namespace)
    print("consumer: ok")
}

do {
    guard CommandLine.arguments.count == 2 else { throw KubeError.invalidArgument("usage: consumer KUBECONFIG") }
    try run(kubeconfig: CommandLine.arguments[1])
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
