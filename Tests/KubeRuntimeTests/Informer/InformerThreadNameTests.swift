import Foundation
import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime
import KubeTestSupport

/// Informer threads carry their resource and namespace as OS thread names, so `top -H`,
/// gdb, py-spy and crash reports tell them apart.
@Suite("Informer thread names")
struct InformerThreadNameTests {
    /// The names of the process's threads, as the kernel reports them.
    static func systemThreadNames() -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { task in
            (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test("reflector, processor and handler threads are named by resource and namespace")
    func namedThreads() throws {
        let cluster = try InformerServerTests.Cluster()
        defer { cluster.stop() }
        cluster.put("default", "one", "1")
        let factory = InformerFactory(client: cluster.client)
        defer { factory.shutdown() }
        let informer = try factory.informer(for: InformerServerTests.configMaps, namespace: "default")
        let rec = Recorder()
        try informer.addHandler(rec.handler)
        // Positive control: before start none of the names exist.
        #expect(!Self.systemThreadNames().contains("r:configmaps/de"))
        try factory.start()
        #expect(factory.waitForSync(timeout: .seconds(20)))
        let names = Self.systemThreadNames()
        // 15 bytes is the kernel's limit: "configmaps/default" is cut, its start kept.
        #expect(names.contains("r:configmaps/de"))
        #expect(names.contains("p:configmaps/de"))
        #expect(names.contains("h:configmaps/de"))
        factory.shutdown()
        #expect(eventually { !Self.systemThreadNames().contains("r:configmaps/de") })
    }

    @Test("OS thread names are cut to 15 bytes at a character boundary, control characters replaced")
    func cutting() {
        #expect(KubeThread.osThreadName("r:configmaps/default") == "r:configmaps/de")
        #expect(KubeThread.osThreadName("h:ééééééééé") == "h:éééééé")
        #expect(KubeThread.osThreadName("a\u{1B}b\nc") == "a?b?c")
        #expect(KubeThread.osThreadName("short") == "short")
    }
}
