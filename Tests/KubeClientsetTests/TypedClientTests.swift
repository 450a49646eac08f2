import Foundation
import KubeClient
import KubeClientset
import KubeCore
import KubeModels
import Synchronization
import Testing
import KubeTestSupport

@Suite("Typed clients against the test server")
struct TypedClientTests {
    static func deployment(_ name: String, replicas: Int32 = 1) -> AppsV1.Deployment {
        AppsV1.Deployment(
            metadata: ObjectMeta(labels: ["app": name], name: name),
            spec: AppsV1.DeploymentSpec(
                replicas: replicas,
                selector: MetaV1.LabelSelector(matchLabels: ["app": name]),
                template: CoreV1.PodTemplateSpec(
                    metadata: ObjectMeta(labels: ["app": name]),
                    spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: "nginx:1.27", name: "web")]))))
    }

    @Test("ConfigMaps: create, get, list with selectors, update with conflict, delete")
    func configMaps() throws {
        let cluster = try TestCluster(retry: .none)
        defer { cluster.stop() }
        let configMaps = cluster.client.coreV1.configMaps(namespace: "default")

        let created = try configMaps.create(CoreV1.ConfigMap(data: ["a": "1"],
                                                             metadata: ObjectMeta(labels: ["tier": "web"], name: "app")))
        #expect(created.metadata?.uid != nil)
        #expect(created.data?["a"] == "1")
        _ = try configMaps.create(CoreV1.ConfigMap(metadata: ObjectMeta(labels: ["tier": "db"], name: "db")))

        let list: CoreV1.ConfigMapList = try configMaps.list(ListOptions(labelSelector: "tier=web"))
        #expect(list.items.map { $0.metadata?.name } == ["app"])
        #expect(list.metadata?.resourceVersion?.isEmpty == false)
        #expect(try configMaps.list(ListOptions(fieldSelector: "metadata.name=db")).items.count == 1)

        var fetched = try configMaps.get("app")
        fetched.data?["a"] = "2"
        let updated = try configMaps.update(fetched)
        #expect(updated.data?["a"] == "2")
        // The same stale copy again: the server refuses it.
        #expect { try configMaps.update(fetched) } throws: { ($0 as? KubeError)?.isConflict == true }

        let retried = try configMaps.updateWithRetry("app") { cm in cm.data?["b"] = "3" }
        #expect(retried.data == ["a": "2", "b": "3"])

        let patched = try configMaps.patch("app", ["data": ["c": "4"]], type: .merge)
        #expect(patched.data?["c"] == "4")

        let applied = try configMaps.apply(CoreV1.ConfigMap(data: ["d": "5"], metadata: ObjectMeta(name: "app")),
                                           options: ApplyOptions(fieldManager: "typed-tests", force: true))
        #expect(applied.data?["d"] == "5")

        try configMaps.delete("app")
        #expect { try configMaps.get("app") } throws: { ($0 as? KubeError)?.isNotFound == true }
        try configMaps.deleteCollection(listOptions: ListOptions(labelSelector: "tier"))
        #expect(try configMaps.list().items.isEmpty)
    }

    @Test("Deployments: status update and the scale subresource")
    func deployments() throws {
        let cluster = try TestCluster(retry: .none)
        defer { cluster.stop() }
        let deployments = cluster.client.appsV1.deployments(namespace: "default")
        var deployment = try deployments.create(Self.deployment("web", replicas: 2))
        #expect(deployment.spec.replicas == 2)
        #expect(deployment.spec.template.spec?.containers.first?.image == "nginx:1.27")

        deployment.status = AppsV1.DeploymentStatus(readyReplicas: 1, replicas: 2)
        let withStatus = try deployments.updateStatus(deployment)
        #expect(withStatus.status?.readyReplicas == 1)
        #expect(withStatus.spec.replicas == 2)

        let scale = try deployments.getScale("web")
        #expect(scale.spec?.replicas == 2)
        let scaled = try deployments.scale("web", replicas: 5)
        #expect(scaled.spec?.replicas == 5)
        #expect(try deployments.get("web").spec.replicas == 5)

        var current = try deployments.getScale("web")
        current.spec?.replicas = 1
        #expect(try deployments.updateScale("web", current).spec?.replicas == 1)
    }

    @Test("Pods and Nodes: namespaced and cluster-scoped kinds")
    func podsAndNodes() throws {
        let cluster = try TestCluster(retry: .none)
        defer { cluster.stop() }
        let pods = cluster.client.coreV1.pods(namespace: "default")
        let pod = CoreV1.Pod(metadata: ObjectMeta(labels: ["app": "web"], name: "web-0"),
                             spec: CoreV1.PodSpec(containers: [
                                 CoreV1.Container(image: "nginx", name: "web",
                                                  ports: [CoreV1.ContainerPort(containerPort: 80, protocol: .tcp)],
                                                  resources: CoreV1.ResourceRequirements(requests: ["cpu": "100m", "memory": "1.5Gi"])),
                             ], restartPolicy: .always))
        let created = try pods.create(pod)
        #expect(created.spec?.restartPolicy == .always)
        let requests = try #require(created.spec?.containers.first?.resources?.requests)
        #expect(requests["memory"] == Quantity("1536Mi"))
        #expect(try pods.list(ListOptions(labelSelector: "app=web")).items.count == 1)
        // All namespaces.
        #expect(try cluster.client.coreV1.pods(namespace: nil).list().items.count == 1)

        let nodes = cluster.client.coreV1.nodes()
        _ = try nodes.create(CoreV1.Node(metadata: ObjectMeta(labels: ["zone": "a"], name: "node-1")))
        let listed = try nodes.list(ListOptions(labelSelector: "zone=a"))
        #expect(listed.items.map { $0.metadata?.name } == ["node-1"])
        #expect(nodes.namespace == nil)
    }

    @Test("watch delivers typed events in order")
    func watch() throws {
        let cluster = try TestCluster(retry: .none)
        defer { cluster.stop() }
        let configMaps = cluster.client.coreV1.configMaps(namespace: "default")
        let start = try configMaps.list().metadata?.resourceVersion
        _ = try configMaps.create(CoreV1.ConfigMap(data: ["v": "1"], metadata: ObjectMeta(name: "w")))
        var changed = try configMaps.get("w")
        changed.data = ["v": "2"]
        _ = try configMaps.update(changed)
        try configMaps.delete("w")

        var seen: [String] = []
        try configMaps.watch(ListOptions(resourceVersion: start, timeoutSeconds: 5)) { event in
            switch event {
            case .added(let cm): seen.append("added \(cm.data?["v"] ?? "")")
            case .modified(let cm): seen.append("modified \(cm.data?["v"] ?? "")")
            case .deleted(let cm): seen.append("deleted \(cm.metadata?.name ?? "")")
            case .bookmark, .error: break
            }
            return seen.count == 3 ? .stop : .continue
        }
        #expect(seen == ["added 1", "modified 2", "deleted w"])

        let stream = try configMaps.watchStream(ListOptions(resourceVersion: start, timeoutSeconds: 5))
        defer { stream.close() }
        let first = try stream.next()
        #expect(first?.object?.metadata?.name == "w")
        #expect(first?.type == .added)
    }

    @Test("a user-defined custom resource type gets the same typed client")
    func customResource() throws {
        let cluster = try TestCluster(retry: .none)
        defer { cluster.stop() }
        let crds = cluster.client.apiextensionsV1.customResourceDefinitions()
        let schema = ApiextensionsV1.JSONSchemaProps(type: "object", xKubernetesPreserveUnknownFields: true)
        _ = try crds.create(ApiextensionsV1.CustomResourceDefinition(
            metadata: ObjectMeta(name: "crontabs.stable.example.com"),
            spec: ApiextensionsV1.CustomResourceDefinitionSpec(
                group: "stable.example.com",
                names: ApiextensionsV1.CustomResourceDefinitionNames(kind: "CronTab", listKind: "CronTabList",
                                                                     plural: "crontabs", singular: "crontab"),
                scope: "Namespaced",
                versions: [ApiextensionsV1.CustomResourceDefinitionVersion(
                    name: "v1", schema: ApiextensionsV1.CustomResourceValidation(openAPIV3Schema: schema),
                    served: true, storage: true,
                    subresources: ApiextensionsV1.CustomResourceSubresources(status: ApiextensionsV1.CustomResourceSubresourceStatus()))])))

        let crontabs = TypedResourceClient<CronTab>(client: cluster.client, namespace: "default")
        let created = try waitFor { try crontabs.create(CronTab(name: "nightly", schedule: "0 3 * * *")) }
        #expect(created.spec?.cronSpec == "0 3 * * *")
        #expect(created.metadata?.uid != nil)

        var fetched = try crontabs.get("nightly")
        fetched.spec?.replicas = 2
        #expect(try crontabs.update(fetched).spec?.replicas == 2)
        let list: ResourceList<CronTab> = try crontabs.list()
        #expect(list.items.map { $0.metadata?.name } == ["nightly"])
        try crontabs.delete("nightly")
    }

    /// Retries `body` briefly while the server is still registering a new CRD (404).
    func waitFor<T>(_ body: () throws -> T) throws -> T {
        var attempts = 0
        while true {
            do {
                return try body()
            } catch let error as KubeError where error.isNotFound && attempts < 50 {
                attempts += 1
                usleep(20_000)
            }
        }
    }
}

/// A custom resource written by hand: plain Codable, identity declared once.
struct CronTab: KubeResource, Equatable {
    static let identity = ResourceIdentity(group: "stable.example.com", version: "v1", kind: "CronTab",
                                           plural: "crontabs", namespaced: true)
    struct Spec: Codable, Sendable, Equatable {
        var cronSpec: String?
        var replicas: Int?
    }

    var apiVersion: String? = "stable.example.com/v1"
    var kind: String? = "CronTab"
    var metadata: ObjectMeta?
    var spec: Spec?

    init(name: String, schedule: String) {
        metadata = ObjectMeta(name: name)
        spec = Spec(cronSpec: schedule)
    }
}
