import Testing
@testable import KubeClient
import KubeTestSupport

@Suite("Kubeconfig merge invariants")
struct KubeconfigMergeInvariantTests {

    private func randomConfig(_ index: Int, _ random: inout SeededGenerator) -> Kubeconfig {
        var config = Kubeconfig()
        for name in ["a", "b", "c", "d", "e"] where Bool.random(using: &random) {
            config.clusters[name] = Kubeconfig.Cluster(server: "https://\(name)-\(index)")
        }
        for name in ["a", "b", "c", "d", "e"] where Bool.random(using: &random) {
            config.authInfos[name] = Kubeconfig.AuthInfo(token: "\(name)-\(index)")
        }
        for name in ["a", "b", "c", "d", "e"] where Bool.random(using: &random) {
            config.contexts[name] = Kubeconfig.Context(cluster: name, user: name, namespace: "\(index)")
        }
        if Bool.random(using: &random) { config.currentContext = "ctx-\(index)" }
        return config
    }

    @Test("merging random files keeps, for every entry, the value of the first file that set it")
    func firstSetterWins() {
        var random = SeededGenerator(defaultSeed: 42)
        for _ in 0..<2_000 {
            let files = (0..<Int.random(in: 1...5, using: &random)).map { randomConfig($0, &random) }
            var merged = Kubeconfig()
            for file in files { merged.merge(file) }
            for name in ["a", "b", "c", "d", "e"] {
                #expect(merged.clusters[name] == files.lazy.compactMap { $0.clusters[name] }.first)
                #expect(merged.authInfos[name] == files.lazy.compactMap { $0.authInfos[name] }.first)
                #expect(merged.contexts[name] == files.lazy.compactMap { $0.contexts[name] }.first)
            }
            #expect(merged.currentContext == files.lazy.compactMap { $0.currentContext }.first)
        }
    }
}
