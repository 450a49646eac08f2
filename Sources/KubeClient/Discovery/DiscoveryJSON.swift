import KubeCore

/// Discovery results in the JSON shapes of the Kubernetes discovery endpoints
/// (APIGroupList, APIResourceList), so C and Python callers can reuse what they know.
public enum DiscoveryJSON {
    public static func groupList(_ groups: [APIGroupInfo]) -> JSON {
        ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups.map(\.json))]
    }

    /// One resource of a list for `listGroupVersion`: like the server, group and version only
    /// when they differ from the list's (subresources of another group).
    public static func resource(_ resource: APIResource, listGroupVersion: GroupVersion) -> JSON {
        guard resource.groupVersion == listGroupVersion, case .object(var members) = resource.json else {
            return resource.json
        }
        members["group"] = nil
        members["version"] = nil
        return .object(members)
    }

    public static func resourceList(groupVersion: GroupVersion, _ resources: [APIResource]) -> JSON {
        [
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(groupVersion.apiVersion),
            "resources": .array(resources.map { resource($0, listGroupVersion: groupVersion) }),
        ]
    }

    /// Resources grouped into one APIResourceList per group-version, in first-seen order.
    public static func resourceLists(_ resources: [APIResource]) -> JSON {
        var order: [GroupVersion] = []
        var byVersion: [GroupVersion: [APIResource]] = [:]
        for resource in resources {
            if byVersion[resource.groupVersion] == nil { order.append(resource.groupVersion) }
            byVersion[resource.groupVersion, default: []].append(resource)
        }
        return .array(order.map { resourceList(groupVersion: $0, byVersion[$0] ?? []) })
    }
}
