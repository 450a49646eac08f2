import CKubeABI
import KubeClient
import KubeCore

// Discovery: version, groups, resources, preferred resources — JSON out.

@_cdecl("kc_server_version")
public func kc_server_version(_ client: OpaquePointer?,
                              _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "kc_server_version", "out_json")
        let handle = try ClientHandle.table.lookup(client, "kc_server_version")
        out.pointee = try CStrings.allocate(handle.client.discovery.serverVersion().json.serializedBytes())
    }
}

@_cdecl("kc_server_groups")
public func kc_server_groups(_ client: OpaquePointer?,
                             _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "kc_server_groups", "out_json")
        let handle = try ClientHandle.table.lookup(client, "kc_server_groups")
        let groups = try handle.client.discovery.serverGroups()
        out.pointee = try CStrings.allocate(DiscoveryJSON.groupList(groups).serializedBytes())
    }
}

@_cdecl("kc_server_resources")
public func kc_server_resources(_ client: OpaquePointer?, _ groupVersion: UnsafePointer<CChar>?,
                                _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "kc_server_resources", "out_json")
        let handle = try ClientHandle.table.lookup(client, "kc_server_resources")
        let apiVersion = try CStrings.nonEmpty(groupVersion, "kc_server_resources", "group_version")
        let resources = try handle.client.discovery.serverResources(forGroupVersion: apiVersion)
        let json = DiscoveryJSON.resourceList(groupVersion: GroupVersion(apiVersion: apiVersion), resources)
        out.pointee = try CStrings.allocate(json.serializedBytes())
    }
}

@_cdecl("kc_server_preferred_resources")
public func kc_server_preferred_resources(_ client: OpaquePointer?,
                                          _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "kc_server_preferred_resources", "out_json")
        let handle = try ClientHandle.table.lookup(client, "kc_server_preferred_resources")
        let resources = try handle.client.discovery.serverPreferredResources()
        out.pointee = try CStrings.allocate(DiscoveryJSON.resourceLists(resources).serializedBytes())
    }
}

@_cdecl("kc_discovery_invalidate")
public func kc_discovery_invalidate(_ client: OpaquePointer?) -> kc_status {
    cabiCall {
        let handle = try ClientHandle.table.lookup(client, "kc_discovery_invalidate")
        handle.client.discovery.invalidate()
        handle.client.mapper.reset()
    }
}
