import CKubeABI
import KubeClient
import KubeCore

// Discovery: version, groups, resources, preferred resources — JSON out.

@_cdecl("kc_server_version")
public func kc_server_version(_ client: OpaquePointer?,
                              _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let handle = try ClientHandle.table.lookup(client)
        out.pointee = try CStrings.allocate(handle.client.discovery.serverVersion().json.serializedBytes())
    }
}

@_cdecl("kc_server_groups")
public func kc_server_groups(_ client: OpaquePointer?,
                             _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let handle = try ClientHandle.table.lookup(client)
        let groups = try handle.client.discovery.serverGroups()
        out.pointee = try CStrings.allocate(DiscoveryJSON.groupList(groups).serializedBytes())
    }
}

@_cdecl("kc_server_resources")
public func kc_server_resources(_ client: OpaquePointer?, _ groupVersion: UnsafePointer<CChar>?,
                                _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let handle = try ClientHandle.table.lookup(client)
        let apiVersion = try CStrings.nonEmpty(groupVersion, "group_version")
        let resources = try handle.client.discovery.serverResources(forGroupVersion: apiVersion)
        let json = DiscoveryJSON.resourceList(groupVersion: GroupVersion(apiVersion: apiVersion), resources)
        out.pointee = try CStrings.allocate(json.serializedBytes())
    }
}

@_cdecl("kc_server_preferred_resources")
public func kc_server_preferred_resources(_ client: OpaquePointer?,
                                          _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let handle = try ClientHandle.table.lookup(client)
        let resources = try handle.client.discovery.serverPreferredResources()
        out.pointee = try CStrings.allocate(DiscoveryJSON.resourceLists(resources).serializedBytes())
    }
}

@_cdecl("kc_discovery_invalidate")
public func kc_discovery_invalidate(_ client: OpaquePointer?) -> kc_status {
    cabiCall {
        let handle = try ClientHandle.table.lookup(client)
        handle.client.discovery.invalidate()
        handle.client.mapper.reset()
    }
}
