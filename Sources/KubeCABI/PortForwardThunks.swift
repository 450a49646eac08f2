import CKubeABI
import KubeClient
import KubeCore

// Port-forward: one connection as a kc_stream, and kc_port_forwarder, a local listener.

@_cdecl("kc_port_forward_open")
public func kc_port_forward_open(_ client: OpaquePointer?, _ namespace: UnsafePointer<CChar>?, _ pod: UnsafePointer<CChar>?,
                                 _ port: UInt16, _ cancel: OpaquePointer?,
                                 _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        let target = try PodTarget(client, namespace, pod)
        if port == 0 { throw CABIError.invalidArgument("port is 0") }
        // NULL means "not cancellable"; a freed handle is an error, not a silent "no token".
        let token = cancel == nil ? nil : try CancelHandle.table.lookup(cancel).token
        let source = PortForwardSource(connection: try target.handle.client.portForward(
            namespace: target.namespace, pod: target.pod, port: port, cancellation: token))
        let handle: StreamHandle
        do {
            handle = try StreamHandle.pull(source, cancel: token)
        } catch {
            source.stop()
            throw error
        }
        out.pointee = try StreamHandle.register(handle)
    }
}

/// What a `kc_port_forwarder *` points at.
final class PortForwarderHandle: Sendable {
    static let table = HandleTable<PortForwarderHandle>(typeName: "kc_port_forwarder")

    let forwarder: PortForwarder

    init(forwarder: PortForwarder) {
        self.forwarder = forwarder
    }
}

@_cdecl("kc_port_forwarder_start")
public func kc_port_forwarder_start(_ client: OpaquePointer?, _ namespace: UnsafePointer<CChar>?,
                                    _ pod: UnsafePointer<CChar>?, _ address: UnsafePointer<CChar>?, _ localPort: UInt16,
                                    _ remotePort: UInt16, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        let target = try PodTarget(client, namespace, pod)
        let address = try CStrings.optional(address, "address") ?? "127.0.0.1"
        if remotePort == 0 { throw CABIError.invalidArgument("remote_port is 0") }
        let forwarder = try target.handle.client.startPortForwarder(namespace: target.namespace, pod: target.pod,
                                                                    address: address, localPort: localPort,
                                                                    remotePort: remotePort)
        out.pointee = PortForwarderHandle.table.register(PortForwarderHandle(forwarder: forwarder))
    }
}

@_cdecl("kc_port_forwarder_local_port")
public func kc_port_forwarder_local_port(_ forwarder: OpaquePointer?, _ outPort: UnsafeMutablePointer<UInt16>?) -> kc_status {
    cabiCall {
        guard let outPort else { throw CABIError.invalidArgument("out_port is NULL") }
        outPort.pointee = 0
        outPort.pointee = try PortForwarderHandle.table.lookup(forwarder).forwarder.localPort
    }
}

@_cdecl("kc_port_forwarder_stop")
public func kc_port_forwarder_stop(_ forwarder: OpaquePointer?) -> kc_status {
    cabiCall { try PortForwarderHandle.table.lookup(forwarder).forwarder.stop() }
}

@_cdecl("kc_port_forwarder_free")
public func kc_port_forwarder_free(_ forwarder: OpaquePointer?) {
    PortForwarderHandle.table.remove(forwarder)?.forwarder.stop()
}
