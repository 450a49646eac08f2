import KubeClient
import KubeCore
import Testing
import KubeTestSupport

@Suite("Discovery and REST mapping against the test server")
struct DiscoveryIntegrationTests {
    @Test("server version, groups and preferred resources")
    func discovery() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let discovery = cluster.client.discovery
        let version = try discovery.serverVersion()
        #expect(!version.gitVersion.isEmpty)

        let groups = try discovery.serverGroups()
        #expect(groups.first?.name == "")
        #expect(groups.contains { $0.name == "apps" && $0.preferredVersion == "v1" })

        let core = try discovery.serverResources(forGroupVersion: "v1")
        let pods = try #require(core.first { $0.name == "pods" })
        #expect(pods.namespaced)
        #expect(pods.kind == "Pod")
        #expect(pods.shortNames.contains("po"))
        #expect(core.contains { $0.name == "pods/status" })

        let preferred = try discovery.serverPreferredResources()
        #expect(preferred.contains { $0.name == "deployments" && $0.group == "apps" })
        #expect(!preferred.contains { $0.isSubresource })
        let namespaced = try discovery.serverPreferredNamespacedResources()
        #expect(!namespaced.contains { $0.name == "namespaces" })
        #expect(namespaced.contains { $0.name == "configmaps" })
    }

    @Test("aggregated and legacy discovery agree")
    func aggregatedMatchesLegacy() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let aggregated = try cluster.client.discovery.serverGroupsAndResources()
        #expect(try cluster.client.discovery.usesAggregatedDiscovery())
        // The legacy endpoints, as an old server would serve them.
        let legacyClient = DiscoveryClient(rest: cluster.client.rest, aggregated: false)
        let legacy = try legacyClient.serverGroupsAndResources()
        #expect(try !legacyClient.usesAggregatedDiscovery())
        #expect(legacy.groups.map(\.name) == aggregated.groups.map(\.name))
        #expect(legacy.groups.map(\.preferredVersion) == aggregated.groups.map(\.preferredVersion))
        for (apiVersion, resources) in aggregated.resources {
            let legacyResources = legacy.resources[apiVersion] ?? []
            #expect(Set(legacyResources.map(\.name)) == Set(resources.map(\.name)), "\(apiVersion)")
            for resource in resources where !resource.isSubresource {
                let match = legacyResources.first { $0.name == resource.name }
                #expect(match?.kind == resource.kind, "\(apiVersion) \(resource.name)")
                #expect(match?.namespaced == resource.namespaced, "\(apiVersion) \(resource.name)")
                #expect(match?.shortNames == resource.shortNames, "\(apiVersion) \(resource.name)")
            }
        }
        #expect(try legacyClient.serverPreferredResources().count == cluster.client.discovery.serverPreferredResources().count)
        #expect(try legacyClient.failedGroupVersions().isEmpty)
    }

    @Test("the REST mapper maps kinds, plurals, singulars and short names")
    func restMapper() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let mapper = cluster.client.mapper
        let deployment = try mapper.mapping(for: GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"))
        #expect(deployment.resource == TestCluster.deployments)
        #expect(deployment.namespaced)
        #expect(try mapper.mapping(kind: "Namespace", group: "").namespaced == false)
        #expect(try mapper.mapping(forResource: "deploy").resource == TestCluster.deployments)
        #expect(try mapper.mapping(forResource: "deployment").resource == TestCluster.deployments)
        #expect(try mapper.mapping(forResource: "deployments.apps").resource == TestCluster.deployments)
        #expect(try mapper.mapping(forResource: "cm").resource == TestCluster.configMaps)
        #expect(try mapper.kind(for: TestCluster.configMaps).kind == "ConfigMap")
        #expect {
            try mapper.mapping(for: GroupVersionKind(group: "example.com", version: "v1", kind: "Nothing"))
        } throws: { ($0 as? KubeError)?.isNotFound == true }
    }
}
