import KubeClient
import KubeCore

/// Discovery results in the JSON shapes of the Kubernetes discovery endpoints
/// (APIGroupList, APIResourceList), so C and Python callers can reuse what they know.
enum DiscoveryJSON {
    static func groupList(_ groups: [APIGroupInfo]) -> JSON {
        var items: [JSON] = []
        for group in groups {
            var versions: [JSON] = []
            for version in group.versions {
                let gv = GroupVersion(group: group.name, version: version)
                versions.append(["groupVersion": .string(gv.apiVersion), "version": .string(version)])
            }
            items.append([
                "name": .string(group.name),
                "versions": .array(versions),
                "preferredVersion": ["groupVersion": .string(group.preferredGroupVersion.apiVersion),
                                     "version": .string(group.preferredVersion)],
            ])
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(items)]
    }

    static func resource(_ resource: APIResource, listGroupVersion: GroupVersion) -> JSON {
        var object: [String: JSON] = [
            "name": .string(resource.name),
            "singularName": .string(resource.singularName),
            "namespaced": .bool(resource.namespaced),
            "kind": .string(resource.kind),
            "verbs": .array(resource.verbs.map { .string($0) }),
        ]
        if !resource.shortNames.isEmpty { object["shortNames"] = .array(resource.shortNames.map { .string($0) }) }
        if !resource.categories.isEmpty { object["categories"] = .array(resource.categories.map { .string($0) }) }
        // Like the server, group/version only when they differ from the list's (subresources).
        if resource.groupVersion != listGroupVersion {
            object["group"] = .string(resource.group)
            object["version"] = .string(resource.version)
        }
        return .object(object)
    }

    static func resourceList(groupVersion: GroupVersion, _ resources: [APIResource]) -> JSON {
        [
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(groupVersion.apiVersion),
            "resources": .array(resources.map { resource($0, listGroupVersion: groupVersion) }),
        ]
    }

    /// Resources grouped into one APIResourceList per group-version, in first-seen order.
    static func resourceLists(_ resources: [APIResource]) -> JSON {
        var order: [GroupVersion] = []
        var byVersion: [GroupVersion: [APIResource]] = [:]
        for resource in resources {
            if byVersion[resource.groupVersion] == nil { order.append(resource.groupVersion) }
            byVersion[resource.groupVersion, default: []].append(resource)
        }
        return .array(order.map { resourceList(groupVersion: $0, byVersion[$0] ?? []) })
    }
}
