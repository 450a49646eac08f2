import Foundation
import KubeCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// An in-memory Kubernetes API server that behaves like kube-apiserver on the wire.
///
/// ```swift
/// let server = try await KubeTestServer.start()
/// // point a client at server.kubeconfigPath (contexts: token, client-cert, read-only)
/// server.failNext(FailureRule(status: 503, count: 2))
/// await server.stop()
/// ```
/// Synchronous code uses `startBlocking(_:)` and `stopBlocking()` (never from an event loop).
/// All methods are thread-safe.
///
/// Over TLS it negotiates HTTP/2 (ALPN `h2`) or HTTP/1.1 as kube-apiserver does
/// (`KubeTestServerOptions.http2`); exec, attach and port-forward upgrade over HTTP/1.1.
public final class KubeTestServer: Sendable {
    /// Base URL, e.g. "https://127.0.0.1:41234".
    public let url: String
    public let host: String
    public let port: Int
    /// The kubeconfig written at start.
    public let kubeconfigPath: String
    public let adminToken: String
    public let readOnlyToken: String
    /// PEM of the generated CA (nil in plain-HTTP mode).
    public let caPEM: String?
    /// PEM certificate and key of the generated client (CN = options.clientCertificateUser, O = system:masters).
    public let clientCertificatePEM: String?
    public let clientKeyPEM: String?

    /// Connections served over HTTP/1.1 (plain HTTP included) and over HTTP/2 since start.
    public var http1Connections: Int { connections.http1Connections }
    public var http2Connections: Int { connections.http2Connections }

    let cluster: Cluster
    let faults: FaultInjector
    private let connections: ConnectionStats
    private let group: MultiThreadedEventLoopGroup
    private let channel: Channel
    private let ownsKubeconfigDirectory: String?

    private init(url: String, host: String, port: Int, kubeconfigPath: String, adminToken: String, readOnlyToken: String,
                 authority: CertificateAuthority?, cluster: Cluster, faults: FaultInjector,
                 group: MultiThreadedEventLoopGroup, channel: Channel, ownsKubeconfigDirectory: String?,
                 connections: ConnectionStats) {
        self.connections = connections
        self.url = url
        self.host = host
        self.port = port
        self.kubeconfigPath = kubeconfigPath
        self.adminToken = adminToken
        self.readOnlyToken = readOnlyToken
        self.caPEM = authority?.caCertificatePEM
        self.clientCertificatePEM = authority?.clientCertificatePEM
        self.clientKeyPEM = authority?.clientKeyPEM
        self.cluster = cluster
        self.faults = faults
        self.group = group
        self.channel = channel
        self.ownsKubeconfigDirectory = ownsKubeconfigDirectory
    }

    /// Starts a server and waits until it accepts connections.
    public static func start(_ options: KubeTestServerOptions = KubeTestServerOptions()) async throws -> KubeTestServer {
        let prepared = try prepare(options)
        let channel = try await prepared.bootstrap.bind(host: options.host, port: options.port).get()
        return try prepared.finish(channel: channel, options: options)
    }

    /// Starts a server from synchronous code (must not run on an event loop).
    public static func startBlocking(_ options: KubeTestServerOptions = KubeTestServerOptions()) throws -> KubeTestServer {
        let prepared = try prepare(options)
        let future = prepared.bootstrap.bind(host: options.host, port: options.port)
        let channel = try Self.waitBlocking(future)
        return try prepared.finish(channel: channel, options: options)
    }

    private static func waitBlocking<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<T, Error>?
        future.whenComplete { r in
            result = r
            done.signal()
        }
        done.wait()
        guard let result else { throw KubeTestServerError("bind did not complete") }
        return try result.get()
    }

    /// Stops accepting connections, ends all watches and shuts the event loops down.
    public func stop() async {
        faults.reset()
        cluster.closeAllWatches(abrupt: true)
        try? await channel.close()
        try? await group.shutdownGracefully()
        removeOwnedKubeconfig()
    }

    /// `stop()` for synchronous code (must not run on an event loop).
    public func stopBlocking() {
        faults.reset()
        cluster.closeAllWatches(abrupt: true)
        _ = try? Self.waitBlocking(channel.close())
        try? group.syncShutdownGracefully()
        removeOwnedKubeconfig()
    }

    private func removeOwnedKubeconfig() {
        if let dir = ownsKubeconfigDirectory { try? FileManager.default.removeItem(atPath: dir) }
    }

    // MARK: start-up

    private struct Prepared {
        let bootstrap: ServerBootstrap
        let group: MultiThreadedEventLoopGroup
        let authority: CertificateAuthority?
        let cluster: Cluster
        let faults: FaultInjector
        let adminToken: String
        let readOnlyToken: String
        let address: AddressBox
        let connections: ConnectionStats

        func finish(channel: Channel, options: KubeTestServerOptions) throws -> KubeTestServer {
            guard let port = channel.localAddress?.port else {
                throw KubeTestServerError("the server socket has no port")
            }
            let hostPart = options.host.contains(":") ? "[\(options.host)]" : options.host
            let urlHost = options.host == "0.0.0.0" ? "127.0.0.1" : (options.host == "::" ? "[::1]" : hostPart)
            address.set("\(urlHost):\(port)")
            let url = "\(options.useTLS ? "https" : "http")://\(urlHost):\(port)"
            var ownedDirectory: String?
            let path: String
            if let given = options.kubeconfigPath {
                path = given
            } else {
                let dir = NSTemporaryDirectory() + "kubeclient-testserver-\(UUID().uuidString.prefix(8))"
                ownedDirectory = dir
                path = dir + "/kubeconfig"
            }
            let text = KubeconfigWriter.render(url: url, caPEM: authority?.caCertificatePEM, adminToken: adminToken,
                                               readOnlyToken: readOnlyToken, clientCertPEM: authority?.clientCertificatePEM,
                                               clientKeyPEM: authority?.clientKeyPEM)
            try KubeconfigWriter.write(text, to: path)
            return KubeTestServer(url: url, host: options.host, port: port, kubeconfigPath: path, adminToken: adminToken,
                                  readOnlyToken: readOnlyToken, authority: authority, cluster: cluster, faults: faults,
                                  group: group, channel: channel, ownsKubeconfigDirectory: ownedDirectory, connections: connections)
        }
    }

    private static func randomToken() -> String {
        (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    private static func prepare(_ options: KubeTestServerOptions) throws -> Prepared {
        let registry = ResourceRegistry(builtIn: ResourceRegistry.builtIn(fromDiscovery: try SchemaStore.discoveryDocument()))
        let cluster = Cluster(registry: registry, historyLimit: options.historyLimit)
        try Seeder.createSystemNamespaces(cluster)
        for file in options.seedFiles {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw KubeTestServerError("cannot read seed file \(file): \(error.localizedDescription)")
            }
            do { try Seeder.seed(text: text, into: cluster) } catch {
                throw KubeTestServerError("seed file \(file): \(error)")
            }
        }
        let faults = FaultInjector()
        let adminToken = options.adminToken ?? randomToken()
        let readOnlyToken = options.readOnlyToken ?? randomToken()
        let address = AddressBox()
        var api = APIHandler(cluster: cluster, faults: faults, adminToken: adminToken, readOnlyToken: readOnlyToken,
                             serverAddressProvider: address)
        api.anonymousIsAdmin = !options.useTLS
        let interval = options.bookmarkInterval.components
        let nanos = interval.seconds * 1_000_000_000 + interval.attoseconds / 1_000_000_000
        let connections = ConnectionStats()
        let context = ServerContext(api: api, faults: faults, bookmarkInterval: .nanoseconds(max(1_000_000, nanos)),
                                    connections: connections)

        var authority: CertificateAuthority?
        var tlsContext: NIOSSLContext?
        if options.useTLS {
            var hosts = ["127.0.0.1", "::1", "localhost"]
            if !hosts.contains(options.host) && options.host != "0.0.0.0" && options.host != "::" { hosts.append(options.host) }
            let ca = try CertificateAuthority(hosts: hosts, clientUser: options.clientCertificateUser)
            authority = ca
            var tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(ca.serverCertificatePEM.utf8)).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(ca.serverKeyPEM.utf8), format: .pem)))
            tls.certificateVerification = .optionalVerification
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(ca.caCertificatePEM.utf8)))
            tls.applicationProtocols = ConnectionPipeline.applicationProtocols(http2: options.http2)
            tlsContext = try NIOSSLContext(configuration: tls)
        }
        let sslContext = tlsContext
        let http2 = options.http2

        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, options.threads))
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                ConnectionPipeline.configure(channel, server: context, sslContext: sslContext, http2: http2)
            }
        return Prepared(bootstrap: bootstrap, group: group, authority: authority, cluster: cluster, faults: faults,
                        adminToken: adminToken, readOnlyToken: readOnlyToken, address: address, connections: connections)
    }
}
