import KubeClient
import KubeCore
import Testing
import KubeTestSupport

@Suite("Dynamic client against the test server")
struct DynamicVerbsTests {
    @Test("create, get, list, update, patch, apply and delete a ConfigMap")
    func configMapLifecycle() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")

        let created = try configMaps.create(TestCluster.configMap("app", labels: ["tier": "web"], data: ["a": "1"]))
        #expect(created.uid != nil)
        #expect(created.resourceVersion != nil)

        let fetched = try configMaps.get("app")
        #expect(fetched[path: "data", "a"]?.stringValue == "1")

        let listed = try configMaps.list(ListOptions(labelSelector: "tier=web"))
        #expect(listed.items.map(\.name) == ["app"])
        #expect(!listed.resourceVersion.isEmpty)
        #expect(try configMaps.list(ListOptions(labelSelector: "tier=db")).items.isEmpty)
        #expect(try configMaps.list(ListOptions(fieldSelector: "metadata.name=app")).items.count == 1)

        var changed = fetched
        changed.object["data"] = ["a": "2"]
        let updated = try configMaps.update(changed)
        #expect(updated[path: "data", "a"]?.stringValue == "2")

        // A stale resourceVersion loses the optimistic-concurrency race.
        #expect { try configMaps.update(changed) } throws: { ($0 as? KubeError)?.isConflict == true }

        let merged = try configMaps.patch("app", ["data": ["b": "3"]], type: .merge)
        #expect(merged[path: "data", "b"]?.stringValue == "3")
        let jsonPatched = try configMaps.patch("app", [["op": "replace", "path": "/data/a", "value": "4"]], type: .json)
        #expect(jsonPatched[path: "data", "a"]?.stringValue == "4")
        let strategic = try configMaps.patch("app", ["metadata": ["labels": ["extra": "yes"]]], type: .strategic)
        #expect(strategic.labels["extra"] == "yes")
        #expect(strategic.labels["tier"] == "web")

        var intent = TestCluster.configMap("app")
        intent.object["data"] = ["c": "5"]
        let applied = try configMaps.apply(intent, options: ApplyOptions(fieldManager: "tests", force: true))
        #expect(applied[path: "data", "c"]?.stringValue == "5")

        let raw = try configMaps.getRaw("app")
        #expect(try JSON.parse(bytes: raw)["metadata"]?["name"]?.stringValue == "app")

        // A uid precondition that does not match refuses the delete.
        #expect {
            try configMaps.delete("app", options: DeleteOptions(preconditionUID: "not-the-uid"))
        } throws: { ($0 as? KubeError)?.isConflict == true }
        try configMaps.delete("app", options: DeleteOptions(gracePeriodSeconds: 0, propagationPolicy: .background))
        #expect { try configMaps.get("app") } throws: { ($0 as? KubeError)?.isNotFound == true }
    }

    @Test("updateStatus changes only the status of a Deployment")
    func updateStatus() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let deployments = cluster.client.resource(TestCluster.deployments).namespace("default")
        var deployment = try deployments.create(TestCluster.deployment("web", replicas: 3))
        deployment.object["status"] = ["replicas": 3, "readyReplicas": 2]
        let updated = try deployments.updateStatus(deployment)
        #expect(updated[path: "status", "readyReplicas"]?.intValue == 2)
        #expect(updated[path: "spec", "replicas"]?.intValue == 3)
    }

    @Test("deleteCollection removes only the selected objects")
    func deleteCollection() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        for index in 0..<5 {
            _ = try configMaps.create(TestCluster.configMap("cm-\(index)", labels: ["batch": index < 3 ? "one" : "two"]))
        }
        try configMaps.deleteCollection(listOptions: ListOptions(labelSelector: "batch=one"))
        let left = try configMaps.list(ListOptions(labelSelector: "batch"))
        #expect(Set(left.items.compactMap(\.name)) == ["cm-3", "cm-4"])
    }

    @Test("client-certificate authentication works without a token")
    func clientCertificate() throws {
        let cluster = try TestCluster(credentials: { _ in .none }) { config, server in
            config.tls.clientCertData = server.clientCertificatePEM.map { Array($0.utf8) }
            config.tls.clientKeyData = server.clientKeyPEM.map { Array($0.utf8) }
        }
        defer { cluster.stop() }
        let namespaces = try cluster.client.resource(TestCluster.namespaces).list()
        #expect(namespaces.items.contains { $0.name == "default" })
    }

    @Test("a client loaded from the server's kubeconfig reaches it")
    func fromKubeconfig() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let client = try KubeClient(config: RESTConfig.load(path: cluster.server.kubeconfigPath))
        #expect(try client.discovery.serverVersion().major.isEmpty == false)
    }
}
