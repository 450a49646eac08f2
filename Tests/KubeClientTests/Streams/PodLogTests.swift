import Foundation
import KubeClient
import KubeCore
import KubeTestServer
import Synchronization
import Testing
import KubeTestSupport

@Suite("Pod logs as a stream against the test server")
struct PodLogTests {
    static let pods = GroupVersionResource(group: "", version: "v1", resource: "pods")

    static func createPod(_ cluster: TestCluster, _ name: String, containers: [String] = ["main"]) throws {
        let list = containers.map { "{\"name\":\"\($0)\",\"image\":\"busybox\"}" }.joined(separator: ",")
        let pod = try Unstructured(json: JSON.parse("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\(name)","namespace":"default"},
         "spec":{"containers":[\(list)]}}
        """))
        _ = try cluster.client.resource(pods).namespace("default").create(pod)
    }

    /// Reads until the end of the stream.
    static func readAll(_ stream: PodLogStream) throws -> [UInt8] {
        var all: [UInt8] = []
        while true {
            let chunk = try stream.read()
            if chunk.isEmpty { return all }
            all += chunk
        }
    }

    @Test("podLog returns the whole log; podLogs streams the same bytes and ends")
    func wholeLog() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try Self.createPod(cluster, "web")
        for i in 1...3 { try cluster.server.appendLog(pod: "web", line: "line \(i)") }
        #expect(try cluster.client.podLog(namespace: "default", pod: "web") == "line 1\nline 2\nline 3\n")
        let stream = try cluster.client.podLogs(namespace: "default", pod: "web")
        #expect(try Self.readAll(stream) == Array("line 1\nline 2\nline 3\n".utf8))
        #expect(stream.hasEnded)
        // The end is returned again, not an error.
        #expect(try stream.read() == [])
        stream.close()
        #expect(try cluster.client.podLogBytes(namespace: "default", pod: "web", options: PodLogOptions(tailLines: 1))
                == Array("line 3\n".utf8))
    }

    @Test("container, tailLines, limitBytes, timestamps, sinceSeconds and sinceTime reach the server")
    func options() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try Self.createPod(cluster, "two", containers: ["a", "b"])
        try cluster.server.appendLog(pod: "two", container: "a", line: "a1")
        try cluster.server.appendLog(pod: "two", container: "a", line: "a2")
        try cluster.server.appendLog(pod: "two", container: "b", line: "b1")
        let client = cluster.client
        func log(_ options: PodLogOptions) throws -> String { try client.podLog(namespace: "default", pod: "two", options: options) }
        #expect(try log(PodLogOptions(container: "a")) == "a1\na2\n")
        #expect(try log(PodLogOptions(container: "b")) == "b1\n")
        #expect(try log(PodLogOptions(container: "a", tailLines: 1)) == "a2\n")
        #expect(try log(PodLogOptions(container: "a", tailLines: 0)) == "")
        #expect(try log(PodLogOptions(container: "a", limitBytes: 4)) == "a1\na")
        #expect(try log(PodLogOptions(container: "a", sinceSeconds: 3600)) == "a1\na2\n")
        #expect(try log(PodLogOptions(container: "a", sinceTime: "2999-01-01T00:00:00Z")) == "")
        let stamped = try log(PodLogOptions(container: "a", timestamps: true))
        let lines = stamped.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasSuffix(" a1") == true)
        #expect(lines.first?.first?.isNumber == true)
        // Values the server would refuse are refused before sending, naming the option.
        #expect { try log(PodLogOptions(container: "a", limitBytes: 0)) } throws: {
            ($0 as? KubeError)?.description.contains("limitBytes") == true
        }
        #expect { try log(PodLogOptions(container: "a", sinceSeconds: 10, sinceTime: "2020-01-01T00:00:00Z")) } throws: {
            ($0 as? KubeError)?.description.contains("sinceTime") == true
        }
        #expect { try log(PodLogOptions(container: "a", previous: true)) } throws: {
            ($0 as? KubeError)?.httpCode == 400 && "\($0)".contains("previous terminated container")
        }
        #expect { try log(PodLogOptions(container: "a", sinceTime: "yesterday")) } throws: {
            ($0 as? KubeError)?.httpCode == 400
        }
    }

    @Test("a followed log delivers lines appended while it is open, line by line")
    func followAppendedLines() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try Self.createPod(cluster, "web")
        try cluster.server.appendLog(pod: "web", line: "before")
        let stream = try cluster.client.podLogs(namespace: "default", pod: "web", options: PodLogOptions(follow: true))
        defer { stream.close() }
        var reader = stream.lineReader()
        #expect(try reader.next() == "before")
        for i in 1...5 {
            try cluster.server.appendLog(pod: "web", line: "after \(i)")
            #expect(try reader.next() == "after \(i)")
        }
        // Nothing more yet: a bounded read times out and the stream goes on.
        #expect { try stream.read(timeout: .milliseconds(50)) } throws: { ($0 as? KubeError)?.isTimeout == true }
        try cluster.server.appendLog(pod: "web", line: "later")
        #expect(try reader.next() == "later")
    }

    @Test("a followed log ends when its pod is deleted")
    func followEndsOnDelete() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try Self.createPod(cluster, "web")
        try cluster.server.appendLog(pod: "web", line: "one")
        let stream = try cluster.client.podLogs(namespace: "default", pod: "web", options: PodLogOptions(follow: true))
        defer { stream.close() }
        #expect(try stream.read() == Array("one\n".utf8))
        try cluster.client.resource(Self.pods).namespace("default").delete("web", options: DeleteOptions(gracePeriodSeconds: 0))
        #expect(try Self.readAll(stream) == [])
        #expect(stream.hasEnded)
    }

    @Test("close() from another thread ends a read blocked on an idle followed log")
    func closeEndsBlockedFollow() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try Self.createPod(cluster, "web")
        let stream = try cluster.client.podLogs(namespace: "default", pod: "web", options: PodLogOptions(follow: true))
        let result = Mutex<(done: Bool, bytes: [UInt8]?, at: Double)>((false, nil, 0))
        let reader = Thread {
            let bytes = try? stream.read()
            result.withLock { $0 = (true, bytes, ProcessInfo.processInfo.systemUptime) }
        }
        reader.start()
        // The server follows the log and the read has not ended: nothing but the close can
        // end it now (the log is idle).
        #expect(eventually { cluster.server.logFollowers == 1 })
        #expect(!result.withLock { $0.done })
        let closedAt = ProcessInfo.processInfo.systemUptime
        stream.close()
        #expect(eventually(within: 10) { result.withLock { $0.done } })
        let (_, bytes, at) = result.withLock { $0 }
        #expect(bytes == [])
        #expect(stream.isClosed)
        print("close ended the blocked read after \(Int((at - closedAt) * 1000)) ms")
        // close is idempotent; reads after it return the end.
        stream.close()
        #expect(try stream.read() == [])
    }

    @Test("a cancelled token ends the stream like close()")
    func tokenEndsStream() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try Self.createPod(cluster, "web")
        let token = CancellationToken()
        let stream = try cluster.client.podLogs(namespace: "default", pod: "web", options: PodLogOptions(follow: true),
                                                cancellation: token)
        defer { stream.close() }
        token.cancel()
        #expect(try stream.read() == [])
        #expect(stream.isClosed)
        // The blocking whole-log form reports the cancellation.
        #expect { try cluster.client.podLog(namespace: "default", pod: "web", options: PodLogOptions(follow: true),
                                            cancellation: token) } throws: { ($0 as? KubeError)?.isCancelled == true }
    }

    @Test("a missing pod is a 404 and an unknown or ambiguous container a 400, when opening")
    func errors() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try Self.createPod(cluster, "two", containers: ["a", "b"])
        let client = cluster.client
        for follow in [false, true] {
            #expect { try client.podLogs(namespace: "default", pod: "missing", options: PodLogOptions(follow: follow)) }
                throws: { ($0 as? KubeError)?.isNotFound == true }
            #expect { try client.podLogs(namespace: "default", pod: "two", options: PodLogOptions(container: "c", follow: follow)) }
                throws: { ($0 as? KubeError)?.httpCode == 400 && "\($0)".contains("container c is not valid") }
            #expect { try client.podLogs(namespace: "default", pod: "two", options: PodLogOptions(follow: follow)) }
                throws: { ($0 as? KubeError)?.httpCode == 400 && "\($0)".contains("choose one of") }
        }
        #expect { try client.podLog(namespace: "default", pod: "missing") } throws: { ($0 as? KubeError)?.isNotFound == true }
    }

    @Test("lines arrive whole through the async sequence, also when written in pieces")
    func asyncLines() async throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try Self.createPod(cluster, "web")
        try cluster.server.appendLog(pod: "web", line: "alpha")
        try cluster.server.appendLog(pod: "web", line: "béta\ngamma")
        let stream = try cluster.client.podLogs(namespace: "default", pod: "web")
        var lines: [String] = []
        for try await line in stream.lines { lines.append(line) }
        #expect(lines == ["alpha", "béta", "gamma"])

        let chunks = try cluster.client.podLogs(namespace: "default", pod: "web")
        var bytes: [UInt8] = []
        for try await chunk in chunks { bytes += chunk }
        #expect(String(decoding: bytes, as: UTF8.self) == "alpha\nbéta\ngamma\n")
    }

}

extension PodLogTests {
    @Test("the dynamic client refuses pods/log as an object and names podLogs; raw requests return the text")
    func dynamicGetNamesPodLogs() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try Self.createPod(cluster, "web")
        try cluster.server.appendLog(pod: "web", line: "text")
        let pods = cluster.client.resource(Self.pods).namespace("default")
        #expect { try pods.get("web", subresource: "log") } throws: {
            guard case .invalidArgument(let message)? = $0 as? KubeError else { return false }
            return message.contains("podLogs") && message.contains("pods/log")
        }
        #expect { try pods.getRaw("web", subresource: "log") } throws: { ($0 as? KubeError)?.description.contains("podLogs") == true }
        let raw = try cluster.client.raw(method: "GET", path: "/api/v1/namespaces/default/pods/web/log", accept: "*/*")
        #expect(raw.body == Array("text\n".utf8))
        // Other subresources are unaffected.
        #expect(try pods.get("web").name == "web")
    }
}
