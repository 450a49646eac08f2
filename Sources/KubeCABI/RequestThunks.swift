import CKubeABI
import KubeClient
import KubeCore

// Raw requests: any method and path; the HTTP status is data, not an error.

@_cdecl("kc_request")
public func kc_request(_ client: OpaquePointer?, _ method: UnsafePointer<CChar>?, _ path: UnsafePointer<CChar>?,
                       _ body: UnsafePointer<CChar>?, _ bodyLength: Int, _ contentType: UnsafePointer<CChar>?,
                       _ outCode: UnsafeMutablePointer<Int32>?,
                       _ outBody: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                       _ outLength: UnsafeMutablePointer<Int>?) -> kc_status {
    request(client, method, path, body, bodyLength, contentType, nil, outCode, outBody, outLength)
}

@_cdecl("kc_request_ext")
public func kc_request_ext(_ client: OpaquePointer?, _ method: UnsafePointer<CChar>?, _ path: UnsafePointer<CChar>?,
                           _ body: UnsafePointer<CChar>?, _ bodyLength: Int, _ contentType: UnsafePointer<CChar>?,
                           _ cancel: OpaquePointer?, _ outCode: UnsafeMutablePointer<Int32>?,
                           _ outBody: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                           _ outLength: UnsafeMutablePointer<Int>?) -> kc_status {
    request(client, method, path, body, bodyLength, contentType, cancel, outCode, outBody, outLength)
}

/// kc_request and kc_request_ext (with an optional kc_cancel) share it.
private func request(_ client: OpaquePointer?, _ method: UnsafePointer<CChar>?, _ path: UnsafePointer<CChar>?,
                     _ body: UnsafePointer<CChar>?, _ bodyLength: Int, _ contentType: UnsafePointer<CChar>?,
                     _ cancel: OpaquePointer?, _ outCode: UnsafeMutablePointer<Int32>?,
                     _ outBody: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                     _ outLength: UnsafeMutablePointer<Int>?) -> kc_status {
    outCode?.pointee = 0
    outLength?.pointee = 0
    return cabiCall {
        let outBody = try requireOut(outBody, "out_body")
        guard let outCode else { throw CABIError.invalidArgument("out_http_code is NULL") }
        let handle = try ClientHandle.table.lookup(client)
        // NULL means "not cancellable"; a freed handle is an error, not a silent "no token".
        let token = cancel == nil ? nil : try CancelHandle.table.lookup(cancel).token
        let method = try CStrings.nonEmpty(method, "method")
        let path = try CStrings.nonEmpty(path, "path")
        if bodyLength < 0 { throw CABIError.invalidArgument("body_len is negative") }
        var bytes: [UInt8]? = nil
        if let body, bodyLength > 0 {
            bytes = body.withMemoryRebound(to: UInt8.self, capacity: bodyLength) {
                Array(UnsafeBufferPointer(start: $0, count: bodyLength))
            }
        }
        let type = try CStrings.optional(contentType, "content_type") ?? (bytes == nil ? nil : "application/json")
        let code: Int
        let answer: [UInt8]
        do {
            let response = try handle.client.rest.raw(method: method, path: path, body: bytes, contentType: type,
                                                  cancellation: token)
            code = response.statusCode
            answer = response.body
        } catch let error as KubeError {
            // The server answered: its status and Status body are the result, not a failure.
            guard case .api(let status) = error else { throw error }
            code = status.code
            answer = status.json().serializedBytes()
        }
        outBody.pointee = try CStrings.allocate(answer)
        outCode.pointee = Int32(clamping: code)
        outLength?.pointee = answer.count
    }
}
