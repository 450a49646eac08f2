import KubeCore
import KubeModels

/// Checks kube-apiserver applies to every write beyond the name: label syntax on
/// `metadata.labels`, and the resource quantities of built-in types (containers of pods and
/// pod templates, pod overhead, emptyDir size limits, ephemeral and StatefulSet volume claim
/// templates, PVCs, PVs, quotas, limit ranges, node capacity), which are
/// parsed and stored in their canonical form (`1024Mi` → `1Gi`, `1000m` → `1`).
enum ObjectValidation {
    /// Validates `object` and canonicalizes its quantities in place.
    ///
    /// An unparsable quantity is a decoding failure upstream (400 "cannot be handled as a
    /// Pod: quantities must match …"); invalid labels and negative quantities are
    /// validation failures (422 Invalid with one cause per problem).
    static func check(_ object: inout JSON, resource: ResourceInfo) throws(Status) {
        var causes = labelCauses(object)
        if !resource.isCustom, let paths = podSpecPaths[resource.storageKey] {
            for path in paths {
                try canonicalizeContainers(&object, podSpec: path, resource: resource, causes: &causes)
                try canonicalizeMaps(&object, at: path + ["overhead"], resource: resource)
                for kind in ["limits", "requests"] {
                    try canonicalizeMaps(&object, at: path + ["resources", kind], resource: resource)
                    try canonicalizeMaps(&object, at: path + ["volumes", "*", "ephemeral", "volumeClaimTemplate", "spec", "resources", kind],
                                         resource: resource)
                }
                try canonicalizeScalars(&object, at: path + ["volumes", "*", "emptyDir", "sizeLimit"], resource: resource)
            }
        }
        if !resource.isCustom, resource.storageKey == "statefulsets.apps" {
            for kind in ["limits", "requests"] {
                try canonicalizeMaps(&object, at: ["spec", "volumeClaimTemplates", "*", "spec", "resources", kind], resource: resource)
            }
        }
        if !resource.isCustom, let paths = quantityMapPaths[resource.storageKey] {
            for path in paths { try canonicalizeMaps(&object, at: path[...], resource: resource) }
        }
        if !causes.isEmpty {
            let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
            throw Status.invalid(group: resource.group, kind: resource.kind, name: name, causes: causes)
        }
    }

    /// apimachinery ValidateLabels: keys are qualified names, values label values.
    static func labelCauses(_ object: JSON) -> [StatusCause] {
        guard let labels = object[path: ["metadata", "labels"]]?.objectValue else { return [] }
        var causes: [StatusCause] = []
        for key in labels.keys.sorted() {
            for reason in LabelValidation.keyReasons(key) {
                causes.append(StatusCause(type: "FieldValueInvalid", message: "Invalid value: \"\(key)\": \(reason)", field: "metadata.labels"))
            }
            for reason in LabelValidation.valueReasons(labels[key]?.stringValue ?? "") {
                let value = labels[key]?.stringValue ?? ""
                causes.append(StatusCause(type: "FieldValueInvalid", message: "Invalid value: \"\(value)\": \(reason)", field: "metadata.labels"))
            }
        }
        return causes
    }

    /// Where each built-in workload keeps its pod spec.
    static let podSpecPaths: [String: [[String]]] = [
        "pods": [["spec"]],
        "podtemplates": [["template", "spec"]],
        "replicationcontrollers": [["spec", "template", "spec"]],
        "deployments.apps": [["spec", "template", "spec"]],
        "replicasets.apps": [["spec", "template", "spec"]],
        "statefulsets.apps": [["spec", "template", "spec"]],
        "daemonsets.apps": [["spec", "template", "spec"]],
        "jobs.batch": [["spec", "template", "spec"]],
        "cronjobs.batch": [["spec", "jobTemplate", "spec", "template", "spec"]],
    ]

    /// Other maps of quantities in built-in types (`*` steps into every item of a list).
    static let quantityMapPaths: [String: [[String]]] = [
        "persistentvolumeclaims": [["spec", "resources", "requests"], ["spec", "resources", "limits"], ["status", "capacity"]],
        "persistentvolumes": [["spec", "capacity"]],
        "resourcequotas": [["spec", "hard"], ["status", "hard"], ["status", "used"]],
        "nodes": [["status", "capacity"], ["status", "allocatable"]],
        "limitranges": [["spec", "limits", "*", "max"], ["spec", "limits", "*", "min"], ["spec", "limits", "*", "default"],
                        ["spec", "limits", "*", "defaultRequest"], ["spec", "limits", "*", "maxLimitRequestRatio"]],
    ]

    /// Canonicalizes every value of the map(s) at `path`; an unparsable one is the decode error.
    static func canonicalizeMaps(_ value: inout JSON, at path: ArraySlice<String>, resource: ResourceInfo) throws(Status) {
        guard let step = path.first else {
            guard let amounts = value.objectValue else { return }
            var canonical = amounts
            for (name, amount) in amounts { canonical[name] = .string(try quantity(amount, resource: resource).canonical) }
            value = .object(canonical)
            return
        }
        if step == "*" {
            guard var items = value.arrayValue else { return }
            for index in items.indices { try canonicalizeMaps(&items[index], at: path.dropFirst(), resource: resource) }
            value = .array(items)
            return
        }
        guard var child = value[step] else { return }
        try canonicalizeMaps(&child, at: path.dropFirst(), resource: resource)
        value[step] = child
    }

    /// Canonicalizes the single quantity at `path` (e.g. an emptyDir's `sizeLimit`).
    static func canonicalizeScalars(_ value: inout JSON, at path: ArraySlice<String>, resource: ResourceInfo) throws(Status) {
        guard let step = path.first else {
            if case .null = value { return }
            value = .string(try quantity(value, resource: resource).canonical)
            return
        }
        if step == "*" {
            guard var items = value.arrayValue else { return }
            for index in items.indices { try canonicalizeScalars(&items[index], at: path.dropFirst(), resource: resource) }
            value = .array(items)
            return
        }
        guard var child = value[step] else { return }
        try canonicalizeScalars(&child, at: path.dropFirst(), resource: resource)
        value[step] = child
    }

    /// Parses a quantity as kube-apiserver decodes one (a string, or a bare JSON number).
    static func quantity(_ value: JSON, resource: ResourceInfo) throws(Status) -> Quantity {
        let text: String
        switch value {
        case .string(let s): text = s
        case .int(let i): text = String(i)
        case .double(let d): text = String(d)
        default: text = ""
        }
        guard let quantity = try? Quantity(text) else {
            throw Status.badRequest("\(resource.kind) in version \"\(resource.version)\" cannot be handled as a \(resource.kind): quantities must match the regular expression \(quantityPattern)")
        }
        return quantity
    }

    static let quantityPattern = "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

    static func canonicalizeContainers(_ object: inout JSON, podSpec: [String], resource: ResourceInfo,
                                       causes: inout [StatusCause]) throws(Status) {
        let fieldPrefix = podSpec == ["spec"] ? "spec" : podSpec.joined(separator: ".")
        for list in ["initContainers", "containers", "ephemeralContainers"] {
            guard var containers = object[path: podSpec + [list]]?.arrayValue else { continue }
            for index in containers.indices {
                for kind in ["limits", "requests"] {
                    guard let amounts = containers[index][path: ["resources", kind]]?.objectValue else { continue }
                    var canonical = amounts
                    for (name, value) in amounts {
                        let quantity = try Self.quantity(value, resource: resource)
                        if quantity < "0" {
                            causes.append(StatusCause(type: "FieldValueInvalid",
                                                      message: "Invalid value: \"\(quantity.string)\": must be greater than or equal to 0",
                                                      field: "\(fieldPrefix).\(list)[\(index)].resources.\(kind)[\(name)]"))
                        }
                        canonical[name] = .string(quantity.canonical)
                    }
                    containers[index][path: ["resources", kind]] = .object(canonical)
                }
            }
            object[path: podSpec + [list]] = .array(containers)
        }
    }
}
