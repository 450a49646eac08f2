/// Builds User-Agent strings of the form `product/version (os/arch)`, the shape client-go uses.
public enum UserAgent {
    /// The operating system as Go names it (`linux`, `darwin`).
    public static var operatingSystem: String {
        #if os(Linux)
        return "linux"
        #elseif os(macOS)
        return "darwin"
        #else
        return "unknown"
        #endif
    }

    /// The CPU architecture as Go names it (`amd64`, `arm64`).
    public static var architecture: String {
        #if arch(x86_64)
        return "amd64"
        #elseif arch(arm64)
        return "arm64"
        #else
        return "unknown"
        #endif
    }

    /// `product/version (os/arch)`, e.g. `kubeclient/0.1.0 (linux/amd64)`.
    public static func build(product: String = "kubeclient", version: String = kubeclientVersion) -> String {
        "\(product)/\(version) (\(operatingSystem)/\(architecture))"
    }

    /// The default User-Agent: `kubeclient/<kubeclientVersion> (os/arch)`.
    public static let `default`: String = build()
}
