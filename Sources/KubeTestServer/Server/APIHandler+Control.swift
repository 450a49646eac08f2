import Foundation
import KubeCore

/// The admin-only fault-injection endpoint, `/_testserver/faults`.
///
/// POST a JSON object with an `action`:
/// - `{"action":"fail","status":429,"count":2,"path":"/api/v1/pods","method":"GET","retryAfterSeconds":1}`;
///   with `"body":"<html>..."` that text is answered verbatim (text/html) instead of a Status,
///   so `{"action":"fail","status":200,"body":"<html>"}` is a successful answer that is not JSON
/// - `{"action":"closeWatches","abrupt":false}`
/// - `{"action":"stallWatches","stalled":true}`
/// - `{"action":"blackholeWatches"}` (open watches go silent for good, connections kept up)
/// - `{"action":"compact"}` (every earlier resourceVersion becomes too old: 410)
/// - `{"action":"latency","milliseconds":200}`
/// - `{"action":"reset"}` (clears failures, latency and stalls)
/// GET answers the current fault state.
///
/// `/_testserver/load` (POST `{"count":50000,"namespace":"default","prefix":"load-"}`) creates that
/// many configmaps inside the server as fast as it can, on a thread of its own (event loops keep
/// serving), for watch-throughput measurements without an HTTP client in the loop. It answers
/// 202 at once.
///
/// `/_testserver/logs` (POST `{"namespace":"default","pod":"p","container":"c","lines":["a","b"]}`,
/// or `"line":"a"`; `container` may be left out for a single-container pod) appends container log
/// lines that `pods/log` serves.
extension APIHandler {
    func handleControl(_ request: ServerRequest, user: RequestUser) -> ServerResponse {
        if user.readOnly {
            return .status(Status(code: 403, reason: .forbidden,
                                  message: "User \"\(user.name)\" cannot use the test server's control endpoints"))
        }
        if request.path == "/_testserver/load" && request.method == "POST" { return generateLoad(request) }
        if request.path == "/_testserver/logs" && request.method == "POST" { return appendLogs(request) }
        if request.path == "/_testserver/portforward" && request.method == "POST" { return registerPortForwardTarget(request) }
        guard request.path == "/_testserver/faults" else { return .status(notFoundPath()) }
        switch request.method {
        case "GET":
            let s = faults.snapshot
            let rules: [JSON] = s.rules.map { r in
                ["status": .int(Int64(r.status)), "count": .int(Int64(r.count)),
                 "path": r.pathContains.map { .string($0) } ?? .null, "method": r.method.map { .string($0) } ?? .null,
                 "body": r.body.map { .string($0) } ?? .null]
            }
            return .json(200, ["failures": .array(rules), "latencyMilliseconds": .int(Int64(s.latencyNanos / 1_000_000)),
                               "watchesStalled": .bool(s.watchesStalled), "resourceVersion": .string(String(cluster.resourceVersion))])
        case "POST":
            let body: JSON
            do { body = try JSON.parse(bytes: request.body) } catch {
                return .status(.badRequest("fault body is not JSON: \(error.description)"))
            }
            let controller = FaultController(cluster: cluster, faults: faults)
            switch body["action"]?.stringValue ?? "" {
            case "fail":
                guard let status = body["status"]?.intValue else { return .status(.badRequest("fail needs status")) }
                controller.failNext(FailureRule(status: Int(status), count: Int(body["count"]?.intValue ?? 1),
                                                pathContains: body["path"]?.stringValue, method: body["method"]?.stringValue,
                                                retryAfterSeconds: Int(body["retryAfterSeconds"]?.intValue ?? 1),
                                                body: body["body"]?.stringValue))
            case "closeWatches":
                controller.closeWatches(abrupt: body["abrupt"]?.boolValue ?? false)
            case "blackholeWatches":
                controller.blackholeWatches()
            case "stallWatches":
                controller.stallWatches(body["stalled"]?.boolValue ?? true)
            case "compact":
                controller.compact()
            case "latency":
                controller.setLatency(milliseconds: Int(body["milliseconds"]?.intValue ?? 0))
            case "reset":
                controller.reset()
            default:
                return .status(.badRequest("unknown action; use fail, closeWatches, stallWatches, compact, latency or reset"))
            }
            return .json(200, ["status": "ok"])
        default:
            return .status(.methodNotAllowed())
        }
    }
}

extension APIHandler {
    func generateLoad(_ request: ServerRequest) -> ServerResponse {
        let body = (try? JSON.parse(bytes: request.body)) ?? [:]
        let count = Int(body["count"]?.intValue ?? 1000)
        let namespace = body["namespace"]?.stringValue ?? "default"
        let prefix = body["prefix"]?.stringValue ?? "load-"
        guard let configMaps = registry.resource(group: "", version: "v1", name: "configmaps") else {
            return .status(.internalError("configmaps are not served"))
        }
        let cluster = self.cluster
        let thread = Thread {
            for i in 0..<max(0, count) {
                let object: JSON = ["apiVersion": "v1", "kind": "ConfigMap",
                                    "metadata": ["name": .string("\(prefix)\(i)"), "namespace": .string(namespace)],
                                    "data": ["index": .string(String(i))]]
                _ = try? cluster.withState { (s: inout ClusterState) throws(Status) in
                    try s.create(configMaps, namespace: namespace, body: object)
                }
            }
        }
        thread.start()
        return .json(202, ["started": .int(Int64(count))])
    }
}

/// The fault operations shared by the HTTP endpoint and the Swift API.
struct FaultController: Sendable {
    let cluster: Cluster
    let faults: FaultInjector

    func failNext(_ rule: FailureRule) { faults.addFailure(rule) }

    func closeWatches(abrupt: Bool) { cluster.closeAllWatches(abrupt: abrupt) }

    func stallWatches(_ stalled: Bool) {
        faults.watchesStalled = stalled
        if !stalled {
            for watcher in cluster.read({ $0.allWatchers }) { watcher.sink.resume() }
        }
    }

    func blackholeWatches() {
        for watcher in cluster.read({ $0.allWatchers }) { watcher.sink.blackhole() }
    }

    func compact() { cluster.compact() }

    func setLatency(milliseconds: Int) { faults.latencyNanos = UInt64(max(0, milliseconds)) * 1_000_000 }

    func reset() {
        let wasStalled = faults.watchesStalled
        faults.reset()
        if wasStalled { stallWatches(false) }
    }
}
