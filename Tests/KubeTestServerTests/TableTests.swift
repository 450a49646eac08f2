import Foundation
import KubeCore
@testable import KubeTestServer
import Testing

/// Server-side printing: kube-apiserver answers `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`
/// with a meta.k8s.io/v1 Table (apiserver handlers/response.go transformObject; pkg/printers
/// for the built-in columns; apiextensions tableconvertor for additionalPrinterColumns).
@Suite("Server-side printing (as=Table)")
struct TableTests {
    static let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"

    func table(_ client: TestHTTPClient, _ path: String) throws -> JSON {
        let response = try client.request("GET", path, headers: ["Accept": Self.tableAccept])
        #expect(response.status == 200)
        return try #require(response.json)
    }

    func headers(_ table: JSON) -> [String] {
        (table["columnDefinitions"]?.arrayValue ?? []).filter { $0["priority"]?.intValue == 0 }.compactMap { $0["name"]?.stringValue }
    }

    @Test("lists and gets answer a Table with the built-in columns and a metadata object per row")
    func builtInColumns() throws {
        try withServer { _, client throws in
            _ = try client.post(configMapsPath, configMap("a", data: ["x": "1", "y": "2"]))
            let list = try table(client, configMapsPath)
            #expect(list["kind"] == "Table")
            #expect(list["apiVersion"] == "meta.k8s.io/v1")
            #expect(headers(list) == ["Name", "Data", "Age"])
            let row = try #require(list["rows"]?.arrayValue?.first)
            #expect(row["cells"]?.arrayValue?.prefix(2) == ["a", 2])
            #expect(row[path: ["object", "kind"]] == "PartialObjectMetadata")
            #expect(row[path: ["object", "metadata", "name"]] == "a")
            #expect(list[path: ["metadata", "resourceVersion"]] != nil)

            let one = try table(client, configMapsPath + "/a?includeObject=Object")
            #expect(one["rows"]?.arrayValue?.count == 1)
            #expect(one["rows"]?[0]?[path: ["object", "kind"]] == "ConfigMap")
            let none = try table(client, configMapsPath + "/a?includeObject=None")
            #expect(none["rows"]?[0]?["object"] == nil)

            #expect(headers(try table(client, "/api/v1/namespaces")) == ["Name", "Status", "Age"])
            _ = try client.post("/apis/apps/v1/namespaces/default/deployments", deployment("web", replicas: 3))
            let deployments = try table(client, "/apis/apps/v1/namespaces/default/deployments")
            #expect(headers(deployments) == ["Name", "Ready", "Up-to-date", "Available", "Age"])
            #expect(deployments["rows"]?[0]?["cells"]?[1] == "0/3")
            #expect(headers(try table(client, "/api/v1/namespaces/default/pods")) == ["Name", "Ready", "Status", "Restarts", "Age"])
            #expect(headers(try table(client, "/api/v1/namespaces/default/serviceaccounts")) == ["Name", "Secrets", "Age"])
            #expect(headers(try table(client, "/apis/batch/v1/namespaces/default/jobs")) == ["Name", "Status", "Completions", "Duration", "Age"])
            #expect(headers(try table(client, "/apis/batch/v1/namespaces/default/cronjobs"))
                == ["Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age"])
            #expect(headers(try table(client, "/apis/apps/v1/namespaces/default/daemonsets"))
                == ["Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age"])
            #expect(headers(try table(client, "/api/v1/namespaces/default/events")) == ["Last Seen", "Type", "Reason", "Object", "Message"])
            #expect(headers(try table(client, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions")) == ["Name", "Created At"])
            // Resources without a printer here: Name and Age.
            #expect(headers(try table(client, "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles")) == ["Name", "Age"])
            // A plain JSON Accept still gets the objects.
            #expect(try client.get(configMapsPath).json?["kind"] == "ConfigMapList")
        }
    }

    @Test("custom resources show their additionalPrinterColumns")
    func printerColumns() throws {
        try withServer { _, client throws in
            var crd = LifecycleTests.crd
            crd[path: ["spec", "versions"]] = [[
                "name": "v1", "served": true, "storage": true,
                "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
                "additionalPrinterColumns": [
                    ["name": "Size", "type": "integer", "jsonPath": ".spec.size"],
                    ["name": "Phase", "type": "string", "jsonPath": ".status.phase"],
                    ["name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"],
                ],
            ]]
            #expect(try client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd).status == 201)
            let widgets = "/apis/example.com/v1/namespaces/default/widgets"
            _ = try client.post(widgets, ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w"], "spec": ["size": 4]])
            let list = try table(client, widgets)
            #expect(headers(list) == ["Name", "Size", "Phase", "Age"])
            let cells = list["rows"]?[0]?["cells"]?.arrayValue ?? []
            #expect(cells.prefix(3) == ["w", 4, .null])
            #expect(cells.last?.stringValue?.hasSuffix("s") == true)
        }
    }

    static let ages: [(Double, String)] = [
        (5, "5s"), (119, "119s"), (150, "2m30s"), (600, "10m"), (3 * 3600 + 60, "3h1m"),
        (30 * 3600, "30h"), (3 * 86400 + 3600, "3d1h"), (10 * 86400, "10d"), (800 * 86400, "2y70d"),
    ]

    @Test("ages print as kubectl prints them (duration.HumanDuration)", arguments: ages)
    func humanDuration(seconds: Double, expected: String) {
        #expect(TablePrinter.humanDuration(seconds) == expected)
    }
}
