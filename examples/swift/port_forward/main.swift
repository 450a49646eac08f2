// kubectl port-forward POD [LOCAL]:REMOTE, in Swift: a local listener forwarding every
// connection to the pod's port until Ctrl-C.
// Usage: swift run port_forward [--kubeconfig path] [--master url] [--context name]
//                               [-n namespace] [--address addr] POD [LOCAL]:REMOTE | PORT
import ArgumentParser
import ExampleSupport
import Foundation
import KubeClient

struct Arguments: ExampleArguments {
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .shortAndLong, help: "The pod's namespace (default: the kubeconfig's).") var namespace: String?
    @Option(help: "The local address to listen on.") var address = "127.0.0.1"
    @Argument(help: "The pod.") var pod: String
    @Argument(help: "PORT (the same on both sides), LOCAL:REMOTE, or :REMOTE (any free local port).") var ports: String

    /// (local, remote) as kubectl reads them: "8080" is 8080 -> 8080, ":8080" a free port -> 8080.
    func portPair() throws -> (UInt16, UInt16) {
        let parts = ports.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1: if let port = UInt16(parts[0]), port > 0 { return (port, port) }
        case 2:
            if let remote = UInt16(parts[1]), remote > 0, let local = parts[0].isEmpty ? 0 : UInt16(parts[0]) {
                return (local, remote)
            }
        default: break
        }
        throw ValidationError("ports must be REMOTE or LOCAL:REMOTE, not \(ports)")
    }
}

func run() throws {
    let arguments = Arguments.parseOrExit()
    let (local, remote) = try arguments.portPair()
    // Ctrl-C / SIGTERM are blocked before any thread starts (threads inherit the mask), so
    // only sigwait below receives them and the forwarder can be stopped cleanly.
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGTERM)
    pthread_sigmask(SIG_BLOCK, &signals, nil)
    let config = try arguments.connection.loadConfig(namespace: arguments.namespace)
    let client = try KubeClient(config: config)
    let forwarder = try client.startPortForwarder(namespace: config.namespace, pod: arguments.pod,
                                                  address: arguments.address, localPort: local, remotePort: remote)
    // Written unbuffered: scripts wait for this line to learn the port.
    FileHandle.standardOutput.write(Data("Forwarding from \(arguments.address):\(forwarder.localPort) -> \(remote)\n".utf8))
    // Stopping closes every forwarded connection.
    var received: Int32 = 0
    sigwait(&signals, &received)
    forwarder.stop()
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
