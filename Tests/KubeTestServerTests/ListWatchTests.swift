import KubeCore
import KubeTestServer
import Testing

@Suite("Pagination and watch")
struct ListWatchTests {
    @Test("limit and continue page through one consistent snapshot")
    func pagination() throws {
        try withServer { _, client throws in
            for i in 0..<7 { _ = try client.post(configMapsPath, configMap("cm\(i)")) }
            let first = try #require(try client.get(configMapsPath + "?limit=3").json)
            #expect(first.items.compactMap(\.name) == ["cm0", "cm1", "cm2"])
            #expect(first[path: ["metadata", "remainingItemCount"]] == 4)
            let token = try #require(first[path: ["metadata", "continue"]]?.stringValue)
            // Changes after the first page do not show up in later pages.
            _ = try client.delete(configMapsPath + "/cm4")
            _ = try client.post(configMapsPath, configMap("cm5a"))
            var names = first.items.compactMap(\.name)
            var next: String? = token
            while let t = next {
                let page = try #require(try client.get(configMapsPath + "?limit=3&continue=\(t)").json)
                #expect(page.resourceVersion == first.resourceVersion)
                names += page.items.compactMap(\.name)
                next = page[path: ["metadata", "continue"]]?.stringValue
            }
            #expect(names == (0..<7).map { "cm\($0)" })
        }
    }

    @Test("an expired continue token is 410 Gone")
    func expiredContinue() throws {
        try withServer { server, client throws in
            for i in 0..<4 { _ = try client.post(configMapsPath, configMap("cm\(i)")) }
            let first = try #require(try client.get(configMapsPath + "?limit=2").json)
            let token = try #require(first[path: ["metadata", "continue"]]?.stringValue)
            _ = try client.post(configMapsPath, configMap("later"))
            server.compactHistory()
            let r = try client.get(configMapsPath + "?limit=2&continue=\(token)")
            #expect(r.status == 410)
            #expect(r.json?["reason"] == "Expired")
        }
    }

    @Test("watch from a resourceVersion replays every later change")
    func replay() throws {
        try withServer { _, client throws in
            let a = try #require(try client.post(configMapsPath, configMap("a")).json)
            let rv = try #require(a.resourceVersion)
            _ = try client.post(configMapsPath, configMap("b"))
            _ = try client.patch(configMapsPath + "/a", .merge, #"{"data":{"x":"1"}}"#)
            _ = try client.delete(configMapsPath + "/b")
            let watch = try client.watch(configMapsPath + "?watch=1&resourceVersion=\(rv)")
            defer { watch.close() }
            var seen: [String] = []
            for _ in 0..<3 {
                let e = try #require(try watch.next())
                seen.append("\(e["type"]?.stringValue ?? "") \(e["object"]?.name ?? "")")
            }
            #expect(seen == ["ADDED b", "MODIFIED a", "DELETED b"])
            _ = try client.post(configMapsPath, configMap("c"))
            let live = try #require(try watch.next())
            #expect(live["type"] == "ADDED")
            #expect(live["object"]?.name == "c")
        }
    }

    @Test("watch from a resourceVersion older than the history gets an ERROR 410 Expired event")
    func tooOld() throws {
        try withServer({ $0.historyLimit = 3 }) { _, client throws in
            let first = try #require(try client.post(configMapsPath, configMap("a")).json)
            for i in 0..<5 { _ = try client.post(configMapsPath, configMap("n\(i)")) }
            let watch = try client.watch(configMapsPath + "?watch=1&resourceVersion=\(first.resourceVersion ?? "")")
            defer { watch.close() }
            let e = try #require(try watch.next())
            #expect(e["type"] == "ERROR")
            #expect(e[path: ["object", "code"]] == 410)
            #expect(e[path: ["object", "reason"]] == "Expired")
            #expect(try watch.next(timeout: 2) == nil)
        }
    }

    @Test("sendInitialEvents sends the current objects then an initial-events-end bookmark")
    func initialEvents() throws {
        try withServer { _, client throws in
            _ = try client.post(configMapsPath, configMap("a"))
            _ = try client.post(configMapsPath, configMap("b"))
            let watch = try client.watch(configMapsPath + "?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan")
            defer { watch.close() }
            #expect(try watch.next()?["type"] == "ADDED")
            #expect(try watch.next()?["type"] == "ADDED")
            let bookmark = try #require(try watch.next())
            #expect(bookmark["type"] == "BOOKMARK")
            #expect(bookmark[path: ["object", "metadata", "annotations", "k8s.io/initial-events-end"]] == "true")
            // Periodic bookmarks follow.
            let periodic = try #require(try watch.next(timeout: 3))
            #expect(periodic["type"] == "BOOKMARK")
        }
    }

    @Test("timeoutSeconds ends the watch")
    func timeout() throws {
        try withServer { _, client throws in
            let watch = try client.watch(configMapsPath + "?watch=1&resourceVersion=0&timeoutSeconds=1")
            defer { watch.close() }
            #expect(try watch.next(timeout: 5) == nil)
            #expect(watch.ended)
        }
    }

    @Test("an object that stops matching the selector arrives as DELETED")
    func selectorTransitions() throws {
        try withServer { _, client throws in
            let watch = try client.watch(configMapsPath + "?watch=1&labelSelector=app%3Dx")
            defer { watch.close() }
            _ = try client.post(configMapsPath, configMap("a", labels: ["app": "x"]))
            _ = try client.post(configMapsPath, configMap("b", labels: ["app": "y"]))
            _ = try client.patch(configMapsPath + "/a", .merge, #"{"metadata":{"labels":{"app":"z"}}}"#)
            _ = try client.patch(configMapsPath + "/b", .merge, #"{"metadata":{"labels":{"app":"x"}}}"#)
            var seen: [String] = []
            for _ in 0..<3 {
                let e = try #require(try watch.next())
                seen.append("\(e["type"]?.stringValue ?? "") \(e["object"]?.name ?? "")")
            }
            #expect(seen == ["ADDED a", "DELETED a", "ADDED b"])
        }
    }
}
