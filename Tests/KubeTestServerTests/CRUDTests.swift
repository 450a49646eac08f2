import KubeCore
import KubeTestServer
import Testing

@Suite("Objects, versions and errors")
struct CRUDTests {
    @Test("create sets server metadata and get returns it")
    func createAndGet() throws {
        try withServer { _, client throws in
            let created = try client.post(configMapsPath, configMap("a", data: ["k": "v"]))
            #expect(created.status == 201)
            let json = try #require(created.json)
            #expect(json[path: ["metadata", "uid"]]?.stringValue?.count == 36)
            #expect(json[path: ["metadata", "creationTimestamp"]]?.stringValue?.hasSuffix("Z") == true)
            #expect(json.resourceVersion != nil)
            let got = try client.get(configMapsPath + "/a")
            #expect(got.status == 200)
            #expect(got.json?[path: ["data", "k"]] == "v")
        }
    }

    @Test("generateName gets a random suffix")
    func generateName() throws {
        try withServer { _, client throws in
            let r = try client.post(configMapsPath, ["metadata": ["generateName": "gen-"]])
            #expect(r.status == 201)
            let name = try #require(r.json?.name)
            #expect(name.hasPrefix("gen-") && name.count == 9)
        }
    }

    @Test("errors are Status bodies with kube-apiserver's codes and reasons")
    func errors() throws {
        try withServer { server, client throws in
            _ = try client.post(configMapsPath, configMap("a"))
            func check(_ r: TestHTTPClient.Response, _ code: Int, _ reason: String) {
                #expect(r.status == code)
                #expect(r.json?["kind"] == "Status")
                #expect(r.json?["reason"]?.stringValue == reason)
                #expect(r.json?["code"]?.intValue == Int64(code))
            }
            check(try client.get(configMapsPath + "/missing"), 404, "NotFound")
            check(try client.post(configMapsPath, configMap("a")), 409, "AlreadyExists")
            check(try client.post("/api/v1/namespaces/nope/configmaps", configMap("x", namespace: "nope")), 404, "NotFound")
            check(try client.post(configMapsPath, ["metadata": [:]]), 422, "Invalid")
            check(try client.post(configMapsPath, configMap("Bad_Name")), 422, "Invalid")
            check(try client.request("POST", configMapsPath, body: Array("{not json".utf8)), 400, "BadRequest")
            check(try client.put(configMapsPath + "/a", configMap("b")), 400, "BadRequest")
            check(try client.request("POST", configMapsPath + "/a", body: Array("{}".utf8)), 405, "MethodNotAllowed")
            check(try client.get("/api/v1/namespaces/default/nothings"), 404, "NotFound")
            var anonymous = client
            anonymous.token = nil
            // Plain HTTP: clients send no credentials there, so no credentials means admin.
            #expect(try anonymous.get(configMapsPath).status == 200)
            anonymous.token = "wrong"
            check(try anonymous.get(configMapsPath), 401, "Unauthorized")
            var readOnly = client
            readOnly.token = server.readOnlyToken
            #expect(try readOnly.get(configMapsPath).status == 200)
            check(try readOnly.delete(configMapsPath + "/a"), 403, "Forbidden")
            // The server keeps serving after all of that.
            #expect(try client.get(configMapsPath + "/a").status == 200)
        }
    }

    @Test("an update with a stale resourceVersion is a 409 Conflict")
    func staleUpdate() throws {
        try withServer { _, client throws in
            let created = try #require(try client.post(configMapsPath, configMap("a")).json)
            var first = created
            first["data"] = ["x": "1"]
            #expect(try client.put(configMapsPath + "/a", first).status == 200)
            var stale = created
            stale["data"] = ["x": "2"]
            let r = try client.put(configMapsPath + "/a", stale)
            #expect(r.status == 409)
            #expect(r.json?["reason"] == "Conflict")
        }
    }

    @Test("generation increments only when spec changes")
    func generation() throws {
        try withServer { _, client throws in
            let path = "/apis/apps/v1/namespaces/default/deployments"
            var d = try #require(try client.post(path, deployment("web")).json)
            #expect(d[path: ["metadata", "generation"]] == 1)
            d[path: ["metadata", "labels"]] = ["a": "b"]
            d = try #require(try client.put(path + "/web", d).json)
            #expect(d[path: ["metadata", "generation"]] == 1)
            d[path: ["spec", "replicas"]] = 3
            d = try #require(try client.put(path + "/web", d).json)
            #expect(d[path: ["metadata", "generation"]] == 2)
        }
    }

    @Test("the status subresource changes only status; main updates leave status alone")
    func statusSubresource() throws {
        try withServer { _, client throws in
            let path = "/apis/apps/v1/namespaces/default/deployments"
            var d = try #require(try client.post(path, deployment("web")).json)
            d["status"] = ["replicas": 7]
            d[path: ["spec", "replicas"]] = 9
            let afterStatus = try #require(try client.put(path + "/web/status", d).json)
            #expect(afterStatus[path: ["status", "replicas"]] == 7)
            #expect(afterStatus[path: ["spec", "replicas"]] == 1)
            var main = afterStatus
            main["status"] = ["replicas": 1]
            let afterMain = try #require(try client.put(path + "/web", main).json)
            #expect(afterMain[path: ["status", "replicas"]] == 7)
        }
    }

    @Test("the scale subresource reads and writes spec.replicas")
    func scale() throws {
        try withServer { _, client throws in
            let path = "/apis/apps/v1/namespaces/default/deployments"
            _ = try client.post(path, deployment("web", replicas: 2))
            let scale = try #require(try client.get(path + "/web/scale").json)
            #expect(scale["kind"] == "Scale")
            #expect(scale[path: ["spec", "replicas"]] == 2)
            #expect(scale[path: ["status", "selector"]] == "app=web")
            let patched = try client.patch(path + "/web/scale", .merge, #"{"spec":{"replicas":4}}"#)
            #expect(patched.json?[path: ["spec", "replicas"]] == 4)
            #expect(try client.get(path + "/web").json?[path: ["spec", "replicas"]] == 4)
        }
    }

    @Test("label and field selectors filter lists")
    func selectors() throws {
        try withServer { _, client throws in
            _ = try client.post(configMapsPath, configMap("a", labels: ["app": "x", "tier": "web"]))
            _ = try client.post(configMapsPath, configMap("b", labels: ["app": "y"]))
            _ = try client.post(configMapsPath, configMap("c"))
            func names(_ query: String) throws -> [String] {
                try client.get(configMapsPath + "?" + query).json?.items.compactMap(\.name) ?? []
            }
            #expect(try names("labelSelector=app%3Dx") == ["a"])
            #expect(try names("labelSelector=app%20in%20(x,y)") == ["a", "b"])
            #expect(try names("labelSelector=app!%3Dx") == ["b", "c"])
            #expect(try names("labelSelector=!app") == ["c"])
            #expect(try names("labelSelector=app,tier%3Dweb") == ["a"])
            #expect(try names("fieldSelector=metadata.name%3Db") == ["b"])
            #expect(try names("fieldSelector=metadata.name!%3Db") == ["a", "c"])
            #expect(try client.get(configMapsPath + "?fieldSelector=data.k%3Dv").status == 400)
        }
    }

    @Test("pod field selectors on spec.nodeName and status.phase")
    func podFields() throws {
        try withServer { server, client throws in
            try server.seed(json: ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p1", "namespace": "default"],
                                   "spec": ["nodeName": "n1", "containers": [["name": "c", "image": "i"]]],
                                   "status": ["phase": "Running"]])
            try server.seed(json: ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p2", "namespace": "default"],
                                   "spec": ["nodeName": "n2", "containers": [["name": "c", "image": "i"]]],
                                   "status": ["phase": "Pending"]])
            let running = try client.get("/api/v1/pods?fieldSelector=status.phase%3DRunning").json?.items.compactMap(\.name)
            #expect(running == ["p1"])
            let onN2 = try client.get("/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName%3Dn2").json?.items.compactMap(\.name)
            #expect(onN2 == ["p2"])
        }
    }

    @Test("access reviews are answered per role, not stored")
    func reviews() throws {
        try withServer { server, client throws in
            let review: JSON = ["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                                "spec": ["resourceAttributes": ["verb": "create", "resource": "pods", "namespace": "default"]]]
            let path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
            #expect(try client.post(path, review).json?[path: ["status", "allowed"]] == true)
            var readOnly = client
            readOnly.token = server.readOnlyToken
            #expect(try readOnly.post(path, review).json?[path: ["status", "allowed"]] == false)
            #expect(try client.get(path).status == 405)
        }
    }

    @Test("unsimulated subresources are 404; pod logs are served")
    func subresources() throws {
        try withServer { server, client throws in
            try server.seed(json: ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "default"],
                                   "spec": ["containers": [["name": "c", "image": "i"]]]])
            #expect(try client.get("/api/v1/namespaces/default/pods/p/log").status == 200)
            #expect(try client.get("/api/v1/namespaces/default/pods/missing/log").status == 404)
            // Not an upgrade: kube-apiserver answers 400 "Upgrade request required".
            #expect(try client.get("/api/v1/namespaces/default/pods/p/exec").status == 400)
        }
    }
}

@Suite("List from the cache")
struct CachedListTests {
    @Test("resourceVersion=0 answers everything and ignores limit, as kube-apiserver's watch cache does")
    func resourceVersionZeroIgnoresLimit() throws {
        try withServer { _, client in
            for index in 0..<5 { _ = try client.post(configMapsPath, configMap("cm-\(index)")) }
            let cached = try #require(try client.get(configMapsPath + "?resourceVersion=0&limit=2").json)
            let cachedContinue: String = cached["metadata"]?["continue"]?.stringValue ?? ""
            #expect(cached["items"]?.arrayValue?.count == 5)
            #expect(cachedContinue.isEmpty)
            // Positive control: without resourceVersion=0 the same limit pages.
            let paged = try #require(try client.get(configMapsPath + "?limit=2").json)
            let pagedContinue: String = paged["metadata"]?["continue"]?.stringValue ?? ""
            #expect(paged["items"]?.arrayValue?.count == 2)
            #expect(!pagedContinue.isEmpty)
        }
    }
}
