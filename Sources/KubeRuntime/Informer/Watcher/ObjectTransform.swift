import KubeClient
import KubeCore

/// What the informer does to each object before caching it (client-go's transform).
///
/// `dropManagedFields` works on the bytes directly and costs almost nothing; a custom
/// transform parses the object into a `JSON` tree, lets you edit it, and serializes it back.
public struct ObjectTransform: Sendable {
    var dropsManagedFields: Bool
    var custom: (@Sendable (inout JSON) -> Void)?
    var keepsMetadataOnly = false

    /// Cache objects as they come.
    public static let none = ObjectTransform(dropsManagedFields: false, custom: nil)
    /// Cut `metadata.managedFields` out of every object (often half of its size).
    public static let dropManagedFields = ObjectTransform(dropsManagedFields: true, custom: nil)

    /// Keep only `apiVersion`, `kind` and `metadata` (without managedFields): the
    /// metadata-only informer, for programs that need names, labels and owners. The cut
    /// happens on the bytes before caching, so the cache holds a fraction of each object.
    public static let metadataOnly = ObjectTransform(dropsManagedFields: true, custom: nil, keepsMetadataOnly: true)

    /// Edit each object as a JSON tree; with `dropManagedFields` the cut happens first.
    public static func custom(dropManagedFields: Bool = false, _ edit: @escaping @Sendable (inout JSON) -> Void) -> ObjectTransform {
        ObjectTransform(dropsManagedFields: dropManagedFields, custom: edit)
    }

    /// Turns raw object bytes into a cache entry.
    func makeObject(_ bytes: [UInt8]) throws(KubeError) -> CachedObject {
        // The cache's encoding compacts the JSON itself, in the same pass as it drops
        // managedFields: one copy of each object.
        let source = keepsMetadataOnly ? try Self.metadataMembers(of: compactJSON(bytes)) : bytes
        let object = try CachedObject(compactBytes: source, dropManagedFields: dropsManagedFields)
        guard let custom else { return object }
        var json = try object.json()
        custom(&json)
        return try CachedObject(compactBytes: json.serializedBytes(), dropManagedFields: false)
    }

    /// The object reduced to its `apiVersion`, `kind` and `metadata` members (compact input).
    static func metadataMembers(of bytes: [UInt8]) throws(KubeError) -> [UInt8] {
        do throws(JSONError) {
            return try bytes.withUnsafeBufferPointer { (buf) throws(JSONError) -> [UInt8] in
                var kept: [Range<Int>] = []
                var scanner = JSONScanner(buf)
                try scanner.forEachMember { (s: inout JSONScanner, key: Range<Int>) throws(JSONError) in
                    let start = key.lowerBound - 1
                    try s.skipValue()
                    if s.keyEquals(key, "apiVersion") || s.keyEquals(key, "kind") || s.keyEquals(key, "metadata") {
                        kept.append(start..<s.pos)
                    }
                }
                var out: [UInt8] = [UInt8(ascii: "{")]
                for (i, range) in kept.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[range]))
                }
                out.append(UInt8(ascii: "}"))
                return out
            }
        } catch {
            throw .decoding(error.description)
        }
    }
}
