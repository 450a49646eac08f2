#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKubeABI
import KubeClient
import KubeCore

// kc_list_items / kc_list_all_items (include/kubeclient.h): a LIST answered as its items'
// byte ranges, split once here (`SplitListText`), so that a binding can wrap each item without
// parsing the list (the Python binding's `list(lazy=True)`).

@_cdecl("kc_list_items")
public func kc_list_items(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                          _ namespace: UnsafePointer<CChar>?, _ options: UnsafePointer<kc_list_options>?,
                          _ outListJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                          _ outItemsText: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                          _ outSpans: UnsafeMutablePointer<UnsafeMutablePointer<Int>?>?,
                          _ outCount: UnsafeMutablePointer<Int>?) -> kc_status {
    outCount?.pointee = 0
    return cabiCall {
        let outs = try SplitListOutputs(outListJSON, outItemsText, outSpans, outCount)
        let target = try ResourceTarget(client, apiVersion, resource, namespace)
        try target.requireNoSubresource()
        let body = try target.dynamic.listRaw(ListOptions(options))
        var split = SplitListText()
        try split.add(page: body, what: target.dynamic.resource.groupResource, inPlace: true)
        try outs.emit(split)
    }
}

@_cdecl("kc_list_all_items")
public func kc_list_all_items(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
                              _ namespace: UnsafePointer<CChar>?, _ options: UnsafePointer<kc_list_options>?,
                              _ outListJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                              _ outItemsText: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                              _ outSpans: UnsafeMutablePointer<UnsafeMutablePointer<Int>?>?,
                              _ outCount: UnsafeMutablePointer<Int>?) -> kc_status {
    outCount?.pointee = 0
    return cabiCall {
        let outs = try SplitListOutputs(outListJSON, outItemsText, outSpans, outCount)
        let target = try ResourceTarget(client, apiVersion, resource, namespace)
        try target.requireNoSubresource()
        try outs.emit(try allPages(target.dynamic, ListOptions(options)))
    }
}

/// Every page's items (`DynamicResource.listPagesRaw` follows the continue tokens): the list's
/// own members from the last page; an expired token (410) mid-way starts over with one
/// unpaged list, as `kc_list_all` does.
private func allPages(_ dynamic: DynamicResource, _ options: ListOptions) throws(KubeError) -> SplitListText {
    let what = dynamic.resource.groupResource
    var split = SplitListText()
    var pages = 0
    do throws(KubeError) {
        try dynamic.listPagesRaw(options, pageSize: options.limit ?? 500) { (body) throws(KubeError) in
            pages += 1
            _ = try split.add(page: body, what: what, inPlace: false)
        }
        return split
    } catch {
        guard error.isGone, pages > 0 else { throw error }
        var full = options
        full.limit = nil
        full.continueToken = nil
        var whole = SplitListText()
        _ = try whole.add(page: try dynamic.listRaw(full), what: what, inPlace: true)
        return whole
    }
}

/// The four out-parameters of kc_list_items / kc_list_all_items: all cleared up front, all
/// set together (or none: a failed allocation frees the ones already made).
private struct SplitListOutputs {
    let listJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    let itemsText: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    let spans: UnsafeMutablePointer<UnsafeMutablePointer<Int>?>
    let count: UnsafeMutablePointer<Int>

    init(_ listJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
         _ itemsText: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
         _ spans: UnsafeMutablePointer<UnsafeMutablePointer<Int>?>?,
         _ count: UnsafeMutablePointer<Int>?) throws(CABIError) {
        // Every out-parameter is cleared before any is checked, so a failure leaves no stale value.
        listJSON?.pointee = nil
        itemsText?.pointee = nil
        spans?.pointee = nil
        self.listJSON = try requireOut(listJSON, "out_list_json")
        self.itemsText = try requireOut(itemsText, "out_items_text")
        self.spans = try requireOut(spans, "out_spans")
        guard let count else { throw .invalidArgument("out_count is NULL") }
        self.count = count
    }

    func emit(_ split: SplitListText) throws(CABIError) {
        let shell = try Self.copy(split.shell)
        let text: UnsafeMutablePointer<CChar>
        do {
            text = try Self.copy(split.text)
        } catch {
            free(shell)
            throw error
        }
        guard let spanMemory = malloc(max(1, split.spans.count) * MemoryLayout<Int>.stride) else {
            free(shell)
            free(text)
            throw .internalError("out of memory (\(split.spans.count / 2) list items)")
        }
        let spanArray = spanMemory.bindMemory(to: Int.self, capacity: max(1, split.spans.count))
        split.spans.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { spanArray.initialize(from: base, count: source.count) }
        }
        listJSON.pointee = shell
        itemsText.pointee = text
        spans.pointee = spanArray
        count.pointee = split.spans.count / 2
    }

    /// A malloc'd NUL-terminated copy with one memcpy (a 70 MB list body copied element by
    /// element through a generic collection cost as much as splitting it).
    private static func copy(_ bytes: [UInt8]) throws(CABIError) -> UnsafeMutablePointer<CChar> {
        guard let raw = malloc(bytes.count + 1) else { throw .internalError("out of memory (\(bytes.count) bytes)") }
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { memcpy(raw, base, source.count) }
        }
        raw.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        return raw.assumingMemoryBound(to: CChar.self)
    }
}
