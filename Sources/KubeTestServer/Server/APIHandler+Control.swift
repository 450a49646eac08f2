import KubeCore

/// The admin-only fault-injection endpoint, `/_testserver/faults`.
///
/// POST a JSON object with an `action`:
/// - `{"action":"fail","status":429,"count":2,"path":"/api/v1/pods","method":"GET","retryAfterSeconds":1}`
/// - `{"action":"closeWatches","abrupt":false}`
/// - `{"action":"stallWatches","stalled":true}`
/// - `{"action":"compact"}` (every earlier resourceVersion becomes too old: 410)
/// - `{"action":"latency","milliseconds":200}`
/// - `{"action":"reset"}` (clears failures, latency and stalls)
/// GET answers the current fault state.
extension APIHandler {
    func handleControl(_ request: ServerRequest, user: RequestUser) -> ServerResponse {
        guard request.path == "/_testserver/faults" else { return .status(notFoundPath()) }
        if user.readOnly {
            return .status(Status(code: 403, reason: .forbidden,
                                  message: "User \"\(user.name)\" cannot use the test server's fault endpoint"))
        }
        switch request.method {
        case "GET":
            let s = faults.snapshot
            let rules: [JSON] = s.rules.map { r in
                ["status": .int(Int64(r.status)), "count": .int(Int64(r.count)),
                 "path": r.pathContains.map { .string($0) } ?? .null, "method": r.method.map { .string($0) } ?? .null]
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
                                                retryAfterSeconds: Int(body["retryAfterSeconds"]?.intValue ?? 1)))
            case "closeWatches":
                controller.closeWatches(abrupt: body["abrupt"]?.boolValue ?? false)
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

    func compact() { cluster.compact() }

    func setLatency(milliseconds: Int) { faults.latencyNanos = UInt64(max(0, milliseconds)) * 1_000_000 }

    func reset() {
        let wasStalled = faults.watchesStalled
        faults.reset()
        if wasStalled { stallWatches(false) }
    }
}
