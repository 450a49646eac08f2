import KubeCore

/// A request for one of the pod subresources served over an upgraded connection:
/// `pods/NAME/exec`, `pods/NAME/attach` or `pods/NAME/portforward` (core/v1 only).
struct StreamRequest: Sendable, Equatable {
    enum Kind: String, Sendable {
        case exec, attach, portforward
    }

    var kind: Kind
    var namespace: String
    var pod: String
    /// Query values in order; keys such as `command` and `ports` repeat.
    var query: [(String, String)]

    static func == (a: StreamRequest, b: StreamRequest) -> Bool {
        a.kind == b.kind && a.namespace == b.namespace && a.pod == b.pod
            && a.query.map(\.0) == b.query.map(\.0) && a.query.map(\.1) == b.query.map(\.1)
    }

    /// Recognises the stream subresources; nil for every other URI.
    static func parse(uri: String) -> StreamRequest? {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let segments = (parts.first ?? "").split(separator: "/").map { ServerRequest.decode($0) }
        guard segments.count == 7, segments[0] == "api", segments[1] == "v1", segments[2] == "namespaces",
              segments[4] == "pods", let kind = Kind(rawValue: segments[6]) else { return nil }
        var query: [(String, String)] = []
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query.append((ServerRequest.decode(kv[0]), kv.count > 1 ? ServerRequest.decode(kv[1]) : ""))
            }
        }
        return StreamRequest(kind: kind, namespace: segments[3], pod: segments[5], query: query)
    }

    func values(_ key: String) -> [String] {
        query.filter { $0.0 == key }.map(\.1)
    }

    /// The first value, as the API server's query decoding reads single-valued options.
    func value(_ key: String) -> String? {
        query.first { $0.0 == key }?.1
    }

    /// A boolean option as Go's `strconv.ParseBool` reads it; absent is false.
    func flag(_ key: String) throws(Status) -> Bool {
        guard let text = value(key) else { return false }
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": return true
        case "0", "f", "F", "false", "FALSE", "False", "": return false
        default: throw Status.badRequest("invalid value for \(key): \"\(text)\": strconv.ParseBool: parsing \"\(text)\": invalid syntax")
        }
    }

    /// `ports` for the WebSocket port-forward protocol, each value possibly comma separated,
    /// validated with the kubelet's messages.
    func ports() throws(Status) -> [Int] {
        let texts = values("ports") + values("port")
        guard !texts.isEmpty else { throw Status.badRequest("query parameter \"port\" is required") }
        var ports: [Int] = []
        for text in texts {
            guard !text.isEmpty else { throw Status.badRequest("query parameter \"port\" cannot be empty") }
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let port = UInt16(part) else {
                    throw Status.badRequest("unable to parse \"\(text)\" as a port: strconv.ParseUint: parsing \"\(part)\": invalid syntax")
                }
                guard port > 0 else { throw Status.badRequest("port \"\(text)\" must be > 0") }
                ports.append(Int(port))
            }
        }
        return ports
    }
}
