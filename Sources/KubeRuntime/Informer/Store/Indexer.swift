import KubeClient
import KubeCore

/// Computes the index values of an object for one named index (for example the node
/// name of a pod). Called with the store's lock held: it must be quick and must not call
/// back into the store or the informer that owns it.
public typealias IndexFunction = @Sendable (CachedObject) -> [String]

/// A thread-safe store of objects by key, with indexes.
///
/// Guarantees:
/// - every call is atomic with respect to every other call: readers never see a half-applied
///   update, and `replace(with:)` / `apply(_:)` swap many objects in one step;
/// - the namespace index (`Indexer.namespaceIndex`) is always present;
/// - what a reader gets is a value: later changes to the store never alter it.
public final class Indexer: Sendable {
    /// The built-in index from namespace to keys ("" for cluster-scoped objects).
    public static let namespaceIndex = "namespace"

    /// The object without its key (the dictionary's key is the object's key: holding it
    /// once saves 16 bytes per object).
    private struct Entry {
        var box: StorageBox
        /// Values of user indexes, by index name (empty without user indexes).
        var indexValues: [String: [String]]

        func object(_ key: String) -> CachedObject { CachedObject(key: key, box: box) }
    }

    private struct State {
        var items: [String: Entry] = [:]
        var indexers: [String: IndexFunction] = [:]
        /// index name → index value → keys.
        var indices: [String: [String: Set<String>]] = [Indexer.namespaceIndex: [:]]

        mutating func computeValues(_ object: CachedObject) -> [String: [String]] {
            if indexers.isEmpty { return [:] }
            var values: [String: [String]] = [:]
            for (name, function) in indexers { values[name] = function(object) }
            return values
        }

        mutating func unindex(_ key: String, _ entry: Entry) {
            remove(key, from: Indexer.namespaceIndex, value: entry.object(key).namespace)
            for (name, values) in entry.indexValues {
                for value in values { remove(key, from: name, value: value) }
            }
        }

        mutating func index(_ key: String, _ entry: Entry) {
            indices[Indexer.namespaceIndex, default: [:]][entry.object(key).namespace, default: []].insert(key)
            for (name, values) in entry.indexValues {
                for value in values { indices[name, default: [:]][value, default: []].insert(key) }
            }
        }

        private mutating func remove(_ key: String, from index: String, value: String) {
            guard var set = indices[index]?[value] else { return }
            set.remove(key)
            indices[index]?[value] = set.isEmpty ? nil : set
        }

        @discardableResult
        mutating func upsert(_ object: CachedObject) -> CachedObject? {
            let entry = Entry(box: object.storageBox, indexValues: computeValues(object))
            let old = items.updateValue(entry, forKey: object.key)
            if let old { unindex(object.key, old) }
            index(object.key, entry)
            return old?.object(object.key)
        }

        @discardableResult
        mutating func remove(key: String) -> CachedObject? {
            guard let old = items.removeValue(forKey: key) else { return nil }
            unindex(key, old)
            return old.object(key)
        }
    }

    private let state: Locked<State>

    /// A store with the namespace index and the given user indexes.
    public init(indexers: [String: IndexFunction] = [:]) {
        var initial = State()
        initial.indexers = indexers
        for name in indexers.keys { initial.indices[name] = [:] }
        state = Locked(initial)
    }

    /// Adds user indexes; existing objects are indexed at once.
    /// Throws `invalidArgument` when a name is already taken (including "namespace").
    public func addIndexers(_ indexers: [String: IndexFunction]) throws(KubeError) {
        try state.withLock { (s: inout State) throws(KubeError) in
            for name in indexers.keys where s.indices[name] != nil {
                throw KubeError.invalidArgument("index \"\(name)\" already exists")
            }
            for (name, function) in indexers {
                s.indexers[name] = function
                var index: [String: Set<String>] = [:]
                for (key, var entry) in s.items {
                    let values = function(entry.object(key))
                    entry.indexValues[name] = values
                    s.items[key] = entry
                    for value in values { index[value, default: []].insert(key) }
                }
                s.indices[name] = index
            }
        }
    }

    // MARK: reading

    /// The object with this key (`namespace/name`, or `name` when cluster-scoped).
    public func get(key: String) -> CachedObject? {
        state.withLock { $0.items[key]?.object(key) }
    }

    /// All objects, in no particular order.
    public func list() -> [CachedObject] {
        state.withLock { s in s.items.map { $0.value.object($0.key) } }
    }

    /// All keys, in no particular order.
    public func listKeys() -> [String] {
        state.withLock { s in Array(s.items.keys) }
    }

    /// How many objects the store holds.
    public var count: Int { state.withLock { $0.items.count } }

    /// The objects whose index `indexName` contains `value`.
    /// Throws `invalidArgument` for an unknown index.
    public func byIndex(_ indexName: String, _ value: String) throws(KubeError) -> [CachedObject] {
        try state.withLock { (s: inout State) throws(KubeError) -> [CachedObject] in
            guard let index = s.indices[indexName] else { throw KubeError.invalidArgument("no index \"\(indexName)\"") }
            guard let keys = index[value] else { return [] }
            return keys.compactMap { key in s.items[key]?.object(key) }
        }
    }

    /// The keys whose index `indexName` contains `value`.
    public func indexKeys(_ indexName: String, _ value: String) throws(KubeError) -> [String] {
        try state.withLock { (s: inout State) throws(KubeError) -> [String] in
            guard let index = s.indices[indexName] else { throw KubeError.invalidArgument("no index \"\(indexName)\"") }
            return index[value].map { Array($0) } ?? []
        }
    }

    /// The values present in index `indexName` (for example every namespace that has objects).
    public func indexValues(_ indexName: String) throws(KubeError) -> [String] {
        try state.withLock { (s: inout State) throws(KubeError) -> [String] in
            guard let index = s.indices[indexName] else { throw KubeError.invalidArgument("no index \"\(indexName)\"") }
            return Array(index.keys)
        }
    }

    /// The names of all indexes, the namespace index included.
    public var indexNames: [String] { state.withLock { Array($0.indices.keys) } }

    // MARK: writing

    /// Adds or replaces an object; returns the previous one with the same key.
    @discardableResult
    public func upsert(_ object: CachedObject) -> CachedObject? {
        state.withLock { $0.upsert(object) }
    }

    /// Removes the object with this key; returns it.
    @discardableResult
    public func remove(key: String) -> CachedObject? {
        state.withLock { $0.remove(key: key) }
    }

    /// Replaces the whole contents in one step.
    public func replace(with objects: [CachedObject]) {
        state.withLock { s in
            s.items.removeAll(keepingCapacity: true)
            for name in s.indices.keys { s.indices[name] = [:] }
            for object in objects { s.upsert(object) }
        }
    }

    /// One change in a batch applied by `apply(_:)`.
    public enum Change: Sendable {
        case upsert(CachedObject)
        case remove(key: String)
    }

    /// Applies changes in order, in one step; returns the previous object of each change.
    @discardableResult
    public func apply(_ changes: [Change]) -> [CachedObject?] {
        state.withLock { s in
            changes.map { change in
                switch change {
                case .upsert(let object): return s.upsert(object)
                case .remove(let key): return s.remove(key: key)
                }
            }
        }
    }
}
