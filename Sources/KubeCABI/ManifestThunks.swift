import CKubeABI
import KubeClient
import KubeCore

// Manifests: `kubectl apply --server-side -f` for text.

@_cdecl("kc_apply_manifest")
public func kc_apply_manifest(_ client: OpaquePointer?, _ manifest: UnsafePointer<CChar>?,
                              _ defaultNamespace: UnsafePointer<CChar>?, _ options: UnsafePointer<kc_apply_options>?,
                              _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let handle = try ClientHandle.table.lookup(client)
        let text = try CStrings.required(manifest, "manifest")
        let applyOptions = try ApplyOptions(options)
        if applyOptions.dryRun {
            throw CABIError.invalidArgument("dry_run is not supported for manifests")
        }
        if applyOptions.fieldValidation != nil {
            throw CABIError.invalidArgument("field_validation is not supported for manifests")
        }
        let applied = try handle.client.applyManifest(text, fieldManager: applyOptions.fieldManager,
                                                      force: applyOptions.force,
                                                      namespace: try CStrings.optional(defaultNamespace, "default_namespace"))
        let json = JSON.array(applied.map(\.object))
        out.pointee = try CStrings.allocate(json.serializedBytes())
    }
}
