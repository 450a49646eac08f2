import KubeClient
import KubeCore

/// What the informer does to each object before caching it (client-go's transform).
///
/// `dropManagedFields` works on the bytes directly and costs almost nothing; a custom
/// transform parses the object into a `JSON` tree, lets you edit it, and serializes it back.
public struct ObjectTransform: Sendable {
    var dropsManagedFields: Bool
    var custom: (@Sendable (inout JSON) -> Void)?

    /// Cache objects as they come.
    public static let none = ObjectTransform(dropsManagedFields: false, custom: nil)
    /// Cut `metadata.managedFields` out of every object (often half of its size).
    public static let dropManagedFields = ObjectTransform(dropsManagedFields: true, custom: nil)

    /// Edit each object as a JSON tree; with `dropManagedFields` the cut happens first.
    public static func custom(dropManagedFields: Bool = false, _ edit: @escaping @Sendable (inout JSON) -> Void) -> ObjectTransform {
        ObjectTransform(dropsManagedFields: dropManagedFields, custom: edit)
    }

    /// Turns raw object bytes into a cache entry.
    func makeObject(_ bytes: [UInt8]) throws(KubeError) -> CachedObject {
        let object = try CachedObject(compactBytes: compactJSON(bytes), dropManagedFields: dropsManagedFields)
        guard let custom else { return object }
        var json = try object.json()
        custom(&json)
        return try CachedObject(compactBytes: json.serializedBytes(), dropManagedFields: false)
    }
}
