import ArgumentParser
import Foundation
import KubeTestServer

/// `kubeclient-testserver`: runs the in-memory Kubernetes API server until SIGINT/SIGTERM.
/// The first line of stdout is the server URL.
struct TestServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubeclient-testserver",
        abstract: "An in-memory Kubernetes API server for tests.")

    @Option(help: "Port to listen on (0 = any free port).")
    var port: Int = 0

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Flag(help: "Serve plain HTTP instead of HTTPS.")
    var http = false

    @Flag(name: .customLong("no-http2"), help: "Offer only HTTP/1.1 in TLS ALPN (HTTP/2 is offered by default, as kube-apiserver does).")
    var noHTTP2 = false

    @Option(name: .customLong("kubeconfig-out"), help: "Where to write the kubeconfig (default: a temporary file, path printed on the second line).")
    var kubeconfigOut: String?

    @Option(parsing: .upToNextOption, help: "Manifest files (YAML or JSON, multi-document) to load at start.")
    var seed: [String] = []

    @Option(help: "Number of changes kept for watch replay; older resourceVersions get 410 Expired.")
    var history: Int = 10_000

    @Option(help: "Seconds between watch BOOKMARK events.")
    var bookmarkInterval: Double = 1

    @Option(help: "Admin bearer token (default: random).")
    var token: String?

    @Option(help: "Read-only bearer token (default: random).")
    var readOnlyToken: String?

    @Option(name: .customLong("port-forward"),
            help: ArgumentHelp("Where a pod port leads for pods/portforward (repeatable).",
                               valueName: "[NAMESPACE/]POD:PORT=HOST:PORT"))
    var portForward: [String] = []

    func validate() throws {
        for spec in portForward {
            do { _ = try PortForwardMapping(parsing: spec) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() throws {
        var options = KubeTestServerOptions()
        options.port = port
        options.host = host
        options.useTLS = !http
        options.http2 = !noHTTP2
        options.kubeconfigPath = kubeconfigOut
        options.seedFiles = seed
        options.historyLimit = history
        options.bookmarkInterval = .milliseconds(Int64(bookmarkInterval * 1000))
        options.adminToken = token
        options.readOnlyToken = readOnlyToken
        let mappings = try portForward.map { try PortForwardMapping(parsing: $0) }
        let server = try KubeTestServer.startBlocking(options)
        for mapping in mappings { server.registerPortForward(mapping) }

        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stop = DispatchSemaphore(value: 0)
        let sources = [SIGINT, SIGTERM].map { sig in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            return source
        }
        print(server.url)
        print("kubeconfig: \(server.kubeconfigPath)")
        fflush(nil)  // all streams: stdout may be a pipe, and the URL must reach the reader now
        stop.wait()
        sources.forEach { $0.cancel() }
        server.stopBlocking()
    }
}

TestServerCommand.main()
