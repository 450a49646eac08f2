import KubeCore

/// Loads manifests into a cluster, as an administrator would before tests run.
enum Seeder {
    static let systemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]

    static func createSystemNamespaces(_ cluster: Cluster) throws(Status) {
        guard let namespaces = cluster.registry.resource(group: "", version: "v1", name: "namespaces") else {
            throw Status.internalError("namespaces resource missing from discovery data")
        }
        for name in systemNamespaces {
            _ = try cluster.withState { (s: inout ClusterState) throws(Status) in
                try s.create(namespaces, namespace: nil, body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
            }
        }
    }

    /// Splits YAML/JSON text into objects (expanding `kind: List`), namespaces and CRDs first.
    static func objects(in text: String) throws -> [JSON] {
        let documents: [JSON]
        do { documents = try YAML.parseDocuments(text) } catch { throw KubeTestServerError("invalid YAML: \(error.description)") }
        var objects: [JSON] = []
        func add(_ doc: JSON) {
            guard case .object = doc else { return }
            if doc["kind"]?.stringValue?.hasSuffix("List") == true, let items = doc["items"]?.arrayValue {
                items.forEach(add)
            } else {
                objects.append(doc)
            }
        }
        documents.forEach(add)
        func rank(_ o: JSON) -> Int {
            switch o["kind"]?.stringValue {
            case "Namespace": return 0
            case "CustomResourceDefinition": return 1
            default: return 2
            }
        }
        return objects.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    static func seed(text: String, into cluster: Cluster) throws {
        for object in try objects(in: text) { _ = try seed(object, into: cluster) }
    }

    /// Stores one object with create semantics, except that .status is kept and a
    /// missing namespace is created first.
    static func seed(_ object: JSON, into cluster: Cluster) throws -> StoredObject {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue else {
            throw KubeTestServerError("seed object without apiVersion or kind: \(object.serialized().prefix(200))")
        }
        guard let resource = cluster.registry.resource(apiVersion: apiVersion, kind: kind) else {
            throw KubeTestServerError("no resource serves \(apiVersion) \(kind)")
        }
        var namespace: String?
        if resource.namespaced {
            let ns = object[path: ["metadata", "namespace"]]?.stringValue ?? "default"
            namespace = ns
        }
        let namespaces = cluster.registry.resource(group: "", version: "v1", name: "namespaces")
        return try cluster.withState { (s: inout ClusterState) throws(Status) in
            if let namespace, !s.namespaceExists(namespace), let namespaces {
                _ = try s.create(namespaces, namespace: nil, body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
            }
            return try s.create(resource, namespace: namespace, body: object, keepStatus: true)
        }
    }
}
