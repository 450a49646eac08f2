import Testing
@testable import KubeCore

@Suite("Request building")
struct RequestTests {
    @Test("core and named groups, namespaced and cluster scoped paths")
    func paths() {
        #expect(APIRequest(version: "v1", namespace: "default", resource: "pods", name: "web").path == "/api/v1/namespaces/default/pods/web")
        #expect(APIRequest(group: "", version: "v1", resource: "nodes").path == "/api/v1/nodes")
        #expect(APIRequest(version: "v1", resource: "namespaces", name: "kube-system").path == "/api/v1/namespaces/kube-system")
        #expect(APIRequest(group: "apps", version: "v1", namespace: "prod", resource: "deployments", name: "web", subresource: "scale").path
                == "/apis/apps/v1/namespaces/prod/deployments/web/scale")
        #expect(APIRequest(group: "apps", version: "v1").path == "/apis/apps/v1")
        #expect(APIRequest(group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles", name: "system:controller:x").path
                == "/apis/rbac.authorization.k8s.io/v1/clusterroles/system:controller:x")
        #expect(APIRequest(version: "v1", resource: "pods", name: "a/b c").path == "/api/v1/pods/a%2Fb%20c")
        let gvr = GroupVersionResource(apiVersion: "batch/v1", resource: "jobs")
        #expect(APIRequest(method: "DELETE", for: gvr, namespace: "ns", name: "j").path == "/apis/batch/v1/namespaces/ns/jobs/j")
        #expect(APIRequest(for: GroupVersionResource(apiVersion: "v1", resource: "pods"), namespace: "ns", name: "p", subresource: "log")
            .path == "/api/v1/namespaces/ns/pods/p/log")
    }

    @Test("query values are percent-encoded")
    func query() {
        var request = APIRequest(version: "v1", namespace: "default", resource: "pods")
        #expect(request.pathAndQuery == "/api/v1/namespaces/default/pods")
        request.addQuery(ListOptions(labelSelector: "app in (a,b),tier!=x", fieldSelector: "metadata.name=web",
                                     limit: 500, continueToken: "abc+/=", watch: true).queryItems)
        #expect(request.pathAndQuery == "/api/v1/namespaces/default/pods?labelSelector=app%20in%20%28a%2Cb%29%2Ctier%21%3Dx"
                + "&fieldSelector=metadata.name%3Dweb&limit=500&continue=abc%2B%2F%3D&watch=true")
        #expect(PercentEncoding.decode("app%20in%20%28a%2Cb%29") == "app in (a,b)")
        #expect(PercentEncoding.decode("a+b", plusIsSpace: true) == "a b")
        #expect(PercentEncoding.decode("%zz") == nil)
        #expect(PercentEncoding.query("ü") == "%C3%BC")
    }

    @Test("list options render every parameter in order")
    func listOptions() {
        let options = ListOptions(labelSelector: "a=b", fieldSelector: "", limit: 10, continueToken: "t", resourceVersion: "0",
                                  resourceVersionMatch: "NotOlderThan", timeoutSeconds: 30, allowWatchBookmarks: true,
                                  sendInitialEvents: true, watch: true)
        let items = options.queryItems.map { "\($0.0)=\($0.1)" }
        #expect(items == ["labelSelector=a=b", "limit=10", "continue=t", "resourceVersion=0", "resourceVersionMatch=NotOlderThan",
                          "timeoutSeconds=30", "allowWatchBookmarks=true", "sendInitialEvents=true", "watch=true"])
        #expect(ListOptions().queryItems.isEmpty)
    }

    @Test("delete options serialize to a metav1.DeleteOptions body and back")
    func deleteOptions() {
        let options = DeleteOptions(gracePeriodSeconds: 0, propagationPolicy: .foreground, preconditionUID: "u1",
                                    preconditionResourceVersion: "42", dryRun: true)
        let body = options.json()
        #expect(body == ["kind": "DeleteOptions", "apiVersion": "v1", "gracePeriodSeconds": 0, "propagationPolicy": "Foreground",
                         "preconditions": ["uid": "u1", "resourceVersion": "42"], "dryRun": ["All"]])
        #expect(DeleteOptions(json: body) == options)
        #expect(DeleteOptions().json() == ["kind": "DeleteOptions", "apiVersion": "v1"])
        #expect(DeleteOptions(json: ["orphanDependents": true]).propagationPolicy == .orphan)
    }

    @Test("patch and apply options render fieldManager, force and dryRun")
    func patchOptions() {
        #expect(PatchOptions(fieldManager: "me", dryRun: true).queryItems.map { "\($0.0)=\($0.1)" } == ["dryRun=All", "fieldManager=me"])
        #expect(ApplyOptions(fieldManager: "kubectl", force: true).queryItems.map { "\($0.0)=\($0.1)" } == ["fieldManager=kubectl", "force=true"])
        #expect(PatchType(contentType: "application/merge-patch+json; charset=utf-8") == .merge)
        #expect(PatchType(contentType: "application/apply-patch+yaml") == .apply)
        #expect(PatchType(contentType: "application/json") == nil)
    }
}
