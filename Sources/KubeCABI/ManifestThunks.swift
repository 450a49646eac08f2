import CKubeABI
import KubeClient
import KubeCore

// Manifests: `kubectl apply --server-side -f` for text.

@_cdecl("kc_apply_manifest")
public func kc_apply_manifest(_ client: OpaquePointer?, _ manifest: UnsafePointer<CChar>?,
                              _ defaultNamespace: UnsafePointer<CChar>?, _ options: UnsafePointer<kc_apply_options>?,
                              _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "kc_apply_manifest", "out_json")
        let handle = try ClientHandle.table.lookup(client, "kc_apply_manifest")
        let text = try CStrings.required(manifest, "kc_apply_manifest", "manifest")
        let applyOptions = try ApplyOptions(options)
        if applyOptions.dryRun {
            throw CABIError.invalidArgument("kc_apply_manifest: dry_run is not supported for manifests")
        }
        let applied = try handle.client.applyManifest(text, fieldManager: applyOptions.fieldManager,
                                                      force: applyOptions.force,
                                                      namespace: try CStrings.optional(defaultNamespace, "kc_apply_manifest: default_namespace"))
        let json = JSON.array(applied.map(\.object))
        out.pointee = try CStrings.allocate(json.serializedBytes())
    }
}
