import KubeClient
import KubeCore
import Testing
import KubeTestSupport

@Suite("Pagination")
struct PaginationTests {
    @Test("listAll follows continue tokens over 2,500 objects")
    func listAllFollowsContinue() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        for index in 0..<2_500 {
            try cluster.server.seed(json: TestCluster.configMap("cm-\(index)", namespace: "bulk").object)
        }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("bulk")

        let firstPage = try configMaps.list(ListOptions(limit: 1_000))
        #expect(firstPage.items.count == 1_000)
        #expect(firstPage.continueToken != nil)

        let all = try configMaps.listAll(pageSize: 300)
        #expect(all.items.count == 2_500)
        #expect(Set(all.items.compactMap(\.name)).count == 2_500)
        #expect(!all.resourceVersion.isEmpty)
        #expect(all.items.allSatisfy { $0.kind == "ConfigMap" && $0.apiVersion == "v1" })

        var pages = 0
        var names = Set<String>()
        let resourceVersion = try configMaps.listPagesRaw(pageSize: 1_000) { page in
            pages += 1
            let summaries = page.withUnsafeBytes { raw -> [String] in
                guard let scan = try? ListScan(bytes: raw) else { return [] }
                return scan.items.compactMap { range in
                    try? ObjectSummary(bytes: UnsafeRawBufferPointer(rebasing: raw[range])).name
                }
            }
            names.formUnion(summaries)
        }
        #expect(pages == 3)
        #expect(names.count == 2_500)
        #expect(!resourceVersion.isEmpty)
    }

    @Test("an expired continue token is 410 Gone")
    func expiredContinue() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        for index in 0..<20 {
            try cluster.server.seed(json: TestCluster.configMap("cm-\(index)").object)
        }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        let page = try configMaps.list(ListOptions(limit: 5))
        let token = try #require(page.continueToken)
        _ = try configMaps.create(TestCluster.configMap("later"))
        cluster.server.compactHistory()
        #expect {
            try configMaps.list(ListOptions(limit: 5, continueToken: token))
        } throws: { ($0 as? KubeError)?.isGone == true }
    }
}
