import KubeCore

/// Pod logs (`GET /api/v1/namespaces/NS/pods/NAME/log`): a text body, never decoded as JSON.
extension KubeClient {
    /// Opens the log of `pod` as a stream. Returns once the server accepted the request, so a
    /// missing pod (`.api` 404) or an unknown or ambiguous container (`.api` 400) is thrown
    /// here, not by the first read. With `options.follow` the stream stays open for new lines
    /// until the container ends, the pod is deleted, or it is closed.
    ///
    /// `cancellation` ends the stream like `close()` (see `PodLogStream`).
    public func podLogs(namespace: String, pod: String, options: PodLogOptions = PodLogOptions(),
                        cancellation: CancellationToken? = nil) throws(KubeError) -> PodLogStream {
        let request = try PodLogRequest.make(namespace: namespace, pod: pod, options: options)
        if options.follow {
            // A followed log may send nothing for a long time after its 200, and the transport
            // reports a stream's status only with its first byte: an empty read of the same log
            // (tailLines=0) gets the pod's and the container's errors now.
            try PodLogRequest.check(rest: rest, namespace: namespace, pod: pod, options: options,
                                    cancellation: cancellation)
        }
        let stream = try PodLogStream(rest: rest, request: request, cancellation: cancellation)
        if !options.follow {
            do throws(KubeError) {
                try stream.buffer.awaitFirstResponse()
            } catch {
                stream.close()
                throw error
            }
        }
        return stream
    }

    /// The whole log of `pod` as bytes. With `options.follow` it returns when the server ends
    /// the log (the container ends or the pod is deleted); `cancellation` then throws
    /// `.transport(.cancelled)`.
    public func podLogBytes(namespace: String, pod: String, options: PodLogOptions = PodLogOptions(),
                            cancellation: CancellationToken? = nil) throws(KubeError) -> [UInt8] {
        let request = try PodLogRequest.make(namespace: namespace, pod: pod, options: options)
        var log: [UInt8] = []
        try rest.stream(request, cancellation: cancellation) { chunk in
            log.append(contentsOf: chunk)
            return true
        }
        // A stream cancelled after its first byte ends without an error: still a cancellation.
        if let cancellation, cancellation.isCancelled {
            throw .transport(TransportError(kind: .cancelled, message: "log request cancelled"))
        }
        return log
    }

    /// The whole log of `pod` as text (invalid UTF-8 replaced by U+FFFD); see `podLogBytes`.
    public func podLog(namespace: String, pod: String, options: PodLogOptions = PodLogOptions(),
                       cancellation: CancellationToken? = nil) throws(KubeError) -> String {
        String(decoding: try podLogBytes(namespace: namespace, pod: pod, options: options, cancellation: cancellation),
               as: UTF8.self)
    }
}

/// Builds the log request.
enum PodLogRequest {
    static func make(namespace: String, pod: String, options: PodLogOptions) throws(KubeError) -> APIRequest {
        try options.validate()
        if namespace.isEmpty { throw .invalidArgument("namespace is empty") }
        if pod.isEmpty { throw .invalidArgument("pod name is empty") }
        // The body is text; an error is a JSON Status whatever is accepted.
        return APIRequest(method: "GET", version: "v1", namespace: namespace, resource: "pods", name: pod,
                          subresource: "log", query: options.queryItems, accept: "text/plain, */*")
    }

    /// An empty, unfollowed read of the same log: throws what the followed one would.
    static func check(rest: RESTClient, namespace: String, pod: String, options: PodLogOptions,
                      cancellation: CancellationToken?) throws(KubeError) {
        var probe = options
        probe.follow = false
        probe.tailLines = 0
        probe.limitBytes = nil
        _ = try rest.send(make(namespace: namespace, pod: pod, options: probe), cancellation: cancellation)
    }
}

extension PodLogRequest {
    /// The streaming subresources of pods are not objects: decoding their answer as JSON can
    /// only fail with a confusing message, so `DynamicResource.get`/`getRaw` (and through them
    /// kc_get and Python's get) refuse them up front and name the API that reads them.
    /// `RESTClient.raw` (kc_request) still returns the log's text.
    static func refuseObjectGet(_ resource: GroupVersionResource, subresource: String?) throws(KubeError) {
        guard resource.group.isEmpty, resource.resource == "pods", let subresource else { return }
        let use: String
        switch subresource {
        case "log": use = "KubeClient.podLogs / podLog (C: kc_pod_logs, Python: pod_logs)"
        case "exec", "attach": use = "KubeClient.\(subresource) (C: kc_\(subresource)_start)"
        case "portforward": use = "KubeClient.portForward (C: kc_port_forward_open)"
        default: return
        }
        throw .invalidArgument("pods/\(subresource) is a stream, not an object, and cannot be read with get: use \(use)")
    }
}
