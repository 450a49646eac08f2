import CKubeABI
import KubeClient

// kc_config: constructors, accessors, destructor.

@_cdecl("kc_config_load")
public func kc_config_load(_ path: UnsafePointer<CChar>?, _ context: UnsafePointer<CChar>?,
                           _ masterURL: UnsafePointer<CChar>?, _ namespace: UnsafePointer<CChar>?,
                           _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        let config = try RESTConfig.load(path: try CStrings.optional(path, "path"), context: try CStrings.optional(context, "context"),
                                         masterURL: try CStrings.optional(masterURL, "master_url"),
                                         namespace: try CStrings.optional(namespace, "namespace_name"))
        out.pointee = ConfigHandle.table.register(try ConfigHandle(config))
    }
}

@_cdecl("kc_config_in_cluster")
public func kc_config_in_cluster(_ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        out.pointee = ConfigHandle.table.register(try ConfigHandle(RESTConfig.inCluster()))
    }
}

@_cdecl("kc_config_host")
public func kc_config_host(_ config: OpaquePointer?) -> UnsafePointer<CChar>? {
    do {
        let handle = try ConfigHandle.table.lookup(config)
        ErrorRecord.clear()
        return UnsafePointer(handle.host)
    } catch {
        ErrorRecord.set(ErrorDescription(error))
        return nil
    }
}

@_cdecl("kc_config_namespace")
public func kc_config_namespace(_ config: OpaquePointer?) -> UnsafePointer<CChar>? {
    do {
        let handle = try ConfigHandle.table.lookup(config)
        ErrorRecord.clear()
        return UnsafePointer(handle.namespace)
    } catch {
        ErrorRecord.set(ErrorDescription(error))
        return nil
    }
}

@_cdecl("kc_config_free")
public func kc_config_free(_ config: OpaquePointer?) {
    _ = ConfigHandle.table.remove(config)
}
