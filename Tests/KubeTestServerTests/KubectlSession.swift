import Foundation
import KubeCore
import KubeTestServer
import Testing

/// A test server and a kubectl pointed at it through the kubeconfig the server writes, with
/// a home and cache of its own: what the kubectl suites share.
class KubectlSession {
    let server: KubeTestServer
    let home: URL
    let kubectl: String

    init() throws {
        server = try KubeTestServer.startBlocking()
        home = FileManager.default.temporaryDirectory.appendingPathComponent("kts-kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        kubectl = ProcessRunner.find("kubectl") ?? "/usr/bin/kubectl"
    }

    deinit {
        server.stopBlocking()
        try? FileManager.default.removeItem(at: home)
    }

    var environment: [String: String] {
        ["KUBECONFIG": server.kubeconfigPath, "HOME": home.path, "KUBECACHEDIR": home.appendingPathComponent("cache").path]
    }

    @discardableResult
    func run(_ args: [String], stdin: String? = nil) throws -> ProcessRunner.Result {
        try ProcessRunner.run(kubectl, args, environment: environment, stdin: stdin)
    }

    func expectOK(_ args: [String], stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let r = try run(args, stdin: stdin)
        #expect(r.status == 0, "kubectl \(args.joined(separator: " ")): \(r.stderr)", sourceLocation: sourceLocation)
        return r.stdout
    }
}
