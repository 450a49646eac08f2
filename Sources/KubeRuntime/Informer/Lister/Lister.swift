import KubeClient
import KubeCore

/// Reads an informer's cache: list with a label selector, get by name, by namespace.
///
/// Reads never touch the API server; they see the cache as of the call (eventually
/// consistent with the server). What they return are values the cache cannot change.
public struct Lister: Sendable {
    let indexer: Indexer

    public init(indexer: Indexer) {
        self.indexer = indexer
    }

    /// Every cached object matching `selector`, in every namespace.
    public func list(_ selector: LabelSelector = .everything) -> [CachedObject] {
        let all = indexer.list()
        if selector.isEmpty { return all }
        return all.filter { selector.matches($0.labels) }
    }

    /// A cluster-scoped object by name (or any object by its `namespace/name` key).
    public func get(_ name: String) -> CachedObject? {
        indexer.get(key: name)
    }

    /// A lister restricted to one namespace.
    public func namespace(_ namespace: String) -> NamespaceLister {
        NamespaceLister(indexer: indexer, namespace: namespace)
    }
}

/// A lister for the objects of one namespace.
public struct NamespaceLister: Sendable {
    let indexer: Indexer
    /// The namespace this lister reads.
    public let namespace: String

    /// The namespace's cached objects matching `selector`.
    public func list(_ selector: LabelSelector = .everything) -> [CachedObject] {
        // The namespace index always exists, so this cannot throw.
        let objects = (try? indexer.byIndex(Indexer.namespaceIndex, namespace)) ?? []
        if selector.isEmpty { return objects }
        return objects.filter { selector.matches($0.labels) }
    }

    /// The cached object `name` in this namespace.
    public func get(_ name: String) -> CachedObject? {
        indexer.get(key: ObjectKey.make(namespace: namespace, name: name))
    }
}
