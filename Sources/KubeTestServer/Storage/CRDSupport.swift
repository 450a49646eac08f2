import KubeCore

/// CustomResourceDefinition handling: validation, status, and the resources a CRD serves.
enum CRDSupport {
    static let storageKey = "customresourcedefinitions.apiextensions.k8s.io"

    /// Validates a CRD and sets the status a real apiextensions controller would
    /// (names accepted, established), so clients waiting on conditions proceed.
    static func prepare(_ crd: inout JSON) throws(Status) {
        let name = crd[path: ["metadata", "name"]]?.stringValue ?? ""
        func invalid(_ field: String, _ message: String) -> Status {
            Status.invalid(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition", name: name,
                           causes: [StatusCause(type: "FieldValueInvalid", message: message, field: field)])
        }
        guard let group = crd[path: ["spec", "group"]]?.stringValue, !group.isEmpty else {
            throw invalid("spec.group", "Required value")
        }
        guard let plural = crd[path: ["spec", "names", "plural"]]?.stringValue, !plural.isEmpty else {
            throw invalid("spec.names.plural", "Required value")
        }
        guard let kind = crd[path: ["spec", "names", "kind"]]?.stringValue, !kind.isEmpty else {
            throw invalid("spec.names.kind", "Required value")
        }
        if name != "\(plural).\(group)" {
            throw invalid("metadata.name", "Invalid value: \"\(name)\": must be spec.names.plural+\".\"+spec.group")
        }
        let scope = crd[path: ["spec", "scope"]]?.stringValue ?? ""
        if scope != "Namespaced" && scope != "Cluster" {
            throw invalid("spec.scope", "Unsupported value: \"\(scope)\": supported values: \"Cluster\", \"Namespaced\"")
        }
        let versions = crd[path: ["spec", "versions"]]?.arrayValue ?? []
        if versions.isEmpty { throw invalid("spec.versions", "Invalid value: null: must have exactly one version marked as storage version") }
        let storage = versions.filter { $0["storage"]?.boolValue == true }
        if storage.count != 1 {
            throw invalid("spec.versions", "Invalid value: \(storage.count): must have exactly one version marked as storage version")
        }
        var names = crd[path: ["spec", "names"]] ?? [:]
        if names["singular"] == nil { names["singular"] = .string(kind.lowercased()) }
        if names["listKind"] == nil { names["listKind"] = .string(kind + "List") }
        crd[path: ["spec", "names"]] = names
        let now = ObjectRules.timestamp()
        crd["status"] = [
            "acceptedNames": names,
            "conditions": [
                ["type": "NamesAccepted", "status": "True", "reason": "NoConflicts",
                 "message": "no conflicts found", "lastTransitionTime": .string(now)],
                ["type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                 "message": "the initial names have been accepted", "lastTransitionTime": .string(now)],
            ],
            "storedVersions": .array(storage.compactMap { $0["name"] }),
        ]
    }

    /// One resource per served version.
    static func resources(of crd: JSON) throws(Status) -> [ResourceInfo] {
        guard let group = crd[path: ["spec", "group"]]?.stringValue,
              let plural = crd[path: ["spec", "names", "plural"]]?.stringValue,
              let kind = crd[path: ["spec", "names", "kind"]]?.stringValue else {
            throw Status.badRequest("incomplete CustomResourceDefinition")
        }
        let names = crd[path: ["spec", "names"]] ?? [:]
        let namespaced = crd[path: ["spec", "scope"]]?.stringValue == "Namespaced"
        var result: [ResourceInfo] = []
        for version in crd[path: ["spec", "versions"]]?.arrayValue ?? [] {
            guard let v = version["name"]?.stringValue, version["served"]?.boolValue ?? true else { continue }
            var info = ResourceInfo(
                group: group, version: v, name: plural,
                singularName: names["singular"]?.stringValue ?? kind.lowercased(), kind: kind,
                namespaced: namespaced,
                verbs: ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"],
                shortNames: (names["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue),
                categories: (names["categories"]?.arrayValue ?? []).compactMap(\.stringValue),
                subresources: [:], scalePaths: nil, isCustom: true)
            let subresources = version["subresources"] ?? crd[path: ["spec", "subresources"]]
            if subresources?["status"] != nil {
                info.subresources["status"] = .init(kind: kind, verbs: ["get", "patch", "update"])
            }
            if let scale = subresources?["scale"] {
                info.subresources["scale"] = .init(kind: "Scale", verbs: ["get", "patch", "update"])
                func path(_ key: String) -> [String]? {
                    guard let p = scale[key]?.stringValue, p.hasPrefix(".") else { return nil }
                    return p.dropFirst().split(separator: ".").map(String.init)
                }
                info.scalePaths = .init(specReplicas: path("specReplicasPath") ?? ["spec", "replicas"],
                                        statusReplicas: path("statusReplicasPath") ?? ["status", "replicas"],
                                        labelSelector: path("labelSelectorPath"))
            }
            result.append(info)
        }
        return result
    }
}
