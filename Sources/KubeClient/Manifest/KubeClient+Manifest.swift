import KubeCore

extension KubeClient {
    /// What `kubectl apply --server-side -f` does: parses `text` (YAML or JSON, several
    /// documents, `kind: List` flattened), maps each object's kind to its resource through
    /// discovery, and server-side-applies the objects in order. Returns the applied objects
    /// as the server stored them.
    ///
    /// Namespaced objects without `metadata.namespace` go to `namespace`, else the config's
    /// namespace. An unknown kind refreshes discovery once; when the manifest created a
    /// CustomResourceDefinition earlier, discovery is polled (up to `crdWait`) until the new
    /// kind appears. Stops at the first failure (objects before it stay applied).
    public func applyManifest(_ text: String, fieldManager: String = "kubeclient", force: Bool = false,
                              namespace: String? = nil, crdWait: Duration = .seconds(10)) throws(KubeError) -> [Unstructured] {
        let objects = try Manifest.parse(text)
        return try apply(objects, fieldManager: fieldManager, force: force, namespace: namespace, crdWait: crdWait)
    }

    /// Server-side-applies already parsed objects; see `applyManifest`.
    public func apply(_ objects: [Unstructured], fieldManager: String = "kubeclient", force: Bool = false,
                      namespace: String? = nil, crdWait: Duration = .seconds(10)) throws(KubeError) -> [Unstructured] {
        var applied: [Unstructured] = []
        var createdCRD = false
        let defaultNamespace = namespace ?? (config.namespace.isEmpty ? "default" : config.namespace)
        let options = ApplyOptions(fieldManager: fieldManager, force: force)
        for (index, object) in objects.enumerated() {
            guard let gvk = object.groupVersionKind else {
                throw .invalidArgument("object \(index + 1) has no apiVersion/kind")
            }
            guard let name = object.name, !name.isEmpty else {
                throw .invalidArgument("object \(index + 1) (\(gvk.kind)) has no metadata.name")
            }
            let mapping = try resolve(gvk, afterCRD: createdCRD, wait: crdWait)
            var target = object
            var handle = resource(mapping.resource)
            if mapping.namespaced {
                let objectNamespace = object.namespace ?? defaultNamespace
                target.namespace = objectNamespace
                handle = handle.namespace(objectNamespace)
            }
            do throws(KubeError) {
                applied.append(try handle.apply(target, options: options))
            } catch {
                throw Self.annotate(error, "\(gvk.kind) \"\(name)\"")
            }
            if gvk.group == "apiextensions.k8s.io", gvk.kind == "CustomResourceDefinition" {
                createdCRD = true
            }
        }
        return applied
    }

    private func resolve(_ gvk: GroupVersionKind, afterCRD: Bool, wait: Duration) throws(KubeError) -> RESTMapping {
        if let found = try mapper.find(kind: gvk.kind, group: gvk.group, version: gvk.version) { return found }
        mapper.reset()
        if let found = try mapper.find(kind: gvk.kind, group: gvk.group, version: gvk.version) { return found }
        if afterCRD {
            // A CRD from this manifest may not be established yet: poll discovery briefly.
            let deadline = ContinuousClock.now + wait
            while ContinuousClock.now < deadline {
                _ = CancellationToken.sleep(nanoseconds: 200_000_000, token: nil)
                mapper.reset()
                if let found = try mapper.find(kind: gvk.kind, group: gvk.group, version: gvk.version) { return found }
            }
        }
        throw RESTMapper.noMatch("no matches for kind \"\(gvk.kind)\" in version \"\(gvk.apiVersion)\"")
    }

    static func annotate(_ error: KubeError, _ what: String) -> KubeError {
        switch error {
        case .api(var status):
            status.message = "\(what): \(status.message)"
            return .api(status)
        case .decoding(let message): return .decoding("\(what): \(message)")
        case .invalidArgument(let message): return .invalidArgument("\(what): \(message)")
        default: return error
        }
    }
}
