/// The key under which caches, listers and workqueues file an object: "namespace/name", or
/// "name" for a cluster-scoped one (client-go's MetaNamespaceKeyFunc and SplitMetaNamespaceKey).
/// One definition, so that a key made by an informer is the key a lister and the C API split.
public enum ObjectKey {
    public static func make(namespace: String, name: String) -> String {
        namespace.isEmpty ? name : namespace + "/" + name
    }

    /// The namespace ("" when cluster-scoped) and name of `key`; nil for a key with more than
    /// one "/" or an empty name, which no object has.
    public static func split(_ key: String) -> (namespace: String, name: String)? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1 where !key.isEmpty: return ("", key)
        case 2 where !parts[1].isEmpty: return (String(parts[0]), String(parts[1]))
        default: return nil
        }
    }
}
