import KubeCore
import Testing
@testable import KubeClient

@Suite("Aggregated discovery parsing")
struct AggregatedDiscoveryParsingTests {
    static let apis = #"""
    {"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[
     {"metadata":{"name":"apps"},"versions":[
       {"version":"v1","freshness":"Current","resources":[
         {"resource":"deployments","responseKind":{"group":"apps","version":"v1","kind":"Deployment"},
          "scope":"Namespaced","singularResource":"deployment","verbs":["get","list","watch"],
          "shortNames":["deploy"],"categories":["all"],
          "subresources":[{"subresource":"scale","responseKind":{"group":"autoscaling","version":"v1","kind":"Scale"},"verbs":["get","update"]}]}]},
       {"version":"v1beta1","resources":[
         {"resource":"deployments","responseKind":{"group":"apps","version":"v1beta1","kind":"Deployment"},"scope":"Namespaced","verbs":["get"]}]}]},
     {"metadata":{"name":"rbac.authorization.k8s.io"},"versions":[
       {"version":"v1","resources":[
         {"resource":"clusterroles","responseKind":{"group":"rbac.authorization.k8s.io","version":"v1","kind":"ClusterRole"},"scope":"Cluster","singularResource":"clusterrole","verbs":["get"]}]}]}]}
    """#

    @Test("groups, versions, resources and subresources are read; the first version is preferred")
    func parsesGroups() throws {
        var snapshot = DiscoverySnapshot()
        snapshot.addAggregated(try JSON.parse(Self.apis))
        #expect(snapshot.groups.map(\.name) == ["apps", "rbac.authorization.k8s.io"])
        #expect(snapshot.groups[0].versions == ["v1", "v1beta1"])
        #expect(snapshot.groups[0].preferredVersion == "v1")

        let apps = try #require(snapshot.resources["apps/v1"])
        let deployments = try #require(apps.first { $0.name == "deployments" })
        #expect(deployments.kind == "Deployment")
        #expect(deployments.namespaced)
        #expect(deployments.singularName == "deployment")
        #expect(deployments.shortNames == ["deploy"])
        #expect(deployments.categories == ["all"])
        let scale = try #require(apps.first { $0.name == "deployments/scale" })
        #expect(scale.kind == "Scale")
        #expect(scale.group == "autoscaling")
        #expect(scale.isSubresource)
    }

    @Test("preferred resources take each group's preferred version and skip subresources")
    func preferred() throws {
        var snapshot = DiscoverySnapshot()
        snapshot.addAggregated(try JSON.parse(Self.apis))
        let preferred = snapshot.preferredResources
        #expect(preferred.map(\.name) == ["deployments", "clusterroles"])
        #expect(preferred[0].version == "v1")
        #expect(!preferred[1].namespaced)
        // A singular name missing from the server is derived from the kind.
        #expect(snapshot.resources["apps/v1beta1"]?.first?.singularName == "deployment")
    }

    @Test("legacy APIResource entries default group and version to the list's")
    func legacyEntry() throws {
        let json = try JSON.parse(#"{"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["get"],"shortNames":["po"]}"#)
        let resource = try #require(APIResource(legacy: json, groupVersion: GroupVersion(group: "", version: "v1")))
        #expect(resource.groupVersionResource == GroupVersionResource(group: "", version: "v1", resource: "pods"))
        #expect(resource.json["shortNames"] == ["po"])
    }
}
