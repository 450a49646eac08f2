/// Which protobuf message carries an apiVersion/kind: the built-in API groups map onto the
/// proto packages `api.<group>.<version>`, and the meta.k8s.io types (Status, WatchEvent,
/// DeleteOptions, Table, the discovery documents) onto `apimachinery.pkg.apis.meta.<version>`.
enum ProtobufKinds {
    /// Groups whose proto package is not the group's first label.
    private static let packageOverrides: [String: String] = [
        "": "core",
        "rbac.authorization.k8s.io": "rbac",
        "flowcontrol.apiserver.k8s.io": "flowcontrol",
        "internal.apiserver.k8s.io": "apiserverinternal",
    ]

    /// Groups served by kube-apiserver itself, and so eligible for protobuf. Custom resources
    /// (any other group) stay JSON-only, as upstream.
    static func isBuiltinGroup(_ group: String) -> Bool {
        if packageOverrides[group] != nil { return true }
        guard group == "apps" || group == "batch" || group == "autoscaling" || group == "policy"
            || group == "extensions" || group.hasSuffix(".k8s.io") else { return false }
        return group.split(separator: ".").count <= 3
    }

    static func messageName(apiVersion: String, kind: String, schema: ProtobufSchema) -> Int? {
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        let group = parts.count == 2 ? parts[0] : ""
        let version = parts.count == 2 ? parts[1] : apiVersion
        guard isBuiltinGroup(group) || group == "meta.k8s.io" else { return nil }
        let package = packageOverrides[group] ?? String(group.split(separator: ".").first ?? "")
        if group != "meta.k8s.io", let m = schema.message(named: "api.\(package).\(version).\(kind)") {
            return m
        }
        // Status, WatchEvent, DeleteOptions, ... are registered in every group version.
        let metaVersion = group == "meta.k8s.io" ? version : "v1"
        return schema.message(named: "apimachinery.pkg.apis.meta.\(metaVersion).\(kind)")
            ?? schema.message(named: "apimachinery.pkg.apis.meta.v1.\(kind)")
    }
}
