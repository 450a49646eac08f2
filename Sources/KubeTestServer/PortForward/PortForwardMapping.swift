/// One pod port and the TCP endpoint behind it, as the CLI spells it:
/// `[NAMESPACE/]POD:PORT=HOST:PORT` (e.g. `default/web:8080=127.0.0.1:9000`, `web:80=[::1]:8080`).
public struct PortForwardMapping: Sendable, Equatable, CustomStringConvertible {
    public var namespace: String
    public var pod: String
    public var port: Int
    public var host: String
    public var targetPort: Int

    public init(namespace: String = "default", pod: String, port: Int, host: String, targetPort: Int) {
        self.namespace = namespace
        self.pod = pod
        self.port = port
        self.host = host
        self.targetPort = targetPort
    }

    /// Parses `[NAMESPACE/]POD:PORT=HOST:PORT`; throws `KubeTestServerError` naming what is wrong.
    public init(parsing text: String) throws {
        let sides = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard sides.count == 2 else {
            throw KubeTestServerError("--port-forward \(text): expected [NAMESPACE/]POD:PORT=HOST:PORT")
        }
        let (podSide, targetSide) = (String(sides[0]), String(sides[1]))
        guard let podColon = podSide.lastIndex(of: ":"), let port = Self.port(podSide[podSide.index(after: podColon)...]) else {
            throw KubeTestServerError("--port-forward \(text): expected POD:PORT before '=' (port 1-65535)")
        }
        let qualified = podSide[..<podColon]
        let parts = qualified.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
            throw KubeTestServerError("--port-forward \(text): expected [NAMESPACE/]POD before ':'")
        }
        guard let targetColon = targetSide.lastIndex(of: ":"),
              let targetPort = Self.port(targetSide[targetSide.index(after: targetColon)...]) else {
            throw KubeTestServerError("--port-forward \(text): expected HOST:PORT after '=' (port 1-65535)")
        }
        var host = String(targetSide[..<targetColon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw KubeTestServerError("--port-forward \(text): the target host is empty") }
        self.init(namespace: parts.count == 2 ? String(parts[0]) : "default", pod: String(parts[parts.count - 1]),
                  port: port, host: host, targetPort: targetPort)
    }

    public var description: String {
        let target = host.contains(":") ? "[\(host)]" : host
        return "\(namespace)/\(pod):\(port)=\(target):\(targetPort)"
    }

    private static func port(_ text: Substring) -> Int? {
        guard let value = Int(text), (1...65_535).contains(value) else { return nil }
        return value
    }
}
