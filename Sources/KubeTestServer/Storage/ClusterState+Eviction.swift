import KubeCore

extension ClusterState {
    static let pdbStorageKey = "poddisruptionbudgets.policy"

    /// POST pods/NAME/eviction: kube-apiserver's PodDisruptionBudget check, then the delete.
    /// No disruption controller runs here, so a budget's status is what tests wrote: one not
    /// yet observed (status.observedGeneration < generation) or with no disruptions allowed
    /// refuses with 429. Pods that are Pending (every pod, until a test sets its phase),
    /// finished or already terminating are deleted without a check, as in kube-apiserver.
    mutating func evict(_ resource: ResourceInfo, namespace: String, name: String, request: DeleteRequest) throws(Status) {
        let pod = try get(resource, namespace: namespace, name: name)
        let budget = try disruptionBudgetAfterEviction(of: pod)
        _ = try delete(resource, namespace: namespace, name: name, request: request)
        if let (old, new) = budget, !request.dryRun {
            commit(.modified, storageKey: Self.pdbStorageKey, json: new, previous: old)
        }
    }

    /// The one budget covering the pod and its status with this eviction counted, or nil
    /// when no budget applies.
    private func disruptionBudgetAfterEviction(of pod: StoredObject) throws(Status) -> (StoredObject, JSON)? {
        let phase = pod.json[path: ["status", "phase"]]?.stringValue ?? "Pending"
        if pod.isDeleting || phase == "Pending" || phase == "Succeeded" || phase == "Failed" { return nil }
        let budgets = (objects[Self.pdbStorageKey] ?? [:]).values.filter { pdb in
            guard pdb.namespace == pod.namespace, let selector = pdb.json[path: ["spec", "selector"]], selector != .null,
                  let parsed = try? LabelSelector(labelSelectorJSON: selector) else { return false }
            return parsed.matches(pod.labels)
        }
        guard let pdb = budgets.first else { return nil }
        if budgets.count > 1 {
            throw Status.internalError("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")
        }
        let status = pdb.json["status"]
        func int(_ field: String) -> Int64 { status?[field]?.intValue ?? 0 }
        let generation = pdb.json[path: ["metadata", "generation"]]?.intValue ?? 0
        if int("observedGeneration") < generation {
            throw Self.tooManyRequests(retryAfter: 10, cause: "The disruption budget \(pdb.name) is still being processed by the server.")
        }
        let allowed = int("disruptionsAllowed")
        if allowed < 0 {
            throw Status(code: 403, reason: .forbidden, message: "pdb disruptions allowed is negative")
        }
        if allowed == 0 {
            throw Self.tooManyRequests(retryAfter: nil, cause: "The disruption budget \(pdb.name) needs \(int("desiredHealthy")) healthy pods and has \(int("currentHealthy")) currently")
        }
        var updated = pdb.json
        updated[path: ["status", "disruptionsAllowed"]] = .int(allowed - 1)
        updated[path: ["status", "disruptedPods", pod.name]] = .string(ObjectRules.timestamp())
        return (pdb, updated)
    }

    private static func tooManyRequests(retryAfter: Int?, cause: String) -> Status {
        Status(code: 429, reason: .tooManyRequests, message: "Cannot evict pod as it would violate the pod's disruption budget.",
               details: StatusDetails(causes: [StatusCause(type: "DisruptionBudget", message: cause, field: "")],
                                      retryAfterSeconds: retryAfter))
    }
}
