import Foundation
import KubeClient
import KubeCore
import KubeModels
import KubeRuntime
import KubeTestServer
import KubeTestSupport
import Testing

/// Generated CRD models through the typed client (create, get, list, update, status, server-side
/// apply, delete) and the typed informer and lister, against the in-memory API server over real
/// sockets: the same generic code the built-in models use, with nothing CRD-specific.
@Suite("CRD models with the typed client and informer")
struct CRDTypedClientTests {
    typealias Network = SamplecrdV1.Network
    typealias Release = AppsExampleV1.Release

    typealias Cluster = TestCluster

    @Test("create, get, list, update, updateStatus, apply and delete Networks as typed values")
    func typedClient() throws {
        let cluster = try Cluster()
        defer { cluster.stop() }
        try cluster.install(Network.self, crd: Network.customResourceDefinition)
        // The generated accessor (--clientset), as client.coreV1.configMaps(namespace:) for built-ins.
        let networks = cluster.client.samplecrdV1.networks(namespace: "default")

        let created = try networks.create(Network(metadata: MetaV1.ObjectMeta(name: "a"),
                                                  spec: .init(cidr: "10.0.0.0/24", gateway: "10.0.0.1")))
        #expect(created.metadata?.uid?.isEmpty == false)
        #expect(created.spec?.cidr == "10.0.0.0/24")
        #expect(try networks.get("a") == created)

        var changed = created
        changed.spec?.gateway = "10.0.0.254"
        let updated = try networks.update(changed)
        #expect(updated.spec?.gateway == "10.0.0.254")

        var withStatus = updated
        withStatus.status = .init(cidr: "10.0.0.0/24", configMap: "a-network", state: "Synced",
                                  unknownFields: ["note": "kept by the preserving schema"])
        let statusWritten = try networks.updateStatus(withStatus)
        #expect(statusWritten.status?.state == "Synced")
        #expect(statusWritten.status?.unknownFields["note"] == "kept by the preserving schema")

        // Server-side apply: an apply configuration with only the fields this manager owns.
        let applied = try networks.apply(Network(metadata: MetaV1.ObjectMeta(name: "b", namespace: "default"),
                                                 spec: .init(cidr: "10.2.0.0/16")),
                                         options: ApplyOptions(fieldManager: "crd-tests"))
        #expect(applied.spec?.cidr == "10.2.0.0/16")
        #expect(applied.metadata?.managedFields?.contains { $0.manager == "crd-tests" } == true)

        let list = try networks.list()
        #expect(list.items.compactMap { $0.metadata?.name }.sorted() == ["a", "b"])
        #expect(list.metadata?.resourceVersion?.isEmpty == false)

        try networks.delete("a")
        #expect(throws: KubeError.self) { try networks.get("a") }
    }

    @Test("a CRD kind with quantities, int-or-string and free-form values survives the server unchanged")
    func richKindThroughServer() throws {
        let cluster = try Cluster()
        defer { cluster.stop() }
        try cluster.install(Release.self, crd: Release.customResourceDefinition)
        try cluster.namespace("apps")
        let releases = TypedResourceClient<Release>(client: cluster.client, namespace: "apps")
        var sample = try Release(json: CRDSamples.json("release"))
        sample.status = nil  // the status subresource ignores it on create
        let created = try releases.create(sample)
        #expect(created.spec == sample.spec)
        #expect(try releases.get("podinfo").spec?.resources?.limits?["nvidia.com/gpu"] == Quantity("1"))
    }

    /// What the typed handler saw, in order.
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [String] = []
        func append(_ event: String) { lock.withLock { seen.append(event) } }
        var events: [String] { lock.withLock { seen } }
    }

    @Test("a typed informer and lister deliver Networks as models")
    func typedInformer() throws {
        let cluster = try Cluster()
        defer { cluster.stop() }
        try cluster.install(Network.self, crd: Network.customResourceDefinition)
        try cluster.namespace("lab")
        let networks = TypedResourceClient<Network>(client: cluster.client, namespace: "lab")
        _ = try networks.create(Network(metadata: MetaV1.ObjectMeta(name: "first"), spec: .init(cidr: "10.1.0.0/16")))

        let factory = InformerFactory(client: cluster.client)
        defer { factory.shutdown() }
        let informer = try factory.informer(for: Network.self, namespace: "lab")
        let recorder = Recorder()
        try informer.addHandler(
            onAdd: { network, initial in recorder.append("add \(network.metadata?.name ?? "") \(network.spec?.cidr ?? "") \(initial)") },
            onUpdate: { old, new in recorder.append("update \(new.metadata?.name ?? "") \(old.spec?.cidr ?? "")->\(new.spec?.cidr ?? "")") },
            onDelete: { network, _ in recorder.append("delete \(network.metadata?.name ?? "")") })
        try factory.start()
        #expect(factory.waitForSync(timeout: .seconds(20)))
        #expect(recorder.events == ["add first 10.1.0.0/16 true"])

        _ = try networks.updateWithRetry("first") { $0.spec?.cidr = "10.9.0.0/16" }
        #expect(eventually { recorder.events.contains("update first 10.1.0.0/16->10.9.0.0/16") })
        #expect(eventually { (try? informer.lister.namespace("lab").get("first"))??.spec?.cidr == "10.9.0.0/16" })
        let listed = try informer.lister.list()
        #expect(listed.map { $0.metadata?.name } == ["first"])

        try networks.delete("first")
        #expect(eventually { recorder.events.last == "delete first" })
        #expect(try informer.lister.namespace("lab").get("first") == nil)
    }
}

extension TestCluster {
    /// Installs a generated kind's embedded CRD and waits until its resource is served.
    func install<R: KubeResource>(_ type: R.Type, crd: String) throws {
        let crds = client.resource(GroupVersionResource(group: "apiextensions.k8s.io", version: "v1",
                                                        resource: "customresourcedefinitions"))
        _ = try crds.create(Unstructured(json: JSON.parse(crd)))
        let typed = TypedResourceClient<R>(client: client, namespace: nil)
        #expect(eventually { (try? typed.list()) != nil }, "\(R.identity.plural) is not served")
    }

    func namespace(_ name: String) throws {
        _ = try server.seed(json: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
    }
}
