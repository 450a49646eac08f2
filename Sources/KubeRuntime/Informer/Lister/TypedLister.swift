import KubeClient
import KubeCore

extension CachedObject {
    /// Decodes the cached bytes into a typed model (generated `KubeModels` kinds or any
    /// `Decodable`). The cache keeps bytes only, so each call decodes afresh, through the
    /// project's own parser; generated models read their fields straight from the parsed
    /// value, other types go through the value decoder (no Foundation JSON on this path).
    public func decode<Object: Decodable>(_ type: Object.Type) throws(KubeError) -> Object {
        do {
            let json = try JSON.parse(bytes: bytes)
            if let fast = type as? any JSONValueCodable.Type, let value = try fast.init(json: json) as? Object {
                return value
            }
            return try JSONValueDecoder().decode(type, from: json)
        } catch {
            throw .decoding("\(key): \(error)")
        }
    }
}

/// A lister that hands out typed models decoded from an informer's cache.
public struct TypedLister<Object: Decodable & Sendable>: Sendable {
    public let lister: Lister

    public init(_ lister: Lister, as type: Object.Type = Object.self) {
        self.lister = lister
    }

    /// Every cached object matching `selector`, decoded.
    public func list(_ selector: LabelSelector = .everything) throws(KubeError) -> [Object] {
        var result: [Object] = []
        for object in lister.list(selector) { result.append(try object.decode(Object.self)) }
        return result
    }

    /// A cluster-scoped object by name (or any object by its `namespace/name` key), decoded.
    public func get(_ name: String) throws(KubeError) -> Object? {
        guard let object = lister.get(name) else { return nil }
        return try object.decode(Object.self)
    }

    /// The objects of one namespace.
    public func namespace(_ namespace: String) -> TypedNamespaceLister<Object> {
        TypedNamespaceLister(lister: lister.namespace(namespace))
    }
}

/// A typed lister for one namespace.
public struct TypedNamespaceLister<Object: Decodable & Sendable>: Sendable {
    public let lister: NamespaceLister

    public func list(_ selector: LabelSelector = .everything) throws(KubeError) -> [Object] {
        var result: [Object] = []
        for object in lister.list(selector) { result.append(try object.decode(Object.self)) }
        return result
    }

    public func get(_ name: String) throws(KubeError) -> Object? {
        guard let object = lister.get(name) else { return nil }
        return try object.decode(Object.self)
    }
}

extension SharedInformer {
    /// This informer's cache as typed models.
    public func lister<Object: Decodable & Sendable>(of type: Object.Type) -> TypedLister<Object> {
        TypedLister(lister, as: type)
    }
}
