import CKubeABI
import KubeClient
import KubeCore

// Every dynamic verb: JSON text in, the server's JSON text out.

/// Hands the server's answer to the caller through `out` (a malloc'd NUL-terminated copy).
/// The header promises JSON: a 2xx answer that is not JSON (a proxy's HTML page, a
/// truncated body) is KC_ERR_DECODE, never KC_OK with text the caller cannot parse.
/// Checked even when `out` is NULL, so the status does not depend on it; checked without
/// building a tree (a 70 MB list would spend most of its time on one only to drop it).
private func emit(_ bytes: [UInt8], _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws(CABIError) {
    do {
        try JSON.validate(bytes: bytes)
    } catch {
        throw CABIError(status: KC_ERR_DECODE, message: "the server's answer is not JSON (\(bytes.count) bytes): \(error)")
    }
    guard let out else { return }
    out.pointee = try CStrings.allocate(bytes)
}

/// Clears an optional out-parameter, so a failing call leaves NULL there.
private func clearOptional(_ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
    out?.pointee = nil
}

@_cdecl("kc_get")
public func kc_get(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                   _ namespace: UnsafePointer<CChar>?, _ name: UnsafePointer<CChar>?,
                   _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let target = try ResourceTarget(client, apiVersion, resource, namespace)
        let name = try CStrings.nonEmpty(name, "name")
        try emit(target.dynamic.getRaw(name, subresource: target.subresource), out)
    }
}

@_cdecl("kc_list")
public func kc_list(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                    _ namespace: UnsafePointer<CChar>?, _ options: UnsafePointer<kc_list_options>?,
                    _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let target = try ResourceTarget(client, apiVersion, resource, namespace)
        try target.requireNoSubresource()
        try emit(target.dynamic.listRaw(ListOptions(options)), out)
    }
}

@_cdecl("kc_list_all")
public func kc_list_all(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                        _ namespace: UnsafePointer<CChar>?, _ options: UnsafePointer<kc_list_options>?,
                        _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let target = try ResourceTarget(client, apiVersion, resource, namespace)
        try target.requireNoSubresource()
        try emit(target.dynamic.listAllBytes(ListOptions(options)), out)
    }
}

/// POST of a new object (kc_create and kc_create_ext share it).
private func create(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                    _ namespace: UnsafePointer<CChar>?, _ body: UnsafePointer<CChar>?,
                    _ options: UnsafePointer<kc_write_options>?,
                    _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let target = try ResourceTarget(client, apiVersion, resource, namespace)
        let object = try ObjectBody.jsonOrYAML(body)
        let write = try WriteOptions(options)
        let name = target.subresource == nil ? nil : try object.name()
        try emit(target.dynamic.createRaw(object.bytes, name: name, subresource: target.subresource,
                                          namespace: object.object.namespace, fieldManager: write.fieldManager,
                                          dryRun: write.dryRun, fieldValidation: write.fieldValidation), out)
    }
}

@_cdecl("kc_create")
public func kc_create(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                      _ namespace: UnsafePointer<CChar>?, _ body: UnsafePointer<CChar>?,
                      _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    create(client, apiVersion, resource, namespace, body, nil, out)
}

@_cdecl("kc_create_ext")
public func kc_create_ext(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                          _ namespace: UnsafePointer<CChar>?, _ body: UnsafePointer<CChar>?,
                          _ options: UnsafePointer<kc_write_options>?,
                          _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    create(client, apiVersion, resource, namespace, body, options, out)
}

/// PUT of the object or one of its subresources (update, update_ext and update_status share it).
private func put(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                 _ namespace: UnsafePointer<CChar>?, _ body: UnsafePointer<CChar>?, status: Bool,
                 _ options: UnsafePointer<kc_write_options>?,
                 _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let target = try ResourceTarget(client, apiVersion, resource, namespace)
        let object = try ObjectBody.jsonOrYAML(body)
        let write = try WriteOptions(options)
        let name = try object.name()
        if status, target.subresource != nil {
            throw CABIError.invalidArgument("give the plain resource; the status subresource is implied")
        }
        let subresource = status ? "status" : target.subresource
        try emit(target.dynamic.updateRaw(name, object.bytes, subresource: subresource,
                                          namespace: object.object.namespace, fieldManager: write.fieldManager,
                                          dryRun: write.dryRun, fieldValidation: write.fieldValidation), out)
    }
}

@_cdecl("kc_update")
public func kc_update(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                      _ namespace: UnsafePointer<CChar>?, _ body: UnsafePointer<CChar>?,
                      _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    put(client, apiVersion, resource, namespace, body, status: false, nil, out)
}

@_cdecl("kc_update_ext")
public func kc_update_ext(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                          _ namespace: UnsafePointer<CChar>?, _ body: UnsafePointer<CChar>?,
                          _ options: UnsafePointer<kc_write_options>?,
                          _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    put(client, apiVersion, resource, namespace, body, status: false, options, out)
}

@_cdecl("kc_update_status")
public func kc_update_status(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?,
                             _ resource: UnsafePointer<CChar>?, _ namespace: UnsafePointer<CChar>?,
                             _ body: UnsafePointer<CChar>?,
                             _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    put(client, apiVersion, resource, namespace, body, status: true, nil, out)
}

/// PATCH of an object (kc_patch and kc_patch_ext share it).
private func patch(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                   _ namespace: UnsafePointer<CChar>?, _ name: UnsafePointer<CChar>?, _ type: kc_patch_type,
                   _ patch: UnsafePointer<CChar>?, _ options: UnsafePointer<kc_write_options>?,
                   _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let target = try ResourceTarget(client, apiVersion, resource, namespace)
        let name = try CStrings.nonEmpty(name, "name")
        guard let patch else { throw CABIError.invalidArgument("patch is NULL") }
        let patchType: PatchType
        switch type {
        case KC_PATCH_JSON: patchType = .json
        case KC_PATCH_MERGE: patchType = .merge
        case KC_PATCH_STRATEGIC: patchType = .strategic
        default: throw CABIError.invalidArgument("unknown patch type \(type.rawValue)")
        }
        let write = try WriteOptions(options)
        try emit(target.dynamic.patchRaw(name, CStrings.bytes(patch), type: patchType,
                                         subresource: target.subresource, options: write.patchOptions), out)
    }
}

@_cdecl("kc_patch")
public func kc_patch(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                     _ namespace: UnsafePointer<CChar>?, _ name: UnsafePointer<CChar>?, _ type: kc_patch_type,
                     _ patchText: UnsafePointer<CChar>?,
                     _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    patch(client, apiVersion, resource, namespace, name, type, patchText, nil, out)
}

@_cdecl("kc_patch_ext")
public func kc_patch_ext(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                         _ namespace: UnsafePointer<CChar>?, _ name: UnsafePointer<CChar>?, _ type: kc_patch_type,
                         _ patchText: UnsafePointer<CChar>?, _ options: UnsafePointer<kc_write_options>?,
                         _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    patch(client, apiVersion, resource, namespace, name, type, patchText, options, out)
}

@_cdecl("kc_apply")
public func kc_apply(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                     _ namespace: UnsafePointer<CChar>?, _ body: UnsafePointer<CChar>?,
                     _ options: UnsafePointer<kc_apply_options>?,
                     _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let target = try ResourceTarget(client, apiVersion, resource, namespace)
        let object = try ObjectBody.manifest(body)
        let name = try object.name()
        try emit(target.dynamic.applyRaw(name, object.bytes, options: ApplyOptions(options),
                                         subresource: target.subresource, namespace: object.object.namespace), out)
    }
}

@_cdecl("kc_delete")
public func kc_delete(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                      _ namespace: UnsafePointer<CChar>?, _ name: UnsafePointer<CChar>?,
                      _ options: UnsafePointer<kc_delete_options>?,
                      _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    clearOptional(out)
    return cabiCall {
        let target = try ResourceTarget(client, apiVersion, resource, namespace)
        try target.requireNoSubresource()
        let name = try CStrings.nonEmpty(name, "name")
        try emit(target.dynamic.deleteRaw(name, options: DeleteOptions(options)), out)
    }
}

@_cdecl("kc_delete_collection")
public func kc_delete_collection(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?,
                                 _ resource: UnsafePointer<CChar>?, _ namespace: UnsafePointer<CChar>?,
                                 _ listOptions: UnsafePointer<kc_list_options>?,
                                 _ options: UnsafePointer<kc_delete_options>?,
                                 _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    clearOptional(out)
    return cabiCall {
        let target = try ResourceTarget(client, apiVersion, resource, namespace)
        try target.requireNoSubresource()
        let gvr = target.dynamic.resource
        var request = APIRequest(method: "DELETE", group: gvr.group, version: gvr.version,
                                 namespace: target.dynamic.namespace, resource: gvr.resource)
        request.addQuery(try ListOptions(listOptions).queryItems)
        request.body = try DeleteOptions(options).json().serializedBytes()
        request.contentType = "application/json"
        try emit(target.handle.client.rest.send(request).body, out)
    }
}
