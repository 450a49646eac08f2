import KubeCore

/// Fault injection for reliability tests. The same operations are reachable over HTTP
/// at `POST /_testserver/faults` with the admin token (see `APIHandler+Control`).
extension KubeTestServer {
    private var controller: FaultController { FaultController(cluster: cluster, faults: faults) }

    /// Makes the next matching API requests fail with the rule's status.
    public func failNext(_ rule: FailureRule) { controller.failNext(rule) }

    /// Makes the next `count` requests (optionally only those whose path contains `path`) fail with `status`.
    public func failNext(_ count: Int, status: Int, path: String? = nil, retryAfterSeconds: Int = 1) {
        controller.failNext(FailureRule(status: status, count: count, pathContains: path, retryAfterSeconds: retryAfterSeconds))
    }

    /// Ends every open watch stream: cleanly (terminating chunk) or by dropping the connection.
    public func closeAllWatches(abrupt: Bool = false) { controller.closeWatches(abrupt: abrupt) }

    /// Holds back all watch events (connections stay open) until called with false.
    public func stallWatches(_ stalled: Bool = true) { controller.stallWatches(stalled) }

    /// Silences every open watch for good: no event or bookmark is sent and the response
    /// never ends, while the TCP connection stays up (a dead path). New watches are unaffected.
    public func blackholeWatches() { controller.blackholeWatches() }

    /// Forgets the change history: watches and continue tokens from earlier resourceVersions get 410.
    public func compactHistory() { controller.compact() }

    /// Delays every response by `latency` (zero removes it).
    public func setLatency(_ latency: Duration) {
        let c = latency.components
        controller.setLatency(milliseconds: Int(c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000))
    }

    /// Clears failures, latency and stalls.
    public func resetFaults() { controller.reset() }
}

/// Direct access to the stored objects, for test set-up and assertions.
extension KubeTestServer {
    /// The cluster's current resourceVersion.
    public var resourceVersion: String { String(cluster.resourceVersion) }

    /// Stores an object like an administrator's create, but keeps its .status and creates
    /// a missing namespace. Returns the stored object (uid, resourceVersion set).
    @discardableResult
    public func seed(json: JSON) throws -> JSON {
        try Seeder.seed(json, into: cluster).json
    }

    /// Seeds every object of a YAML or JSON (multi-document) text.
    public func seed(yaml: String) throws {
        try Seeder.seed(text: yaml, into: cluster)
    }

    /// Creates an object with exactly the semantics of a POST (throws the API's `Status`).
    @discardableResult
    public func create(_ object: JSON) throws -> JSON {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue,
              let resource = cluster.registry.resource(apiVersion: apiVersion, kind: kind) else {
            throw Status.badRequest("unknown apiVersion/kind in \(object.serialized().prefix(200))")
        }
        let namespace = resource.namespaced ? (object[path: ["metadata", "namespace"]]?.stringValue ?? "default") : nil
        return try cluster.withState { (s: inout ClusterState) throws(Status) in
            try s.create(resource, namespace: namespace, body: object)
        }.json
    }

    /// The stored object, or nil.
    public func get(apiVersion: String, kind: String, namespace: String? = nil, name: String) -> JSON? {
        guard let resource = cluster.registry.resource(apiVersion: apiVersion, kind: kind) else { return nil }
        return try? cluster.withState { (s: inout ClusterState) throws(Status) in
            try s.get(resource, namespace: namespace ?? (resource.namespaced ? "default" : nil), name: name)
        }.json
    }

    /// Replaces an object (PUT semantics, including the resourceVersion check when set).
    @discardableResult
    public func update(_ object: JSON) throws -> JSON {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue,
              let resource = cluster.registry.resource(apiVersion: apiVersion, kind: kind),
              let name = object[path: ["metadata", "name"]]?.stringValue else {
            throw Status.badRequest("object needs apiVersion, kind and metadata.name")
        }
        let namespace = resource.namespaced ? (object[path: ["metadata", "namespace"]]?.stringValue ?? "default") : nil
        return try cluster.withState { (s: inout ClusterState) throws(Status) in
            try s.update(resource, namespace: namespace, name: name, body: object, subresource: nil)
        }.json
    }

    /// Deletes an object (DELETE semantics: finalizers and garbage collection apply).
    public func delete(apiVersion: String, kind: String, namespace: String? = nil, name: String, propagationPolicy: String? = nil) throws {
        guard let resource = cluster.registry.resource(apiVersion: apiVersion, kind: kind) else {
            throw Status.badRequest("unknown \(apiVersion) \(kind)")
        }
        var request = DeleteRequest()
        request.propagationPolicy = propagationPolicy
        _ = try cluster.withState { (s: inout ClusterState) throws(Status) in
            try s.delete(resource, namespace: namespace ?? (resource.namespaced ? "default" : nil), name: name, request: request).0
        }
    }
}
