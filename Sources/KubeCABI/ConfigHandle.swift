import KubeClient
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a `kc_config *` points at: an immutable `RESTConfig` plus C copies of the fields the
/// header hands out as borrowed strings.
///
/// `@unchecked Sendable`: `host` and `namespace` are written once in `init`, only read
/// afterwards, and freed in `deinit` when no call can hold the object any more.
final class ConfigHandle: @unchecked Sendable {
    static let table = HandleTable<ConfigHandle>(typeName: "kc_config")

    let config: RESTConfig
    let host: UnsafeMutablePointer<CChar>
    let namespace: UnsafeMutablePointer<CChar>

    init(_ config: RESTConfig) throws(CABIError) {
        self.config = config
        host = try CStrings.allocate(config.host)
        do {
            namespace = try CStrings.allocate(config.namespace)
        } catch {
            free(host)
            throw error
        }
    }

    deinit {
        free(host)
        free(namespace)
    }
}
