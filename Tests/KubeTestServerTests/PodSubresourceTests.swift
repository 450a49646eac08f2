import Foundation
import KubeCore
import KubeTestServer
import Testing

@Suite("Pod log and eviction subresources")
struct PodSubresourceTests {
    static let podsPath = "/api/v1/namespaces/default/pods"

    static func pod(_ name: String, containers: [String]) -> JSON {
        ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"],
         "spec": ["containers": .array(containers.map { ["name": .string($0), "image": "busybox"] })]]
    }

    @Test("pods/log serves appended lines as text/plain with kube-apiserver's container rules")
    func logs() throws {
        try withServer { server, client throws in
            try server.seed(json: Self.pod("two", containers: ["a", "b"]))
            try server.seed(json: Self.pod("one", containers: ["main"]))
            let log = Self.podsPath + "/two/log"

            let ambiguous = try client.get(log)
            #expect(ambiguous.status == 400)
            #expect(ambiguous.json?["message"] == "a container name must be specified for pod two, choose one of: [a b]")
            #expect(try client.get(log + "?container=zzz").json?["message"] == "container zzz is not valid for pod two")
            #expect(try client.get(Self.podsPath + "/missing/log").status == 404)

            let empty = try client.get(log + "?container=a")
            #expect(empty.status == 200)
            #expect(empty.headers["content-type"] == "text/plain")
            #expect(empty.body.isEmpty)

            try server.appendLog(pod: "two", container: "a", line: "first")
            try server.appendLog(pod: "two", container: "a", line: "second\nthird")
            try server.appendLog(pod: "two", container: "b", line: "other")
            #expect(try client.get(log + "?container=a").text == "first\nsecond\nthird\n")
            #expect(try client.get(log + "?container=b").text == "other\n")
            #expect(try client.get(log + "?container=a&tailLines=2").text == "second\nthird\n")
            #expect(try client.get(log + "?container=a&limitBytes=3").text == "fir")
            let stamped = try client.get(log + "?container=a&timestamps=true&tailLines=1").text
            #expect(stamped.hasSuffix("Z third\n"))
            #expect(stamped.split(separator: " ").first?.count == 30)  // 2026-01-02T15:04:05.123456789Z
            #expect(try client.get(log + "?container=a&previous=true").status == 400)

            // A single-container pod needs no container name; the HTTP helper appends too.
            #expect(throws: Status.self) { try server.appendLog(pod: "two", line: "x") }
            #expect(throws: Status.self) { try server.appendLog(pod: "nope", line: "x") }
            let appended = try client.post("/_testserver/logs", ["pod": "one", "lines": ["l1", "l2"]])
            #expect(appended.status == 200)
            #expect(try client.get(Self.podsPath + "/one/log").text == "l1\nl2\n")
            var readOnly = client
            readOnly.token = server.readOnlyToken
            #expect(try readOnly.get(Self.podsPath + "/one/log").status == 200)
            #expect(try readOnly.post("/_testserver/logs", ["pod": "one", "line": "x"]).status == 403)

            // Logs belong to the pod instance: a recreated pod starts empty.
            #expect(try client.delete(Self.podsPath + "/one").status == 200)
            try server.seed(json: Self.pod("one", containers: ["main"]))
            #expect(try client.get(Self.podsPath + "/one/log").body.isEmpty)
        }
    }

    @Test("pods/log with follow streams existing then new lines until the pod is deleted")
    func follow() throws {
        try withServer { server, client throws in
            try server.seed(json: Self.pod("p", containers: ["c"]))
            try server.appendLog(pod: "p", line: "before")
            let stream = try client.watch(Self.podsPath + "/p/log?follow=true&tailLines=5")
            defer { stream.close() }
            let reader = LogReader(stream.connection)
            #expect(try reader.waitFor("before\n"))
            try server.appendLog(pod: "p", line: "after")
            #expect(try reader.waitFor("before\nafter\n"))
            _ = try client.post("/_testserver/logs", ["pod": "p", "container": "c", "line": "via http"])
            #expect(try reader.waitFor("before\nafter\nvia http\n"))
            #expect(try client.delete(Self.podsPath + "/p").status == 200)
            #expect(try reader.waitForEnd())
            // A follow for a missing pod is a plain 404.
            #expect(try client.get(Self.podsPath + "/p/log?follow=true").status == 404)
        }
    }

    @Test("a client that disconnects from a followed log leaves the server serving")
    func followDisconnect() throws {
        try withServer { server, client throws in
            try server.seed(json: Self.pod("p", containers: ["c"]))
            let stream = try client.watch(Self.podsPath + "/p/log?follow=true")
            stream.close()
            for i in 0..<20 { try server.appendLog(pod: "p", line: "line \(i)") }
            #expect(try client.get(Self.podsPath + "/p/log?tailLines=1").text == "line 19\n")
        }
    }

    @Test("pods/eviction deletes the pod and answers 201 Success")
    func eviction() throws {
        try withServer { server, client throws in
            try server.seed(json: Self.pod("p", containers: ["c"]))
            let path = Self.podsPath + "/p/eviction"
            func eviction(_ name: String, deleteOptions: JSON? = nil) -> JSON {
                var body: JSON = ["apiVersion": "policy/v1", "kind": "Eviction",
                                  "metadata": ["name": .string(name), "namespace": "default"]]
                if let deleteOptions { body["deleteOptions"] = deleteOptions }
                return body
            }
            #expect(try client.post(path, eviction("other")).status == 400)
            let wrongUID = try client.post(path, eviction("p", deleteOptions: ["preconditions": ["uid": "nope"]]))
            #expect(wrongUID.status == 409)
            #expect(try client.post(path + "?dryRun=All", eviction("p")).status == 201)
            #expect(try client.get(Self.podsPath + "/p").status == 200)
            #expect(try client.get(path).status == 405)
            var readOnly = client
            readOnly.token = server.readOnlyToken
            #expect(try readOnly.post(path, eviction("p")).status == 403)

            let evicted = try client.post(path, eviction("p", deleteOptions: ["gracePeriodSeconds": 0]))
            #expect(evicted.status == 201)
            #expect(evicted.json == ["kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Success", "code": 201])
            #expect(try client.get(Self.podsPath + "/p").status == 404)
            let missing = try client.post(path, eviction("p"))
            #expect(missing.status == 404)
            #expect(missing.json?["reason"] == "NotFound")
        }
    }

    @Test("eviction honours the PodDisruptionBudget status tests wrote")
    func evictionBudget() throws {
        try withServer { server, client throws in
            func runningPod(_ name: String) throws {
                var pod = Self.pod(name, containers: ["c"])
                pod[path: ["metadata", "labels"]] = ["app": "web"]
                pod["status"] = ["phase": "Running"]
                try server.seed(json: pod)
            }
            try runningPod("r1")
            try runningPod("r2")
            var pending = Self.pod("pending", containers: ["c"])
            pending[path: ["metadata", "labels"]] = ["app": "web"]
            try server.seed(json: pending)
            try server.seed(json: [
                "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                "metadata": ["name": "web", "namespace": "default"],
                "spec": ["minAvailable": 1, "selector": ["matchLabels": ["app": "web"]]],
                "status": ["observedGeneration": 1, "disruptionsAllowed": 1, "desiredHealthy": 1, "currentHealthy": 2, "expectedPods": 2],
            ])
            let evict = { (name: String) throws -> TestHTTPClient.Response in
                try client.post(Self.podsPath + "/\(name)/eviction",
                                ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": .string(name)]])
            }
            #expect(try evict("r1").status == 201)
            let pdb = try #require(server.get(apiVersion: "policy/v1", kind: "PodDisruptionBudget", name: "web"))
            #expect(pdb[path: ["status", "disruptionsAllowed"]]?.intValue == 0)
            #expect(pdb[path: ["status", "disruptedPods", "r1"]] != nil)

            let blocked = try evict("r2")
            #expect(blocked.status == 429)
            #expect(blocked.json?["reason"] == "TooManyRequests")
            #expect(blocked.json?["message"] == "Cannot evict pod as it would violate the pod's disruption budget.")
            #expect(blocked.json?[path: ["details", "causes"]]?.arrayValue?.first?["reason"] == "DisruptionBudget")
            #expect(try client.get(Self.podsPath + "/r2").status == 200)
            // Pending pods are not covered by budgets.
            #expect(try evict("pending").status == 201)
        }
    }

    @Test("Accept as=PartialObjectMetadata returns metadata only for get, list and watch")
    func partialObjectMetadata() throws {
        try withServer { _, client throws in
            _ = try client.post(configMapsPath, configMap("a", labels: ["x": "1"], data: ["k": "v"]))
            let one = ["Accept": "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json"]
            let list = ["Accept": "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"]

            let got = try client.request("GET", configMapsPath + "/a", headers: one)
            #expect(got.status == 200)
            let object = try #require(got.json)
            #expect(object["apiVersion"] == "meta.k8s.io/v1")
            #expect(object["kind"] == "PartialObjectMetadata")
            #expect(object["data"] == nil)
            #expect(object[path: ["metadata", "labels", "x"]] == "1")
            #expect(object[path: ["metadata", "uid"]] != nil)

            let listed = try #require(try client.request("GET", configMapsPath, headers: list).json)
            #expect(listed["kind"] == "PartialObjectMetadataList")
            #expect(listed["apiVersion"] == "meta.k8s.io/v1")
            #expect(listed[path: ["metadata", "resourceVersion"]] != nil)
            #expect(listed.items.map { $0["kind"] } == ["PartialObjectMetadata"])
            #expect(listed.items.first?["data"] == nil)
            #expect(listed.items.first?.name == "a")

            // The wrong form for the endpoint is 406, as kube-apiserver answers.
            #expect(try client.request("GET", configMapsPath + "/a", headers: list).status == 406)
            #expect(try client.request("GET", configMapsPath, headers: one).status == 406)
            // Plain JSON first, or protobuf/Table only: full objects.
            let plainFirst = try client.request("GET", configMapsPath + "/a",
                                                headers: ["Accept": "application/json, application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"])
            #expect(plainFirst.json?["kind"] == "ConfigMap")

            let watch = try client.watch(configMapsPath + "?watch=1&resourceVersion=0", headers: one)
            defer { watch.close() }
            let added = try #require(try watch.next())
            #expect(added["type"] == "ADDED")
            #expect(added[path: ["object", "kind"]] == "PartialObjectMetadata")
            #expect(added[path: ["object", "data"]] == nil)
            _ = try client.post(configMapsPath, configMap("b", data: ["k": "v"]))
            let live = try #require(try watch.next())
            #expect(live[path: ["object", "kind"]] == "PartialObjectMetadata")
            #expect(live[path: ["object", "metadata", "name"]] == "b")
        }
    }

    @Test("metadata-only watch bookmarks are PartialObjectMetadata")
    func partialBookmarks() throws {
        try withServer { _, client throws in
            let one = ["Accept": "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"]
            let watch = try client.watch(configMapsPath + "?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan",
                                         headers: one)
            defer { watch.close() }
            let bookmark = try #require(try watch.next())
            #expect(bookmark["type"] == "BOOKMARK")
            #expect(bookmark[path: ["object", "kind"]] == "PartialObjectMetadata")
            #expect(bookmark[path: ["object", "metadata", "annotations", "k8s.io/initial-events-end"]] == "true")
        }
    }
}

/// Reads a chunked text body (a followed log) as it arrives.
final class LogReader {
    let connection: TestHTTPClient.Connection
    private(set) var text = ""
    private(set) var ended = false

    init(_ connection: TestHTTPClient.Connection) { self.connection = connection }

    /// Reads until the text received so far equals `expected` (false on timeout or end).
    func waitFor(_ expected: String, timeout: Double = 5) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while text != expected {
            guard !ended, deadline.timeIntervalSinceNow > 0 else { return false }
            guard try connection.waitReadable(seconds: deadline.timeIntervalSinceNow) else { return false }
            if let chunk = try connection.readChunk() { text += String(decoding: chunk, as: UTF8.self) } else { ended = true }
        }
        return true
    }

    /// Reads until the terminating chunk (true) or the timeout (false).
    func waitForEnd(timeout: Double = 5) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !ended {
            guard deadline.timeIntervalSinceNow > 0 else { return false }
            guard try connection.waitReadable(seconds: deadline.timeIntervalSinceNow) else { return false }
            if let chunk = try connection.readChunk() { text += String(decoding: chunk, as: UTF8.self) } else { ended = true }
        }
        return true
    }
}
