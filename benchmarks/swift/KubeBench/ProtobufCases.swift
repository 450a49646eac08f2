import KubeClient
import KubeCore
import KubeModels
import KubeProtobuf
import KubeRuntime

// Protobuf against JSON end to end (fetch over the loopback + decode), on the same pods the
// podserver serves in both forms (benchmarks/protobuf/run.py). The client has no protobuf
// content type: these cases do by hand what a typed client or an informer would do with one,
// and their JSON twins do the same steps on JSON, so each pair differs only in the encoding.

private let protobufAccept = "application/vnd.kubernetes.protobuf"

/// `list-typed-protobuf`: GET the pod list as protobuf, decode it, build `CoreV1.PodList`.
func listTypedProtobuf(_ kubeconfig: String) throws -> String {
    let client = try makeClient(kubeconfig)
    let t = MonotonicClock.seconds()
    let response = try client.raw(method: "GET", path: "/api/v1/pods", accept: protobufAccept)
    let list = try CoreV1.PodList(json: try KubeProtobuf.decode(response.body))
    let elapsed = MonotonicClock.seconds() - t
    return withExtendedLifetime(list) { "items=\(list.items.count) seconds=\(elapsed) bytes=\(response.body.count)" }
}

/// `cache-fill-json`: what an informer's first list does with JSON: split the list without
/// parsing it and store each item in the cache's compact form.
func cacheFillJSON(_ kubeconfig: String) throws -> String {
    let client = try makeClient(kubeconfig)
    let t = MonotonicClock.seconds()
    let response = try client.raw(method: "GET", path: "/api/v1/pods")
    let body = response.body
    let objects = try body.withUnsafeBytes { raw throws -> [CachedObject] in
        let scan = try ListScan(bytes: raw)
        return try scan.items.map { try CachedObject(bytes: Array(body[$0])) }
    }
    let elapsed = MonotonicClock.seconds() - t
    return withExtendedLifetime(objects) { "items=\(objects.count) seconds=\(elapsed) bytes=\(body.count)" }
}

/// `cache-fill-protobuf`: the same from a protobuf list: decode it (protobuf carries no JSON
/// bytes to keep), serialize each item, store it in the cache's compact form.
func cacheFillProtobuf(_ kubeconfig: String) throws -> String {
    let client = try makeClient(kubeconfig)
    let t = MonotonicClock.seconds()
    let response = try client.raw(method: "GET", path: "/api/v1/pods", accept: protobufAccept)
    let items = try KubeProtobuf.decode(response.body)["items"]?.arrayValue ?? []
    let objects = try items.map { try CachedObject(bytes: $0.serializedBytes()) }
    let elapsed = MonotonicClock.seconds() - t
    return withExtendedLifetime(objects) { "items=\(objects.count) seconds=\(elapsed) bytes=\(response.body.count)" }
}
