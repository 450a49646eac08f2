import KubeClient
import KubeCore
import KubeModels

extension TypedResourceClient where Resource == CoreV1.Pod {
    /// The pod's log as text (`GET …/pods/NAME/log`). For `follow`, use `streamLogs`, or
    /// `KubeClient.podLogs`, which these build on (the same `PodLogOptions`).
    public func logs(_ name: String, options: PodLogOptions = PodLogOptions()) throws(KubeError) -> String {
        var options = options
        options.follow = false
        try options.validate()
        let bytes = try getSubresourceBytes(name, "log", query: options.queryItems)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Streams the pod's log line by line as it is written (pass `follow: true` in the options
    /// to keep waiting for new lines; the default does). `onLine` runs on the calling thread, without the line break; return
    /// false to stop. Also ends when the container exits, or when `cancellation` is cancelled
    /// from another thread; a last line without a line break is delivered at the end.
    public func streamLogs(_ name: String, options: PodLogOptions = PodLogOptions(follow: true),
                           cancellation: CancellationToken? = nil, onLine: (String) -> Bool) throws(KubeError) {
        try options.validate()
        var pending: [UInt8] = []
        var stopped = false
        try streamSubresource(name, "log", query: options.queryItems, cancellation: cancellation) { chunk in
            var start = 0
            for i in 0..<chunk.count where chunk[i] == UInt8(ascii: "\n") {
                pending.append(contentsOf: chunk[start..<i])
                start = i + 1
                let line = String(decoding: pending, as: UTF8.self)
                pending.removeAll(keepingCapacity: true)
                if !onLine(line) {
                    stopped = true
                    return false
                }
            }
            pending.append(contentsOf: chunk[start..<chunk.count])
            return true
        }
        if !stopped, !pending.isEmpty { _ = onLine(String(decoding: pending, as: UTF8.self)) }
    }

    /// Evicts the pod through the policy/v1 Eviction subresource, which honours
    /// PodDisruptionBudgets (a 429 `isTooManyRequests` means a budget blocks it now).
    public func evict(_ name: String, deleteOptions: MetaV1.DeleteOptions? = nil, dryRun: Bool = false) throws(KubeError) {
        guard let namespace = dynamic.namespace else { throw .invalidArgument("evict needs a namespace") }
        let eviction = PolicyV1.Eviction(deleteOptions: deleteOptions,
                                         metadata: MetaV1.ObjectMeta(name: name, namespace: namespace))
        try createSubresource(name, "eviction", eviction, dryRun: dryRun)
    }
}
