// Kubeconfig loader (KubeClient/Config): parse the bytes as a kubeconfig file, then build the
// REST config of every context as a client would. File references (certificate-authority,
// client-certificate, client-key, tokenFile) are dropped first, so the target reads nothing
// but its input.
//
// Oracle: merging a config into itself changes nothing (client-go's first-wins rule).
@testable import KubeClient
import KubeCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    guard var config = try? Kubeconfig.parse(text, path: "/fuzz/config") else { return 0 }
    var merged = config
    merged.merge(config)
    guard merged == config else { fuzzFailure("merging a kubeconfig into itself changed it") }

    for name in Array(config.clusters.keys) {
        config.clusters[name]?.certificateAuthority = nil
    }
    for name in Array(config.authInfos.keys) {
        config.authInfos[name]?.clientCertificate = nil
        config.authInfos[name]?.clientKey = nil
        config.authInfos[name]?.tokenFile = nil
    }
    _ = String(describing: config)
    _ = try? config.restConfig()
    // A bounded number of contexts: each one is cheap, but inputs can define thousands.
    for name in config.contexts.keys.sorted().prefix(8) {
        if let rest = try? config.restConfig(overrides: KubeconfigOverrides(context: name)) {
            _ = String(describing: rest)
        }
    }
    return 0
}
