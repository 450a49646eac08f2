import Foundation
import KubeCore
import KubeProtobuf
import KubeTestServer
import Testing

/// The protobuf media type over real sockets: request bodies, Accept negotiation, Status
/// errors, watch frames, and custom resources staying JSON-only (as kube-apiserver:
/// apimachinery's negotiation errors, apiextensions-apiserver's JSON/YAML-only serializer).
@Suite("Protobuf content negotiation")
struct ProtobufServerTests {
    static let protobuf = "application/vnd.kubernetes.protobuf"
    /// What client-go sends when configured with `ContentType: application/vnd.kubernetes.protobuf`.
    static let kubectlAccept = "application/vnd.kubernetes.protobuf, application/json"

    static let widgetCRD: JSON = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "widgets.example.com"],
        "spec": [
            "group": "example.com", "scope": "Namespaced",
            "names": ["plural": "widgets", "singular": "widget", "kind": "Widget"],
            "versions": [[
                "name": "v1", "served": true, "storage": true,
                "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
            ]],
        ],
    ]

    @Test("a protobuf ConfigMap is created, answered in protobuf, and reads back as JSON")
    func createInProtobuf() throws {
        try withServer { _, client throws in
            let sent = configMap("pb", data: ["a": "b", "empty": ""])
            let body = try KubeProtobuf.encode(sent)
            let r = try client.request("POST", configMapsPath, body: body, contentType: Self.protobuf,
                                       headers: ["Accept": Self.kubectlAccept])
            #expect(r.status == 201)
            #expect(r.headers["content-type"] == Self.protobuf)
            let created = try KubeProtobuf.decode(r.body)
            #expect(created.name == "pb")
            #expect(created["data"] == sent["data"])
            #expect(created[path: ["metadata", "uid"]]?.stringValue?.isEmpty == false)
            let json = try #require(try client.get(configMapsPath + "/pb").json)
            #expect(json["data"] == ["a": "b", "empty": ""])
            #expect(json == created)
        }
    }

    @Test("updates accept protobuf bodies; patch bodies in protobuf get the patch 415")
    func updateAndPatch() throws {
        try withServer { _, client throws in
            let created = try #require(try client.post(configMapsPath, configMap("u", data: ["a": "1"])).json)
            var changed = created
            changed["data"] = ["a": "2"]
            let r = try client.request("PUT", configMapsPath + "/u", body: try KubeProtobuf.encode(changed),
                                       contentType: Self.protobuf, headers: ["Accept": "application/json"])
            #expect(r.status == 200)
            #expect(r.headers["content-type"] == "application/json")
            #expect(r.json?["data"] == ["a": "2"])
            let patch = try client.request("PATCH", configMapsPath + "/u", body: try KubeProtobuf.encode(changed),
                                           contentType: Self.protobuf)
            #expect(patch.status == 415)
        }
    }

    @Test("lists and Status errors are answered in protobuf when Accept prefers it")
    func listsAndErrors() throws {
        try withServer { _, client throws in
            for name in ["a", "b"] { #expect(try client.post(configMapsPath, configMap(name)).status == 201) }
            let list = try client.request("GET", configMapsPath, headers: ["Accept": Self.kubectlAccept])
            #expect(list.headers["content-type"] == Self.protobuf)
            let decoded = try KubeProtobuf.decode(list.body)
            #expect(decoded["kind"] == "ConfigMapList")
            #expect(decoded.items.compactMap(\.name) == ["a", "b"])
            #expect(decoded[path: ["metadata", "resourceVersion"]]?.stringValue?.isEmpty == false)

            let missing = try client.request("GET", configMapsPath + "/nope", headers: ["Accept": Self.kubectlAccept])
            #expect(missing.status == 404)
            #expect(missing.headers["content-type"] == Self.protobuf)
            let status = try KubeProtobuf.decode(missing.body)
            #expect(status["kind"] == "Status")
            #expect(status["code"] == 404)
            #expect(status["reason"] == "NotFound")
        }
    }

    @Test("Accept quality values decide between JSON and protobuf")
    func qualityValues() throws {
        try withServer { _, client throws in
            #expect(try client.post(configMapsPath, configMap("q")).status == 201)
            let cases: [(String, String)] = [
                ("application/json;q=0.5, application/vnd.kubernetes.protobuf", Self.protobuf),
                ("application/vnd.kubernetes.protobuf;q=0.1, application/json", "application/json"),
                ("application/json, application/vnd.kubernetes.protobuf", "application/json"),
                ("text/html, application/vnd.kubernetes.protobuf;q=0.9", Self.protobuf),
                ("application/vnd.kubernetes.protobuf;q=0, */*", "application/json"),
            ]
            for (accept, expected) in cases {
                let r = try client.request("GET", configMapsPath + "/q", headers: ["Accept": accept])
                #expect(r.status == 200)
                #expect(r.headers["content-type"] == expected, "Accept: \(accept)")
            }
            let refused = try client.request("GET", configMapsPath + "/q", headers: ["Accept": "application/vnd.kubernetes.protobuf;q=0, text/html"])
            #expect(refused.status == 406)
            #expect(refused.json?["message"] == .string(ProtobufNegotiationMessages.builtin406))
        }
    }

    @Test("custom resources stay JSON-only: 406 for a protobuf-only Accept, 415 for a protobuf body")
    func customResourcesAreJSONOnly() throws {
        try withServer { _, client throws in
            #expect(try client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Self.widgetCRD).status == 201)
            let path = "/apis/example.com/v1/namespaces/default/widgets"
            let widget: JSON = ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w"], "spec": ["size": 1]]
            #expect(try client.post(path, widget).status == 201)

            let onlyProtobuf = try client.request("GET", path + "/w", headers: ["Accept": Self.protobuf])
            #expect(onlyProtobuf.status == 406)
            #expect(onlyProtobuf.json?["reason"] == "NotAcceptable")
            #expect(onlyProtobuf.json?["message"] == .string(ProtobufNegotiationMessages.custom406))

            let fallback = try client.request("GET", path + "/w", headers: ["Accept": Self.kubectlAccept])
            #expect(fallback.status == 200)
            #expect(fallback.headers["content-type"] == "application/json")
            #expect(fallback.json?.name == "w")

            let body = Array("k8s\u{0}garbage".utf8)
            let post = try client.request("POST", path, body: body, contentType: Self.protobuf)
            #expect(post.status == 415)
            #expect(post.json?["reason"] == "UnsupportedMediaType")
            #expect(post.json?["message"] == .string(ProtobufNegotiationMessages.custom415))
        }
    }

    @Test("a malformed protobuf body is a 400, not a crash")
    func malformedBody() throws {
        try withServer { _, client throws in
            let bodies: [[UInt8]] = [
                Array("not protobuf".utf8),
                [0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff],  // typeMeta length runs past the end
                [0x6b, 0x38, 0x73, 0x00, 0x0a, 0x04, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x80],  // truncated varint
            ]
            for body in bodies {
                let r = try client.request("POST", configMapsPath, body: body, contentType: Self.protobuf,
                                           headers: ["Accept": Self.kubectlAccept])
                #expect(r.status == 400)
                #expect(try KubeProtobuf.decode(r.body)["reason"] == "BadRequest")
            }
        }
    }

    @Test("a protobuf watch streams length-prefixed WatchEvent frames with protobuf objects")
    func watchFrames() throws {
        try withServer { _, client throws in
            let created = try #require(try client.post(configMapsPath, configMap("before")).json)
            let connection = try TestHTTPClient.Connection(port: client.port)
            defer { connection.close() }
            try connection.send(method: "GET", path: configMapsPath + "?watch=true&resourceVersion=0", token: client.token,
                                body: nil, contentType: "application/json", headers: ["Accept": Self.kubectlAccept])
            let (status, headers) = try connection.readHead()
            #expect(status == 200)
            #expect(headers["content-type"] == "application/vnd.kubernetes.protobuf;stream=watch")
            var frames = ProtobufFrameReader(connection: connection)
            let first = try #require(try frames.next())
            #expect(first["type"] == "ADDED")
            #expect(first["object"]?.name == "before")
            #expect(first["object"]?["kind"] == "ConfigMap")
            #expect(first[path: ["object", "metadata", "uid"]] == created[path: ["metadata", "uid"]])

            #expect(try client.post(configMapsPath, configMap("after", data: ["k": "v"])).status == 201)
            let second = try #require(try frames.next())
            #expect(second["type"] == "ADDED")
            #expect(second[path: ["object", "data", "k"]] == "v")
            #expect(try client.delete(configMapsPath + "/after").status == 200)
            let third = try #require(try frames.next())
            #expect(third["type"] == "DELETED")
        }
    }
}

extension ProtobufServerTests {
    @Test("a protobuf watch that cannot start sends an ERROR frame carrying a protobuf Status")
    func watchErrorFrame() throws {
        try withServer({ $0.historyLimit = 3 }) { _, client throws in
            let first = try #require(try client.post(configMapsPath, configMap("a")).json)
            for i in 0..<5 { _ = try client.post(configMapsPath, configMap("n\(i)")) }
            let connection = try TestHTTPClient.Connection(port: client.port)
            defer { connection.close() }
            try connection.send(method: "GET", path: configMapsPath + "?watch=1&resourceVersion=\(first.resourceVersion ?? "")",
                                token: client.token, body: nil, contentType: "application/json",
                                headers: ["Accept": Self.kubectlAccept])
            let (status, _) = try connection.readHead()
            #expect(status == 200)
            var frames = ProtobufFrameReader(connection: connection)
            let event = try #require(try frames.next())
            #expect(event["type"] == "ERROR")
            #expect(event[path: ["object", "kind"]] == "Status")
            #expect(event[path: ["object", "code"]] == 410)
            #expect(event[path: ["object", "reason"]] == "Expired")
        }
    }

    @Test("delete takes protobuf DeleteOptions (client-go typed clients send them)")
    func deleteWithProtobufOptions() throws {
        try withServer { _, client throws in
            #expect(try client.post(configMapsPath, configMap("gone")).status == 201)
            let options: JSON = ["apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": "Background"]
            let r = try client.request("DELETE", configMapsPath + "/gone", body: try KubeProtobuf.encode(options),
                                       contentType: Self.protobuf, headers: ["Accept": Self.kubectlAccept])
            #expect(r.status == 200)
            #expect(r.headers["content-type"] == Self.protobuf)
            #expect(try client.get(configMapsPath + "/gone").status == 404)
        }
    }
}

/// Upstream's negotiation messages (apimachinery `negotiation.errNotAcceptable` /
/// `errUnsupportedMediaType`; custom resources list JSON and YAML only).
enum ProtobufNegotiationMessages {
    static let builtin406 = "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf"
    static let custom406 = "only the following media types are accepted: application/json, application/yaml"
    static let custom415 = "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml"
}

/// Reads `;stream=watch` protobuf frames (4-byte big-endian length, then a WatchEvent) from a
/// chunked response.
struct ProtobufFrameReader {
    let connection: TestHTTPClient.Connection
    var pending: [UInt8] = []

    init(connection: TestHTTPClient.Connection) { self.connection = connection }

    mutating func next(timeout: Double = 5) throws -> JSON? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if pending.count >= 4 {
                let length = pending[0..<4].reduce(0) { $0 << 8 | Int($1) }
                if pending.count >= 4 + length {
                    let payload = Array(pending[4..<(4 + length)])
                    pending.removeFirst(4 + length)
                    return try KubeProtobuf.decodeWatchEvent(payload)
                }
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0, try connection.waitReadable(seconds: remaining) else { return nil }
            guard let chunk = try connection.readChunk() else { return nil }
            pending += chunk
        }
    }
}
