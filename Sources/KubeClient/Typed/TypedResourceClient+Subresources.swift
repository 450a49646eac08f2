import KubeCore

extension TypedResourceClient {
    /// GET a subresource of `name` (e.g. "scale") decoded as `T`.
    public func getSubresource<T: Decodable>(_ name: String, _ subresource: String, as type: T.Type) throws(KubeError) -> T {
        let body = try dynamic.getRaw(name, subresource: subresource)
        return try TypedCoding.decode(type, from: body, what: "get \(kindName) \(name)/\(subresource)")
    }

    /// PUT a subresource of `name` (e.g. "scale"); returns the server's answer decoded as `T`.
    public func updateSubresource<T: Codable>(_ name: String, _ subresource: String, _ value: T,
                                              fieldManager: String? = nil, dryRun: Bool = false) throws(KubeError) -> T {
        let body = try TypedCoding.encode(value, identity: nil).serializedBytes()
        let answer = try dynamic.updateRaw(name, body, subresource: subresource, fieldManager: fieldManager, dryRun: dryRun)
        return try TypedCoding.decode(T.self, from: answer, what: "update \(kindName) \(name)/\(subresource)")
    }

    /// POST to a subresource of `name` (e.g. a pod's "eviction"); returns the answer as JSON
    /// (often a Status).
    @discardableResult
    public func createSubresource<T: Encodable>(_ name: String, _ subresource: String, _ value: T,
                                                fieldManager: String? = nil, dryRun: Bool = false) throws(KubeError) -> JSON {
        let body = try TypedCoding.encode(value, identity: nil).serializedBytes()
        let answer = try dynamic.createRaw(body, name: name, subresource: subresource, fieldManager: fieldManager,
                                           dryRun: dryRun)
        if answer.isEmpty { return .null }
        do {
            return try JSON.parse(bytes: answer)
        } catch {
            throw .decoding("malformed JSON from the server for \(kindName) \(name)/\(subresource): \(error)")
        }
    }

    /// GET a subresource as bytes, e.g. a pod's "log" (text, not JSON).
    public func getSubresourceBytes(_ name: String, _ subresource: String, query: [(String, String)] = [],
                                    accept: String = "*/*") throws(KubeError) -> [UInt8] {
        let request = subresourceRequest(name, subresource, query: query, accept: accept)
        return try dynamic.rest.send(request).body
    }

    /// Streams a subresource's body as it arrives (e.g. `log` with follow=true) to `onData`
    /// on the calling thread; returning false, or `cancellation.cancel()` from another
    /// thread, ends the stream normally.
    public func streamSubresource(_ name: String, _ subresource: String, query: [(String, String)] = [],
                                  accept: String = "*/*", cancellation: CancellationToken? = nil,
                                  onData: (UnsafeRawBufferPointer) -> Bool) throws(KubeError) {
        let request = subresourceRequest(name, subresource, query: query, accept: accept)
        do throws(KubeError) {
            try dynamic.rest.stream(request, cancellation: cancellation, onData: onData)
        } catch {
            if error.isCancelled, cancellation?.isCancelled == true { return }
            throw error
        }
    }

    private func subresourceRequest(_ name: String, _ subresource: String, query: [(String, String)],
                                    accept: String) -> APIRequest {
        let identity = Resource.identity
        var request = APIRequest(method: "GET", group: identity.group, version: identity.version,
                                 namespace: dynamic.namespace, resource: identity.plural, name: name,
                                 subresource: subresource)
        request.addQuery(query)
        request.accept = accept
        return request
    }
}
