import Foundation
import KubeCore

/// The authenticated identity of a request.
struct RequestUser: Sendable, Hashable {
    var name: String
    var groups: [String]
    /// Only get, list and watch are allowed.
    var readOnly: Bool
}

/// An HTTP request as the API layer sees it (the NIO handler builds it).
struct ServerRequest: Sendable {
    var method: String
    /// Path without the query, percent-decoded segments.
    var path: String
    var query: [String: String]
    /// Header names lowercased.
    var headers: [String: String]
    var body: [UInt8]
    /// Common name of a verified client certificate.
    var clientCertificateUser: String?

    init(method: String, uri: String, headers: [(String, String)], body: [UInt8], clientCertificateUser: String?) {
        self.method = method
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = parts.first.map(String.init) ?? "/"
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = Self.decode(kv[0])
                if query[key] == nil { query[key] = kv.count > 1 ? Self.decode(kv[1]) : "" }
            }
        }
        self.query = query
        var h: [String: String] = [:]
        for (name, value) in headers {
            let n = name.lowercased()
            h[n] = h[n].map { $0 + "," + value } ?? value
        }
        self.headers = h
        self.body = body
        self.clientCertificateUser = clientCertificateUser
    }

    static func decode(_ s: Substring) -> String {
        let plus = s.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }

    /// Path segments, empty ones dropped.
    var segments: [String] {
        path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
    }

    func flag(_ name: String) -> Bool {
        guard let v = query[name] else { return false }
        return v == "1" || v == "true" || v == "True"
    }
}

/// What the API layer answers: a complete response, or a watch to stream.
enum ServerResponse: Sendable {
    case complete(status: Int, headers: [(String, String)], body: [UInt8])
    case watch(WatchPlan)
    case followLog(LogFollowPlan)

    static func json(_ status: Int, _ value: JSON, headers: [(String, String)] = []) -> ServerResponse {
        .complete(status: status, headers: [("Content-Type", "application/json")] + headers, body: value.serializedBytes())
    }

    static func bytes(_ status: Int, _ body: [UInt8], contentType: String = "application/json") -> ServerResponse {
        .complete(status: status, headers: [("Content-Type", contentType)], body: body)
    }

    static func status(_ s: Status) -> ServerResponse {
        var headers: [(String, String)] = []
        if let retry = s.details?.retryAfterSeconds, s.code == 429 || s.code == 503 || s.code == 504 {
            headers.append(("Retry-After", String(retry)))
        }
        return json(s.code, s.json(), headers: headers)
    }
}

/// A watch the HTTP layer should start streaming.
struct WatchPlan: Sendable {
    var resource: ResourceInfo
    var namespace: String?
    var request: ListRequest
    /// Events carry PartialObjectMetadata (Accept asked for it).
    var metadataOnly: PartialObjectMetadata? = nil
    /// Events are protobuf frames (Accept negotiated `application/vnd.kubernetes.protobuf`).
    var protobuf = false
    /// Events carry one-row Tables (Accept asked for `as=Table`).
    var table: TablePrinter.View? = nil
}

/// A `follow=true` pod log the HTTP layer should stream until the pod is deleted.
struct LogFollowPlan: Sendable {
    var resource: ResourceInfo
    var namespace: String
    var name: String
    var key: PodLogs.Key
    var options: PodLogs.ReadOptions
}
