import KubeCore
import KubeTestServer
import Testing

/// How kube-apiserver answers strategic merge patches it cannot apply
/// (handlers/patch.go `interpretStrategicMergePatchError`): a directive of the wrong form
/// (`mergepatch.ErrBadPatchFormatFor…`) is 400 BadRequest; the other strategicpatch errors are
/// returned unconverted, which the response writer turns into a 500 with the error's text.
@Suite("strategic merge patch errors as kube-apiserver answers them")
struct StrategicMergeErrorTests {
    static let pods = "/api/v1/namespaces/default/pods"

    @Test("contradicting $setElementOrder is a 500 with apimachinery's text; a bad $retainKeys is a 400")
    func statusCodes() throws {
        try withServer { _, client throws in
            let pod: JSON = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"],
                             "spec": ["containers": [["name": "a", "image": "x"], ["name": "b", "image": "y"]]]]
            #expect(try client.post(Self.pods, pod).status == 201)
            let contradicting = try client.patch(Self.pods + "/p", .strategic, #"""
            {"spec": {"$setElementOrder/containers": [{"name": "a"}], "containers": [{"name": "b", "image": "z"}]}}
            """#)
            #expect(contradicting.status == 500)
            #expect(contradicting.json?["message"]?.stringValue?.hasPrefix("The order in patch list:\n") == true)
            let retain = try client.patch(Self.pods + "/p", .strategic, #"{"spec": {"$retainKeys": ["containers"], "hostname": "h"}}"#)
            #expect(retain.status == 400)
            #expect(retain.json?["reason"] == "BadRequest")
            let noKey = try client.patch(Self.pods + "/p", .strategic, #"{"spec": {"containers": [{"image": "z"}]}}"#)
            #expect(noKey.status == 500)
            // An ordering that agrees with the patch list applies, in the order asked for.
            let ordered = try client.patch(Self.pods + "/p", .strategic, #"""
            {"spec": {"$setElementOrder/containers": [{"name": "b"}, {"name": "a"}], "containers": [{"name": "b", "image": "z"}]}}
            """#)
            #expect(ordered.status == 200)
            #expect(ordered.json?[path: ["spec", "containers"]]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["b", "a"])
        }
    }

    // handlers/patch.go applyJSPatch: more than maxJSONPatchOperations (10000) is 413; a patch
    // evanphx cannot apply is NewGenericServerResponse(422, …): reason Invalid, the generic
    // message, and the library's text as an UnexpectedServerResponse cause.
    @Test("a JSON patch that fails is 422 with the generic message and a cause; over 10000 operations is 413")
    func jsonPatchStatuses() throws {
        try withServer { _, client throws in
            _ = try client.post(configMapsPath, configMap("a", data: ["x": "1"]))
            let failed = try client.patch(configMapsPath + "/a", .json, #"[{"op":"test","path":"/data/x","value":"nope"}]"#)
            #expect(failed.status == 422)
            #expect(failed.json?["reason"] == "Invalid")
            #expect(failed.json?["message"] == "the server rejected our request due to an error in our request")
            #expect(failed.json?[path: ["details", "causes"]]?.arrayValue?.first?["reason"] == "UnexpectedServerResponse")
            let many = "[" + Array(repeating: #"{"op":"test","path":"/data/x","value":"1"}"#, count: 10_001).joined(separator: ",") + "]"
            let tooMany = try client.patch(configMapsPath + "/a", .json, many)
            #expect(tooMany.status == 413)
            #expect(tooMany.json?["message"] == "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001")
        }
    }
}
