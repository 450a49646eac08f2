import Foundation
import KubeCore
import KubeTestServer
import Testing

/// The pods/log options kubectl cannot send as they are (it validates or drops them first),
/// checked over plain HTTP against kube-apiserver's behaviour.
@Suite("pods/log options as kube-apiserver validates and serves them")
struct KubectlStreamLogTests {
    static let log = "/api/v1/namespaces/default/pods/p/log"

    @Test("invalid options are 422 PodLogOptions errors, checked before the pod is looked up")
    func validation() throws {
        try withServer { server, client throws in
            try server.seed(json: execPod("p", containers: ["c"]))
            let tail = try client.get(Self.log + "?tailLines=-1")
            #expect(tail.status == 422)
            #expect(tail.json?["reason"] == "Invalid")
            #expect(tail.json?["message"] == #"PodLogOptions "p" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0"#)
            #expect(try client.get(Self.log + "?limitBytes=0").json?["message"]
                == #"PodLogOptions "p" is invalid: limitBytes: Invalid value: 0: must be greater than 0"#)
            #expect(try client.get(Self.log + "?sinceSeconds=0").json?["message"]
                == #"PodLogOptions "p" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0"#)
            #expect(try client.get(Self.log + "?sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z").json?["message"]
                == #"PodLogOptions "p" is invalid: sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"#)
            #expect(try client.get("/api/v1/namespaces/default/pods/missing/log?tailLines=-1").status == 422)
            #expect(try client.get("/api/v1/namespaces/default/pods/missing/log").status == 404)
        }
    }

    @Test("previous=true serves the predecessor's log once a test wrote one, even with follow")
    func previous() throws {
        try withServer { server, client throws in
            try server.seed(json: execPod("p", containers: ["c"]))
            let none = try client.get(Self.log + "?previous=true")
            #expect(none.status == 400)
            #expect(none.json?["message"] == #"previous terminated container "c" in pod "p" not found"#)
            try server.appendLog(pod: "p", line: "crashed run", previous: true)
            _ = try client.post("/_testserver/logs", ["pod": "p", "line": "its last words", "previous": true])
            try server.appendLog(pod: "p", line: "current run")
            #expect(try client.get(Self.log + "?previous=true").text == "crashed run\nits last words\n")
            #expect(try client.get(Self.log + "?previous=true&tailLines=1").text == "its last words\n")
            let followed = try client.get(Self.log + "?previous=true&follow=true")
            #expect(followed.text == "crashed run\nits last words\n")
            #expect(try client.get(Self.log).text == "current run\n")
        }
    }

    @Test("follow with limitBytes ends the stream once the budget is spent")
    func followLimit() throws {
        try withServer { server, client throws in
            try server.seed(json: execPod("p", containers: ["c"]))
            try server.appendLog(pod: "p", line: "abc")
            let stream = try client.watch(Self.log + "?follow=true&limitBytes=6")
            defer { stream.close() }
            let reader = LogReader(stream.connection)
            #expect(try reader.waitFor("abc\n"))
            try server.appendLog(pod: "p", line: "defgh")
            #expect(try reader.waitForEnd())
            #expect(reader.text == "abc\nde")
        }
    }
}
