import CKubeABI
import KubeClient
import KubeCore
import KubeRuntime

// kc_informer lister and index queries: read the cache, return JSON text.

@_cdecl("kc_informer_get")
public func kc_informer_get(_ informer: OpaquePointer?, _ namespace: UnsafePointer<CChar>?, _ name: UnsafePointer<CChar>?,
                            _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let handle = try InformerHandle.table.lookup(informer)
        let objectName = try CStrings.nonEmpty(name, "name")
        let lister = handle.informer.lister.namespace(try CStrings.optional(namespace, "namespace_name") ?? "")
        guard let object = lister.get(objectName) else {
            let scope = try CStrings.optional(namespace, "namespace_name").map { " in namespace \($0)" } ?? ""
            throw CABIError(status: KC_ERR_NOT_FOUND, message: "\"\(objectName)\"\(scope) is not in the informer's cache")
        }
        out.pointee = try object.withJSONBytes { (json) throws(CABIError) in try CStrings.allocate(json) }
    }
}

@_cdecl("kc_informer_list")
public func kc_informer_list(_ informer: OpaquePointer?, _ namespace: UnsafePointer<CChar>?,
                             _ labelSelector: UnsafePointer<CChar>?,
                             _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let handle = try InformerHandle.table.lookup(informer)
        var selector = LabelSelector.everything
        if let text = try CStrings.optional(labelSelector, "label_selector") {
            do {
                selector = try LabelSelector(parsing: text)
            } catch {
                throw CABIError.invalidArgument("label_selector: \(error)")
            }
        }
        let lister = handle.informer.lister
        let objects = try CStrings.optional(namespace, "namespace_name").map { lister.namespace($0).list(selector) } ?? lister.list(selector)
        out.pointee = try CStrings.allocate(InformerJSON.array(objects))
    }
}

@_cdecl("kc_informer_by_index")
public func kc_informer_by_index(_ informer: OpaquePointer?, _ indexName: UnsafePointer<CChar>?,
                                 _ value: UnsafePointer<CChar>?,
                                 _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let handle = try InformerHandle.table.lookup(informer)
        let name = try CStrings.nonEmpty(indexName, "index_name")
        let indexValue = try CStrings.required(value, "value")
        out.pointee = try CStrings.allocate(InformerJSON.array(handle.informer.indexer.byIndex(name, indexValue)))
    }
}

@_cdecl("kc_informer_index_keys")
public func kc_informer_index_keys(_ informer: OpaquePointer?, _ indexName: UnsafePointer<CChar>?,
                                   _ value: UnsafePointer<CChar>?,
                                   _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "out_json")
        let handle = try InformerHandle.table.lookup(informer)
        let name = try CStrings.nonEmpty(indexName, "index_name")
        let indexValue = try CStrings.required(value, "value")
        let keys = try handle.informer.indexer.indexKeys(name, indexValue).sorted()
        out.pointee = try CStrings.allocate(JSON.array(keys.map { .string($0) }).serializedBytes())
    }
}

/// JSON text of cached objects, concatenated from their bytes (no parse).
enum InformerJSON {
    static func array(_ objects: [CachedObject]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(objects.reduce(2) { $0 + $1.jsonByteCount + 1 })
        for (i, object) in objects.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            object.withJSONBytes { out.append(contentsOf: $0) }
        }
        out.append(UInt8(ascii: "]"))
        return out
    }
}
