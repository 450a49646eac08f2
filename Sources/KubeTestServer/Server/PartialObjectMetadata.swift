import Foundation
import KubeCore

/// Metadata-only responses (`Accept: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1`),
/// as kube-apiserver answers the metadata client and metadata-only informers.
struct PartialObjectMetadata: Sendable, Hashable {
    /// `meta.k8s.io/v1` or `meta.k8s.io/v1beta1`, as requested.
    var apiVersion: String
    /// The client asked for `PartialObjectMetadataList` rather than `PartialObjectMetadata`.
    var list: Bool

    /// The transformation the Accept header asks for, or nil for the full objects. Media
    /// ranges are taken in order, the first one this server can serve wins: a plain JSON
    /// (or wildcard) range means full objects; protobuf and other `as=` targets are skipped
    /// (a Table is picked by `TablePrinter.requested` before this is consulted).
    static func requested(by accept: String?) -> PartialObjectMetadata? {
        guard let accept else { return nil }
        for range in MediaRange.parse(accept) {
            guard let target = range.parameters["as"] else {
                if range.isJSON { return nil }
                continue
            }
            guard range.isJSON, target == "PartialObjectMetadata" || target == "PartialObjectMetadataList",
                  let v = range.metaVersion else { continue }
            return PartialObjectMetadata(apiVersion: "meta.k8s.io/" + v, list: target == "PartialObjectMetadataList")
        }
        return nil
    }

    /// kube-apiserver's 406 when the requested form does not fit the endpoint (a list for one
    /// object or the reverse).
    func check(isList: Bool, resource: ResourceInfo) throws(Status) {
        if list && !isList {
            throw Status.notAcceptable("you requested PartialObjectMetadataList, but the requested object is not a list (\(resource.kind))")
        }
        if !list && isList {
            throw Status.notAcceptable("you requested PartialObjectMetadata, but the requested object is a list (\(resource.listKind))")
        }
    }

    /// One object reduced to its metadata.
    func object(_ metadata: JSON?) -> JSON {
        ["apiVersion": .string(apiVersion), "kind": "PartialObjectMetadata", "metadata": metadata ?? .object([:])]
    }

    func bytes(_ object: StoredObject) -> [UInt8] {
        self.object(object.json["metadata"]).serializedBytes()
    }

    /// A list page as `PartialObjectMetadataList`.
    func listBytes(_ page: ListPage) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"apiVersion":""#.utf8)
        out.append(contentsOf: apiVersion.utf8)
        out.append(contentsOf: #"","items":["#.utf8)
        var first = true
        for item in page.items {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(contentsOf: bytes(item))
        }
        out.append(contentsOf: #"],"kind":"PartialObjectMetadataList","metadata":"#.utf8)
        ListEncoder.listMetadata(page).write(to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
