import KubeClient
import KubeClientset
import KubeCore
import KubeModels
import Testing
import KubeTestSupport

@Suite("Typed and dynamic lists decoded item by item")
struct TypedListTests {
    /// Enough objects, and bytes, for the lists below to be decoded on two threads
    /// (`ListItemDecoder`: 128 items and 64 KiB).
    static let count = 300

    static func seed(_ cluster: TestCluster) throws {
        let configMaps = cluster.client.coreV1.configMaps(namespace: "default")
        let filler = String(repeating: "x", count: 300)
        let tricky = #"a"b\c]}],{"[\"#
        for n in 0..<count {
            // Created out of name order, so that server order is not creation order.
            let index = (n * 7) % count
            // Brackets, braces, quotes and backslashes inside strings must not end an item early.
            _ = try configMaps.create(CoreV1.ConfigMap(data: ["index": "\(index)", "filler": filler, "tricky": tricky],
                                                       metadata: ObjectMeta(labels: ["set": "bulk"],
                                                                            name: "cm-\(index)")))
        }
    }

    /// The names, resourceVersion and continue token the server sent, read from the raw body.
    static func rawNames(_ resource: DynamicResource, _ options: ListOptions) throws -> (names: [String], scan: ListScan) {
        let body = try resource.listRaw(options)
        return try body.withUnsafeBytes { raw in
            let scan = try ListScan(bytes: raw)
            let scanner = JSONScanner(raw)
            let names = try scan.items.map { try ObjectSummary(scanning: scanner, objectAt: $0).name }
            return (names, scan)
        }
    }

    @Test("a typed list of a few hundred objects keeps server order, fields and list metadata")
    func typedListOrder() throws {
        let cluster = try TestCluster(retry: .none)
        defer { cluster.stop() }
        try Self.seed(cluster)
        let configMaps = cluster.client.coreV1.configMaps(namespace: "default")
        let options = ListOptions(labelSelector: "set=bulk")

        let list = try configMaps.list(options)
        let server = try Self.rawNames(configMaps.dynamic, options)
        #expect(list.items.count == Self.count)
        #expect(list.items.map { $0.metadata?.name ?? "" } == server.names)
        for item in list.items {
            #expect(item.metadata?.name == "cm-\(item.data?["index"] ?? "?")")
            #expect(item.data?["filler"]?.count == 300)
            #expect(item.data?["tricky"] == #"a"b\c]}],{"[\"#)
        }
        #expect(list.metadata?.resourceVersion?.isEmpty == false)
        #expect(list.metadata?.resourceVersion == server.scan.resourceVersion)
        #expect(list.metadata?.continue == nil || list.metadata?.continue == "")
        #expect(list.kind == "ConfigMapList")
        #expect(list.apiVersion == "v1")
    }

    @Test("a typed list page carries the continue token and the next page follows on")
    func typedListPages() throws {
        let cluster = try TestCluster(retry: .none)
        defer { cluster.stop() }
        try Self.seed(cluster)
        let configMaps = cluster.client.coreV1.configMaps(namespace: "default")
        let all = try Self.rawNames(configMaps.dynamic, ListOptions(labelSelector: "set=bulk")).names

        var options = ListOptions(labelSelector: "set=bulk", limit: 200)
        let first = try configMaps.list(options)
        #expect(first.items.count == 200)
        let token = first.metadata?.continue ?? ""
        #expect(!token.isEmpty)
        options.continueToken = token
        let second = try configMaps.list(options)
        #expect((first.items + second.items).map { $0.metadata?.name ?? "" } == all)
        #expect(second.metadata?.continue == nil || second.metadata?.continue == "")
    }

    @Test("a dynamic list of a few hundred objects keeps server order and fills kind and apiVersion")
    func dynamicListOrder() throws {
        let cluster = try TestCluster(retry: .none)
        defer { cluster.stop() }
        try Self.seed(cluster)
        let resource = cluster.client.resource(GroupVersionResource(group: "", version: "v1", resource: "configmaps"))
            .namespace("default")
        let options = ListOptions(labelSelector: "set=bulk")

        let list = try resource.list(options)
        let server = try Self.rawNames(resource, options)
        #expect(list.items.map { $0.name ?? "" } == server.names)
        #expect(list.resourceVersion == server.scan.resourceVersion)
        #expect(list.kind == "ConfigMapList")
        #expect(list.items.allSatisfy { $0.kind == "ConfigMap" && $0.apiVersion == "v1" })
        #expect(list.items.allSatisfy { $0.object["data"]?["filler"]?.stringValue?.count == 300 })
        #expect(list.items.allSatisfy { $0.object["data"]?["tricky"]?.stringValue == #"a"b\c]}],{"[\"# })
    }
}
