import Foundation
import KubeCore

/// Validation and defaulting rules kube-apiserver applies to every object.
enum ObjectRules {
    /// RFC 3339 UTC time with second precision, as metav1.Time serializes.
    static func timestamp(_ date: Date = Date()) -> String { RFC3339.format(date) }

    static func newUID() -> String { UUID().uuidString.lowercased() }

    /// generateName suffix: five characters from the alphabet apimachinery uses.
    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    static let subdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let labelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

    /// Problems with an object name, as validation causes (empty when valid).
    static func nameProblems(_ name: String, resource: ResourceInfo) -> [StatusCause] {
        if resource.group == "rbac.authorization.k8s.io" {
            // RBAC names are path segments: anything but "/" and "%", and not "." or "..".
            if name == "." || name == ".." || name.contains("/") || name.contains("%") {
                return [StatusCause(type: "FieldValueInvalid", message: "Invalid value: \"\(name)\": may not contain '/' or '%'", field: "metadata.name")]
            }
            return []
        }
        let isLabel = resource.storageKey == "namespaces"
        if isDNS(name, allowDots: !isLabel, maxLength: isLabel ? 63 : 253) { return [] }
        let message = isLabel ? labelMessage : subdomainMessage
        return [StatusCause(type: "FieldValueInvalid", message: "Invalid value: \"\(name)\": \(message)", field: "metadata.name")]
    }

    static func isDNS(_ s: String, allowDots: Bool, maxLength: Int) -> Bool {
        guard !s.isEmpty, s.utf8.count <= maxLength else { return false }
        let labels = allowDots ? s.split(separator: ".", omittingEmptySubsequences: false) : [Substring(s)]
        for label in labels {
            guard let first = label.utf8.first, let last = label.utf8.last else { return false }
            func alnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
            guard alnum(first), alnum(last) else { return false }
            for c in label.utf8 where !(alnum(c) || c == 45) { return false }
            if label.utf8.count > 63 { return false }
        }
        return true
    }

    /// Defaults the server fills in on create, per resource.
    static func applyCreateDefaults(_ object: inout JSON, resource: ResourceInfo) {
        switch resource.storageKey {
        case "namespaces":
            if object[path: ["spec", "finalizers"]] == nil { object[path: ["spec", "finalizers"]] = ["kubernetes"] }
            object[path: ["status", "phase"]] = "Active"
            if let name = object[path: ["metadata", "name"]]?.stringValue {
                object[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
            }
        case "deployments.apps", "replicasets.apps", "statefulsets.apps", "replicationcontrollers":
            if object[path: ["spec", "replicas"]] == nil { object[path: ["spec", "replicas"]] = 1 }
        case "pods":
            if object[path: ["status", "phase"]] == nil { object[path: ["status", "phase"]] = "Pending" }
        default:
            break
        }
    }

    /// Whether a change from `old` to `new` bumps metadata.generation: any change to spec
    /// for built-in types; anything but metadata and status for custom resources.
    static func specChanged(old: JSON, new: JSON, resource: ResourceInfo) -> Bool {
        if resource.isCustom {
            var a = old, b = new
            for key in ["metadata", "status"] { a[key] = nil; b[key] = nil }
            return a != b
        }
        return old["spec"] != new["spec"]
    }

    /// Whether objects of this resource carry metadata.generation.
    static func hasGeneration(_ object: JSON, resource: ResourceInfo) -> Bool {
        resource.isCustom || object["spec"] != nil
    }

    /// Conversions kube-apiserver applies on every write: Secret stringData becomes base64 data.
    static func normalize(_ object: inout JSON, resource: ResourceInfo) {
        if resource.storageKey == "secrets", let stringData = object["stringData"]?.objectValue {
            var data = object["data"]?.objectValue ?? [:]
            for (key, value) in stringData {
                if let text = value.stringValue { data[key] = .string(Data(text.utf8).base64EncodedString()) }
            }
            object["data"] = .object(data)
            object["stringData"] = nil
        }
    }
}
