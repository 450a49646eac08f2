import KubeCore

/// Discovery documents built from the registry: legacy (/api, /apis, /apis/G, /apis/G/V)
/// and aggregated (apidiscovery.k8s.io/v2 APIGroupDiscoveryList).
enum DiscoveryDocuments {
    static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    /// Whether the Accept header asks for aggregated discovery v2.
    static func wantsAggregated(_ accept: String?) -> Bool {
        guard let accept else { return false }
        for part in accept.split(separator: ",") {
            let p = part.replacingOccurrences(of: " ", with: "")
            if p.contains("as=APIGroupDiscoveryList") && p.contains("v=v2") && !p.contains("v=v2beta1") && p.contains("g=apidiscovery.k8s.io") {
                return true
            }
        }
        return false
    }

    static func version() -> JSON {
        [
            "major": "1", "minor": "37",
            "emulationMajor": "1", "emulationMinor": "37",
            "minCompatibilityMajor": "1", "minCompatibilityMinor": "36",
            "gitVersion": "v1.37.0", "gitCommit": "kubeclient-testserver", "gitTreeState": "clean",
            "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.25.0", "compiler": "gc",
            "platform": "linux/amd64",
        ]
    }

    static func apiVersions(serverAddress: String) -> JSON {
        [
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ]
    }

    static func group(_ name: String, tables: ResourceRegistry.Tables) -> JSON? {
        guard let versions = tables.versions[name], let preferred = versions.first else { return nil }
        func gv(_ v: String) -> JSON { ["groupVersion": .string("\(name)/\(v)"), "version": .string(v)] }
        return [
            "kind": "APIGroup",
            "apiVersion": "v1",
            "name": .string(name),
            "versions": .array(versions.map(gv)),
            "preferredVersion": gv(preferred),
        ]
    }

    static func groupList(tables: ResourceRegistry.Tables) -> JSON {
        var groups: [JSON] = []
        for name in tables.groups where !name.isEmpty {
            if var g = group(name, tables: tables) {
                g["kind"] = nil
                g["apiVersion"] = nil
                groups.append(g)
            }
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
    }

    static func subresourceKind(_ sub: String, of resource: ResourceInfo, _ info: ResourceInfo.Subresource) -> (group: String, version: String, kind: String) {
        if sub == "scale" { return ("autoscaling", "v1", "Scale") }
        return (resource.group, resource.version, info.kind)
    }

    static func resourceList(group: String, version: String, tables: ResourceRegistry.Tables) -> JSON? {
        guard let resources = tables.resources[tables.key(group, version)] else { return nil }
        var entries: [JSON] = []
        for r in resources {
            var e: JSON = [
                "name": .string(r.name), "singularName": .string(r.singularName), "namespaced": .bool(r.namespaced),
                "kind": .string(r.kind), "verbs": .array(r.verbs.map { .string($0) }),
            ]
            if !r.shortNames.isEmpty { e["shortNames"] = .array(r.shortNames.map { .string($0) }) }
            if !r.categories.isEmpty { e["categories"] = .array(r.categories.map { .string($0) }) }
            entries.append(e)
            for (sub, info) in r.subresources.sorted(by: { $0.key < $1.key }) {
                var s: JSON = [
                    "name": .string("\(r.name)/\(sub)"), "singularName": "", "namespaced": .bool(r.namespaced),
                    "kind": .string(info.kind), "verbs": .array(info.verbs.map { .string($0) }),
                ]
                if sub == "scale" { s["group"] = "autoscaling"; s["version"] = "v1" }
                entries.append(s)
            }
        }
        return [
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
            "resources": .array(entries),
        ]
    }

    /// Aggregated discovery for the core group (`legacy`) or for all named groups.
    static func aggregated(legacy: Bool, tables: ResourceRegistry.Tables) -> JSON {
        var items: [JSON] = []
        for name in tables.groups where legacy == name.isEmpty {
            var versions: [JSON] = []
            for v in tables.versions[name] ?? [] {
                var resources: [JSON] = []
                for r in tables.resources[tables.key(name, v)] ?? [] {
                    var e: JSON = [
                        "resource": .string(r.name),
                        "responseKind": ["group": .string(r.group), "version": .string(r.version), "kind": .string(r.kind)],
                        "scope": r.namespaced ? "Namespaced" : "Cluster",
                        "singularResource": .string(r.singularName),
                        "verbs": .array(r.verbs.map { .string($0) }),
                    ]
                    if !r.shortNames.isEmpty { e["shortNames"] = .array(r.shortNames.map { .string($0) }) }
                    if !r.categories.isEmpty { e["categories"] = .array(r.categories.map { .string($0) }) }
                    var subs: [JSON] = []
                    for (sub, info) in r.subresources.sorted(by: { $0.key < $1.key }) {
                        let k = subresourceKind(sub, of: r, info)
                        subs.append([
                            "subresource": .string(sub),
                            "responseKind": ["group": .string(k.group), "version": .string(k.version), "kind": .string(k.kind)],
                            "verbs": .array(info.verbs.map { .string($0) }),
                        ])
                    }
                    if !subs.isEmpty { e["subresources"] = .array(subs) }
                    resources.append(e)
                }
                versions.append(["version": .string(v), "resources": .array(resources), "freshness": "Current"])
            }
            let metadata: JSON = name.isEmpty ? ["creationTimestamp": nil] : ["name": .string(name), "creationTimestamp": nil]
            items.append(["metadata": metadata, "versions": .array(versions)])
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": [:], "items": .array(items)]
    }
}
