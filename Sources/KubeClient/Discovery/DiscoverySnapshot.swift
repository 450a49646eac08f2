import KubeCore

/// Everything discovery learned in one pass: groups (core first) and the resources of every
/// group-version. Immutable once built; the cache swaps snapshots.
struct DiscoverySnapshot: Sendable {
    var groups: [APIGroupInfo] = []
    /// Keyed by apiVersion ("v1", "apps/v1").
    var resources: [String: [APIResource]] = [:]
    /// Group-versions whose resource list could not be fetched (legacy discovery), with why.
    var failedGroupVersions: [String: String] = [:]
    /// True when the server answered with aggregated discovery.
    var aggregated = false

    /// Parses an `APIGroupDiscoveryList` (apidiscovery.k8s.io v2 / v2beta1) into `self`.
    mutating func addAggregated(_ list: JSON) {
        for item in list["items"]?.arrayValue ?? [] {
            let groupName = item["metadata"]?["name"]?.stringValue ?? ""
            var versions: [String] = []
            for versionEntry in item["versions"]?.arrayValue ?? [] {
                guard let version = versionEntry["version"]?.stringValue else { continue }
                versions.append(version)
                let gv = GroupVersion(group: groupName, version: version)
                var list: [APIResource] = []
                for entry in versionEntry["resources"]?.arrayValue ?? [] {
                    guard let name = entry["resource"]?.stringValue else { continue }
                    let kind = entry["responseKind"]?["kind"]?.stringValue ?? ""
                    let namespaced = entry["scope"]?.stringValue == "Namespaced"
                    let resource = APIResource(
                        name: name, singularName: entry["singularResource"]?.stringValue ?? "",
                        namespaced: namespaced, group: groupName, version: version, kind: kind,
                        verbs: APIResource.strings(entry["verbs"]),
                        shortNames: APIResource.strings(entry["shortNames"]),
                        categories: APIResource.strings(entry["categories"]))
                    list.append(resource)
                    for sub in entry["subresources"]?.arrayValue ?? [] {
                        guard let subName = sub["subresource"]?.stringValue else { continue }
                        list.append(APIResource(
                            name: "\(name)/\(subName)", singularName: resource.singularName, namespaced: namespaced,
                            group: sub["responseKind"]?["group"]?.stringValue ?? groupName,
                            version: sub["responseKind"]?["version"]?.stringValue ?? version,
                            kind: sub["responseKind"]?["kind"]?.stringValue ?? kind,
                            verbs: APIResource.strings(sub["verbs"])))
                    }
                }
                resources[gv.apiVersion] = list
            }
            guard let preferred = versions.first else { continue }
            let info = APIGroupInfo(name: groupName, versions: versions, preferredVersion: preferred)
            if let index = groups.firstIndex(where: { $0.name == groupName }) {
                groups[index] = info
            } else {
                groups.append(info)
            }
        }
    }

    /// The preferred version's resources of every group, subresources excluded.
    var preferredResources: [APIResource] {
        var result: [APIResource] = []
        for group in groups {
            for resource in resources[group.preferredGroupVersion.apiVersion] ?? [] where !resource.isSubresource {
                result.append(resource)
            }
        }
        return result
    }
}
