#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKubeABI
import KubeCore

// include/kubeclient/object.h: keys and resourceVersions read from an object's bytes.

@_cdecl("kc_object_key")
public func kc_object_key(_ json: UnsafePointer<CChar>?, _ length: Int,
                          _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_key")
        let summary = try objectSummary(json, length)
        if summary.name.isEmpty { throw CABIError.invalidArgument("the object has no metadata.name") }
        out.pointee = try CStrings.allocate(summary.key)
    }
}

@_cdecl("kc_object_resource_version")
public func kc_object_resource_version(_ json: UnsafePointer<CChar>?, _ length: Int,
                                       _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_resource_version")
        out.pointee = try CStrings.allocate(try objectSummary(json, length).resourceVersion)
    }
}

@_cdecl("kc_key_split")
public func kc_key_split(_ key: UnsafePointer<CChar>?,
                         _ outNamespace: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                         _ outName: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        outNamespace?.pointee = nil
        let outName = try requireOut(outName, "out_name")
        let text = try CStrings.required(key, "key")
        guard let parts = ObjectKey.split(text) else {
            throw CABIError.invalidArgument("key \"\(text)\" is not \"namespace/name\" or \"name\"")
        }
        let name = try CStrings.allocate(parts.name)
        if let outNamespace {
            do {
                outNamespace.pointee = try CStrings.allocate(parts.namespace)
            } catch {
                free(name)
                throw error
            }
        }
        outName.pointee = name
    }
}

/// The metadata of the object in the caller's bytes; malformed JSON or a non-object is an
/// invalid argument naming the offset.
private func objectSummary(_ json: UnsafePointer<CChar>?, _ length: Int) throws(CABIError) -> ObjectSummary {
    guard let json else { throw .invalidArgument("object_json is NULL") }
    guard length > 0 else { throw .invalidArgument("object_json is empty") }
    let bytes = UnsafeRawBufferPointer(start: json, count: length)
    let scanner = JSONScanner(bytes)
    do {
        let range = try scanner.valueRange(at: scanner.skipWhitespace(0))
        guard scanner.byte(range.lowerBound) == UInt8(ascii: "{") else {
            throw CABIError.invalidArgument("object_json is not a JSON object")
        }
        if scanner.skipWhitespace(range.upperBound) != scanner.count {
            throw CABIError.invalidArgument("object_json has data after the object (offset \(range.upperBound))")
        }
        return try ObjectSummary(scanning: scanner, objectAt: range)
    } catch let error as CABIError {
        throw error
    } catch {
        throw .invalidArgument("object_json is not valid JSON: \(error)")
    }
}
