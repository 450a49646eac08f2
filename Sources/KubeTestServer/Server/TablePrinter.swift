import Foundation
import KubeCore

/// Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), as
/// kube-apiserver answers `kubectl get`: a `meta.k8s.io` Table whose column definitions and
/// cells are the resource's printer columns, and whose rows carry the object per
/// `includeObject` (`None`, `Metadata` — the default — or `Object`). Lists and gets answer one
/// Table; watch events each carry a one-row Table (BOOKMARKs and ERRORs stay as they are).
///
/// Columns: the built-in printers kubectl users see most (pods, deployments, replicasets,
/// statefulsets, daemonsets, jobs, cronjobs, namespaces, configmaps, secrets, services,
/// serviceaccounts, nodes, leases, events; CRDs as NAME and CREATED AT), `additionalPrinterColumns`
/// of custom resources (simple JSONPaths such as `.spec.size`, `.status.items[0].x`), and
/// Name + Age for everything else.
struct TablePrinter: Sendable {
    enum IncludeObject: String, Sendable {
        case none = "None", metadata = "Metadata", object = "Object"
    }

    /// `meta.k8s.io/v1` or `meta.k8s.io/v1beta1`, as requested.
    var apiVersion: String
    var includeObject: IncludeObject

    /// A printer with the columns of one resource, for watch events.
    struct View: Sendable {
        var printer: TablePrinter
        var columns: [Column]
    }

    /// One printer column and how to fill its cell.
    struct Column: Sendable {
        var name: String
        var type: String
        var format = ""
        var description: String
        var priority: Int64 = 0
        var cell: @Sendable (JSON, Date) -> JSON

        var definition: JSON {
            ["name": .string(name), "type": .string(type), "format": .string(format),
             "description": .string(description), "priority": .int(priority)]
        }
    }

    /// The Table the Accept header asks for, or nil. Media ranges are taken in order; the
    /// first this server can serve wins (a plain JSON range means no Table).
    static func requested(by accept: String?, query: [String: String]) throws(Status) -> TablePrinter? {
        guard let accept else { return nil }
        for range in MediaRange.parse(accept) {
            let json = range.isJSON
            guard let target = range.parameters["as"] else {
                if json { return nil }
                continue
            }
            guard json, target == "Table", let v = range.metaVersion else {
                if json && target.hasPrefix("PartialObjectMetadata") { return nil }
                continue
            }
            let include = query["includeObject"].flatMap { $0.isEmpty ? nil : $0 } ?? "Metadata"
            guard let includeObject = IncludeObject(rawValue: include) else {
                throw Status.badRequest("Unsupported value: \"\(include)\": supported values: \"Metadata\", \"None\", \"Object\"")
            }
            return TablePrinter(apiVersion: "meta.k8s.io/" + v, includeObject: includeObject)
        }
        return nil
    }

    /// The Table for `objects` (one for a get, a page for a list).
    func table(_ objects: [StoredObject], resource: ResourceInfo, columns: [Column], metadata: JSON) -> JSON {
        let now = Date()
        var rows: [JSON] = []
        rows.reserveCapacity(objects.count)
        for stored in objects {
            let object = VersionConverter.json(stored, as: resource)
            var row: JSON = ["cells": .array(columns.map { $0.cell(object, now) })]
            switch includeObject {
            case .none: break
            case .metadata:
                row["object"] = ["apiVersion": .string(apiVersion), "kind": "PartialObjectMetadata",
                                 "metadata": object["metadata"] ?? .object([:])]
            case .object: row["object"] = object
            }
            rows.append(row)
        }
        return ["apiVersion": .string(apiVersion), "kind": "Table", "metadata": metadata,
                "columnDefinitions": .array(columns.map(\.definition)), "rows": .array(rows)]
    }

    // MARK: - Columns

    /// The columns for `resource`; `crd` is the CustomResourceDefinition of a custom resource.
    static func columns(for resource: ResourceInfo, crd: JSON?) -> [Column] {
        if resource.isCustom { return customColumns(crd: crd, version: resource.version) }
        switch resource.storageKey {
        case "pods": return podColumns
        case "deployments.apps": return deploymentColumns
        case "replicasets.apps", "replicationcontrollers": return replicaSetColumns
        case "statefulsets.apps": return statefulSetColumns
        case "namespaces": return [nameColumn, Column(name: "Status", type: "string", description: "The status of the namespace") { o, _ in
            .string(o[path: ["status", "phase"]]?.stringValue ?? "")
        }, ageColumn]
        case "configmaps": return [nameColumn, Column(name: "Data", type: "integer", description: "Number of data entries") { o, _ in
            .int(Int64((o["data"]?.objectValue?.count ?? 0) + (o["binaryData"]?.objectValue?.count ?? 0)))
        }, ageColumn]
        case "secrets": return [nameColumn, Column(name: "Type", type: "string", description: "The type of the secret") { o, _ in
            .string(o["type"]?.stringValue ?? "")
        }, Column(name: "Data", type: "integer", description: "Number of data entries") { o, _ in
            .int(Int64(o["data"]?.objectValue?.count ?? 0))
        }, ageColumn]
        case "services": return serviceColumns
        case "nodes": return nodeColumns
        case "daemonsets.apps": return daemonSetColumns
        case "events": return eventColumns
        case CRDSupport.storageKey:
            // kube-apiserver has no printer for CRDs: its default convertor's Name and Created At.
            return [nameColumn, Column(name: "Created At", type: "date", description: ageColumn.description) { o, _ in
                o[path: ["metadata", "creationTimestamp"]] ?? .null
            }]
        case "jobs.batch": return jobColumns
        case "cronjobs.batch": return cronJobColumns
        case "serviceaccounts": return [nameColumn, Column(name: "Secrets", type: "integer", description: "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.") { o, _ in
            .int(Int64(o["secrets"]?.arrayValue?.count ?? 0))
        }, ageColumn]
        case "leases.coordination.k8s.io": return [nameColumn, Column(name: "Holder", type: "string", description: "The holder of the lease") { o, _ in
            .string(o[path: ["spec", "holderIdentity"]]?.stringValue ?? "")
        }, ageColumn]
        default: return [nameColumn, ageColumn]
        }
    }

    static let nameColumn = Column(name: "Name", type: "string", format: "name",
                                   description: "Name must be unique within a namespace.") { o, _ in
        .string(o[path: ["metadata", "name"]]?.stringValue ?? "")
    }

    static let ageColumn = Column(name: "Age", type: "string",
                                  description: "CreationTimestamp is a timestamp representing the server time when this object was created.") { o, now in
        .string(age(o[path: ["metadata", "creationTimestamp"]]?.stringValue, now: now))
    }

    static func int(_ value: JSON?) -> Int64 { value?.intValue.map { Int64($0) } ?? 0 }

    static func noneIfEmpty(_ s: String?) -> String { (s?.isEmpty ?? true) ? "<none>" : s! }

    static let podColumns: [Column] = [
        nameColumn,
        Column(name: "Ready", type: "string", description: "The aggregate readiness state of this pod for accepting traffic.") { o, _ in
            let total = o[path: ["spec", "containers"]]?.arrayValue?.count ?? 0
            let ready = (o[path: ["status", "containerStatuses"]]?.arrayValue ?? []).filter { $0["ready"]?.boolValue == true }.count
            return .string("\(ready)/\(total)")
        },
        Column(name: "Status", type: "string", description: "The aggregate status of the containers in this pod.") { o, _ in
            .string(podStatus(o))
        },
        Column(name: "Restarts", type: "string", description: "The number of times the containers in this pod have been restarted.") { o, _ in
            let restarts = (o[path: ["status", "containerStatuses"]]?.arrayValue ?? []).reduce(Int64(0)) { $0 + int($1["restartCount"]) }
            return .string(String(restarts))
        },
        ageColumn,
        Column(name: "IP", type: "string", description: "IP address allocated to the pod.", priority: 1) { o, _ in
            .string(noneIfEmpty(o[path: ["status", "podIP"]]?.stringValue))
        },
        Column(name: "Node", type: "string", description: "Name of the node this pod runs on.", priority: 1) { o, _ in
            .string(noneIfEmpty(o[path: ["spec", "nodeName"]]?.stringValue))
        },
    ]

    /// kubectl's pod STATUS: the pod's reason or phase, a waiting or terminated container's
    /// reason, Terminating while deleting.
    static func podStatus(_ o: JSON) -> String {
        var reason = o[path: ["status", "reason"]]?.stringValue ?? o[path: ["status", "phase"]]?.stringValue ?? ""
        for status in (o[path: ["status", "containerStatuses"]]?.arrayValue ?? []).reversed() {
            if let waiting = status[path: ["state", "waiting", "reason"]]?.stringValue, !waiting.isEmpty {
                reason = waiting
            } else if let terminated = status[path: ["state", "terminated", "reason"]]?.stringValue, !terminated.isEmpty {
                reason = terminated
            }
        }
        if o[path: ["metadata", "deletionTimestamp"]] != nil {
            reason = o[path: ["status", "reason"]]?.stringValue == "NodeLost" ? "Unknown" : "Terminating"
        }
        return reason
    }

    static let deploymentColumns: [Column] = [
        nameColumn,
        Column(name: "Ready", type: "string", description: "Number of the pod with ready state") { o, _ in
            .string("\(int(o[path: ["status", "readyReplicas"]]))/\(int(o[path: ["spec", "replicas"]]))")
        },
        Column(name: "Up-to-date", type: "integer", description: "Total number of non-terminated pods targeted by this deployment that have the desired template spec.") { o, _ in
            .int(int(o[path: ["status", "updatedReplicas"]]))
        },
        Column(name: "Available", type: "integer", description: "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.") { o, _ in
            .int(int(o[path: ["status", "availableReplicas"]]))
        },
        ageColumn,
        Column(name: "Containers", type: "string", description: "Names of each container in the template.", priority: 1) { o, _ in
            .string(containers(o, field: "name"))
        },
        Column(name: "Images", type: "string", description: "Images referenced by each container in the template.", priority: 1) { o, _ in
            .string(containers(o, field: "image"))
        },
        Column(name: "Selector", type: "string", description: "Label selector for pods.", priority: 1) { o, _ in
            .string(selector(o[path: ["spec", "selector"]]))
        },
    ]

    static let replicaSetColumns: [Column] = [
        nameColumn,
        Column(name: "Desired", type: "integer", description: "Number of desired pods.") { o, _ in .int(int(o[path: ["spec", "replicas"]])) },
        Column(name: "Current", type: "integer", description: "Number of actual pods.") { o, _ in .int(int(o[path: ["status", "replicas"]])) },
        Column(name: "Ready", type: "integer", description: "Number of ready pods.") { o, _ in .int(int(o[path: ["status", "readyReplicas"]])) },
        ageColumn,
    ]

    static let statefulSetColumns: [Column] = [
        nameColumn,
        Column(name: "Ready", type: "string", description: "Number of the pod with ready state") { o, _ in
            .string("\(int(o[path: ["status", "readyReplicas"]]))/\(int(o[path: ["spec", "replicas"]]))")
        },
        ageColumn,
    ]

    /// kubectl get events: LAST SEEN TYPE REASON OBJECT MESSAGE (the name is a wide column).
    static let eventColumns: [Column] = [
        Column(name: "Last Seen", type: "string", description: "Time when last this event occurred") { o, now in
            let last = o["lastTimestamp"]?.stringValue ?? o[path: ["series", "lastObservedTime"]]?.stringValue
                ?? o["eventTime"]?.stringValue ?? o[path: ["metadata", "creationTimestamp"]]?.stringValue
            return .string(age(last, now: now))
        },
        Column(name: "Type", type: "string", description: "Type of this event (Normal, Warning), new types could be added in the future.") { o, _ in
            .string(o["type"]?.stringValue ?? "")
        },
        Column(name: "Reason", type: "string", description: "Reason is why the action was taken.") { o, _ in
            .string(o["reason"]?.stringValue ?? "")
        },
        Column(name: "Object", type: "string", description: "The object that this event is about.") { o, _ in
            .string("\((o[path: ["involvedObject", "kind"]]?.stringValue ?? "").lowercased())/\(o[path: ["involvedObject", "name"]]?.stringValue ?? "")")
        },
        Column(name: "Message", type: "string", description: "A human-readable description of the status of this operation.") { o, _ in
            .string(o["message"]?.stringValue ?? "")
        },
        Column(name: "Name", type: "string", format: "name", description: nameColumn.description, priority: 1) { o, _ in
            .string(o[path: ["metadata", "name"]]?.stringValue ?? "")
        },
    ]

    static let daemonSetColumns: [Column] = [
        nameColumn,
        Column(name: "Desired", type: "integer", description: "The number of nodes that should be running the daemon pod.") { o, _ in .int(int(o[path: ["status", "desiredNumberScheduled"]])) },
        Column(name: "Current", type: "integer", description: "The number of nodes running at least one daemon pod.") { o, _ in .int(int(o[path: ["status", "currentNumberScheduled"]])) },
        Column(name: "Ready", type: "integer", description: "The number of nodes that should be running the daemon pod and have one ready.") { o, _ in .int(int(o[path: ["status", "numberReady"]])) },
        Column(name: "Up-to-date", type: "integer", description: "The total number of nodes that are running updated daemon pod") { o, _ in .int(int(o[path: ["status", "updatedNumberScheduled"]])) },
        Column(name: "Available", type: "integer", description: "The number of nodes that should be running the daemon pod and have one available.") { o, _ in .int(int(o[path: ["status", "numberAvailable"]])) },
        Column(name: "Node Selector", type: "string", description: "NodeSelector is a selector which must be true for the pod to fit on a node.") { o, _ in
            let pairs = (o[path: ["spec", "template", "spec", "nodeSelector"]]?.objectValue ?? [:]).sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value.stringValue ?? "")" }
            return .string(pairs.isEmpty ? "<none>" : pairs.joined(separator: ","))
        },
        ageColumn,
    ]

    static let jobColumns: [Column] = [
        nameColumn,
        Column(name: "Status", type: "string", description: "Status of the job.") { o, _ in
            let conditions = o[path: ["status", "conditions"]]?.arrayValue ?? []
            func has(_ type: String) -> Bool { conditions.contains { $0["type"]?.stringValue == type && $0["status"] == "True" } }
            if has("Complete") { return "Complete" }
            if has("Failed") { return "Failed" }
            if o[path: ["metadata", "deletionTimestamp"]] != nil { return "Terminating" }
            if has("Suspended") { return "Suspended" }
            return "Running"
        },
        Column(name: "Completions", type: "string", description: "The completion status of the job.") { o, _ in
            let succeeded = int(o[path: ["status", "succeeded"]])
            if let completions = o[path: ["spec", "completions"]]?.intValue { return .string("\(succeeded)/\(completions)") }
            let parallelism = o[path: ["spec", "parallelism"]]?.intValue ?? 1
            return .string(parallelism > 1 ? "\(succeeded)/1 of \(parallelism)" : "\(succeeded)/1")
        },
        Column(name: "Duration", type: "string", description: "Time required to complete the job.") { o, now in
            guard let start = o[path: ["status", "startTime"]]?.stringValue.flatMap(RFC3339.parse) else { return "" }
            let end = o[path: ["status", "completionTime"]]?.stringValue.flatMap(RFC3339.parse) ?? now
            return .string(humanDuration(end.timeIntervalSince(start)))
        },
        ageColumn,
    ]

    static let cronJobColumns: [Column] = [
        nameColumn,
        Column(name: "Schedule", type: "string", description: "The schedule in Cron format.") { o, _ in .string(o[path: ["spec", "schedule"]]?.stringValue ?? "") },
        Column(name: "Timezone", type: "string", description: "The time zone name for the given schedule.") { o, _ in .string(o[path: ["spec", "timeZone"]]?.stringValue ?? "<none>") },
        Column(name: "Suspend", type: "boolean", description: "Whether subsequent executions are suspended.") { o, _ in .bool(o[path: ["spec", "suspend"]]?.boolValue ?? false) },
        Column(name: "Active", type: "integer", description: "A list of pointers to currently running jobs.") { o, _ in .int(Int64(o[path: ["status", "active"]]?.arrayValue?.count ?? 0)) },
        Column(name: "Last Schedule", type: "string", description: "When the job was last successfully scheduled.") { o, now in
            guard let last = o[path: ["status", "lastScheduleTime"]]?.stringValue else { return "<none>" }
            return .string(age(last, now: now))
        },
        ageColumn,
    ]

    static let serviceColumns: [Column] = [
        nameColumn,
        Column(name: "Type", type: "string", description: "The type of the service.") { o, _ in
            .string(o[path: ["spec", "type"]]?.stringValue ?? "ClusterIP")
        },
        Column(name: "Cluster-IP", type: "string", description: "The IP address of the service.") { o, _ in
            .string(noneIfEmpty(o[path: ["spec", "clusterIP"]]?.stringValue))
        },
        Column(name: "External-IP", type: "string", description: "The external IP addresses of the service.") { o, _ in
            .string(externalIP(o))
        },
        Column(name: "Port(s)", type: "string", description: "The ports of the service.") { o, _ in
            let ports = (o[path: ["spec", "ports"]]?.arrayValue ?? []).map { port -> String in
                let number = int(port["port"])
                let proto = port["protocol"]?.stringValue ?? "TCP"
                if let nodePort = port["nodePort"]?.intValue, nodePort != 0 { return "\(number):\(nodePort)/\(proto)" }
                return "\(number)/\(proto)"
            }
            return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
        },
        ageColumn,
        Column(name: "Selector", type: "string", description: "The selector of the service.", priority: 1) { o, _ in
            let pairs = (o[path: ["spec", "selector"]]?.objectValue ?? [:]).sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value.stringValue ?? "")" }
            return .string(pairs.isEmpty ? "<none>" : pairs.joined(separator: ","))
        },
    ]

    static func externalIP(_ o: JSON) -> String {
        let external = (o[path: ["spec", "externalIPs"]]?.arrayValue ?? []).compactMap(\.stringValue)
        switch o[path: ["spec", "type"]]?.stringValue ?? "ClusterIP" {
        case "LoadBalancer":
            let ingress = (o[path: ["status", "loadBalancer", "ingress"]]?.arrayValue ?? [])
                .compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
            let all = ingress + external
            return all.isEmpty ? "<pending>" : all.joined(separator: ",")
        case "ExternalName":
            return o[path: ["spec", "externalName"]]?.stringValue ?? "<none>"
        default:
            return external.isEmpty ? "<none>" : external.joined(separator: ",")
        }
    }

    static let nodeColumns: [Column] = [
        nameColumn,
        Column(name: "Status", type: "string", description: "The status of the node") { o, _ in
            let ready = (o[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"] == "Ready" }
            var status = switch ready?["status"]?.stringValue {
            case "True": "Ready"
            case "False": "NotReady"
            default: "Unknown"
            }
            if o[path: ["spec", "unschedulable"]]?.boolValue == true { status += ",SchedulingDisabled" }
            return .string(status)
        },
        Column(name: "Roles", type: "string", description: "The roles of the node") { o, _ in
            let prefix = "node-role.kubernetes.io/"
            let roles = (o[path: ["metadata", "labels"]]?.objectValue ?? [:]).keys.filter { $0.hasPrefix(prefix) }
                .map { String($0.dropFirst(prefix.count)) }.filter { !$0.isEmpty }.sorted()
            return .string(roles.isEmpty ? "<none>" : roles.joined(separator: ","))
        },
        ageColumn,
        Column(name: "Version", type: "string", description: "Kubelet Version reported by the node.") { o, _ in
            .string(o[path: ["status", "nodeInfo", "kubeletVersion"]]?.stringValue ?? "")
        },
    ]

    static func containers(_ o: JSON, field: String) -> String {
        (o[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []).compactMap { $0[field]?.stringValue }.joined(separator: ",")
    }

    static func selector(_ selector: JSON?) -> String {
        guard let selector else { return "<none>" }
        var terms = (selector["matchLabels"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.stringValue ?? "")" }
        for expression in selector["matchExpressions"]?.arrayValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ",")
            switch expression["operator"]?.stringValue {
            case "In": terms.append("\(key) in (\(values))")
            case "NotIn": terms.append("\(key) notin (\(values))")
            case "Exists": terms.append(key)
            case "DoesNotExist": terms.append("!\(key)")
            default: break
            }
        }
        return terms.isEmpty ? "<none>" : terms.joined(separator: ",")
    }

    // MARK: - Custom resources

    /// apiextensions-apiserver: Name, then the version's `additionalPrinterColumns` (or, when
    /// it has none, a single Age column of type date).
    static func customColumns(crd: JSON?, version: String) -> [Column] {
        let versionEntry = (crd?[path: ["spec", "versions"]]?.arrayValue ?? []).first { $0["name"]?.stringValue == version }
        let definitions = versionEntry?["additionalPrinterColumns"]?.arrayValue
            ?? crd?[path: ["spec", "additionalPrinterColumns"]]?.arrayValue ?? []
        guard !definitions.isEmpty else {
            return [nameColumn, Column(name: "Age", type: "date", description: ageColumn.description) { o, now in
                .string(age(o[path: ["metadata", "creationTimestamp"]]?.stringValue, now: now))
            }]
        }
        var columns = [nameColumn]
        for definition in definitions {
            let type = definition["type"]?.stringValue ?? "string"
            let path = JSONPathLite(definition["jsonPath"]?.stringValue ?? "")
            columns.append(Column(name: definition["name"]?.stringValue ?? "", type: type,
                                  format: definition["format"]?.stringValue ?? "",
                                  description: definition["description"]?.stringValue ?? "",
                                  priority: Int64(definition["priority"]?.intValue ?? 0)) { o, now in
                guard let value = path.evaluate(o) else { return .null }
                if type == "date" { return .string(age(value.stringValue, now: now)) }
                return value
            })
        }
        return columns
    }

    // MARK: - Age

    /// The age kubectl and kube-apiserver print (apimachinery `duration.HumanDuration`):
    /// seconds below two minutes, then minutes (with seconds below ten), hours (with minutes
    /// below eight), days (with hours below eight), years (with days below eight).
    static func age(_ timestamp: String?, now: Date) -> String {
        guard let timestamp, let created = RFC3339.parse(timestamp) else { return "<unknown>" }
        return humanDuration(now.timeIntervalSince(created))
    }

    static func humanDuration(_ interval: TimeInterval) -> String {
        let seconds = Int(interval.rounded(.towardZero))
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 180 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let d = (hours / 24) % 365
            return d == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(d)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
