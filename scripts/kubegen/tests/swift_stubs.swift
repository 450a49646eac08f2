// Stand-ins for the KubeCore / KubeModels declarations generated CRD models use, so that
// test_random_schemas.py can type-check generated files with a bare `swiftc -typecheck` in a
// second instead of building the package. Signatures mirror the real ones (Sources/KubeCore/Codable,
// Sources/KubeCore/Resource, Sources/KubeModels/Support); bodies are never run. The committed CRD
// models in Tests/KubeCRDTests compile against the real modules.

public enum JSON: Equatable, Sendable {
    case null, bool(Bool), int(Int64), double(Double), string(String), array([JSON]), object([String: JSON])
}

extension JSON {
    public var isNull: Bool { self == .null }
}

public struct JSONDecodingError: Error {}

public protocol JSONValueCodable {
    init(json: JSON) throws(JSONDecodingError)
    func toJSON() -> JSON
}

extension JSON: JSONValueCodable {
    public init(json: JSON) throws(JSONDecodingError) { self = json }
    public func toJSON() -> JSON { self }
}

extension String: JSONValueCodable {
    public init(json: JSON) throws(JSONDecodingError) { throw JSONDecodingError() }
    public func toJSON() -> JSON { .string(self) }
}

extension Bool: JSONValueCodable {
    public init(json: JSON) throws(JSONDecodingError) { throw JSONDecodingError() }
    public func toJSON() -> JSON { .bool(self) }
}

extension Int64: JSONValueCodable {
    public init(json: JSON) throws(JSONDecodingError) { throw JSONDecodingError() }
    public func toJSON() -> JSON { .int(self) }
}

extension Int32: JSONValueCodable {
    public init(json: JSON) throws(JSONDecodingError) { throw JSONDecodingError() }
    public func toJSON() -> JSON { .int(Int64(self)) }
}

extension Double: JSONValueCodable {
    public init(json: JSON) throws(JSONDecodingError) { throw JSONDecodingError() }
    public func toJSON() -> JSON { .double(self) }
}

extension Array: JSONValueCodable where Element: JSONValueCodable {
    public init(json: JSON) throws(JSONDecodingError) { throw JSONDecodingError() }
    public func toJSON() -> JSON { .array(map { $0.toJSON() }) }
}

extension Dictionary: JSONValueCodable where Key == String, Value: JSONValueCodable {
    public init(json: JSON) throws(JSONDecodingError) { throw JSONDecodingError() }
    public func toJSON() -> JSON { .object(mapValues { $0.toJSON() }) }
}

public struct JSONObjectReader: Sendable {
    public let members: [String: JSON]
    public init(_ json: JSON) throws(JSONDecodingError) { members = [:] }
    public func optional<T: JSONValueCodable>(_ key: String) throws(JSONDecodingError) -> T? { nil }
    public func required<T: JSONValueCodable>(_ key: String) throws(JSONDecodingError) -> T { throw JSONDecodingError() }
}

public protocol KubeModel: JSONValueCodable, Sendable, Equatable {}

public protocol KubeStringEnum: RawRepresentable<String>, JSONValueCodable, Sendable, Hashable, ExpressibleByStringLiteral {
    init(rawValue: String)
}

extension KubeStringEnum {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public init(json: JSON) throws(JSONDecodingError) { throw JSONDecodingError() }
    public func toJSON() -> JSON { .string(rawValue) }
}

public struct Time: JSONValueCodable, Sendable, Hashable {
    public init(json: JSON) throws(JSONDecodingError) { throw JSONDecodingError() }
    public func toJSON() -> JSON { .null }
}

public struct Quantity: JSONValueCodable, Sendable, Hashable {
    public init(json: JSON) throws(JSONDecodingError) { throw JSONDecodingError() }
    public func toJSON() -> JSON { .null }
}

public enum IntOrString: JSONValueCodable, Sendable, Hashable {
    case int(Int32), string(String)
    public init(json: JSON) throws(JSONDecodingError) { throw JSONDecodingError() }
    public func toJSON() -> JSON { .null }
}

public protocol KubeObjectMetadata: Sendable {
    var name: String? { get set }
}

public protocol KubeListMetadata: Sendable {
    var resourceVersion: String? { get }
}

public enum MetaV1 {
    public struct ObjectMeta: KubeModel, KubeObjectMetadata {
        public var name: String?
        public init(json: JSON) throws(JSONDecodingError) { throw JSONDecodingError() }
        public func toJSON() -> JSON { .null }
    }

    public struct ListMeta: KubeModel, KubeListMetadata {
        public var resourceVersion: String?
        public init(json: JSON) throws(JSONDecodingError) { throw JSONDecodingError() }
        public func toJSON() -> JSON { .null }
    }
}

public struct ResourceIdentity: Sendable {
    public init(group: String, version: String, kind: String, plural: String, namespaced: Bool) {}
}

public protocol KubeResource: Sendable {
    associatedtype Metadata: KubeObjectMetadata
    associatedtype List: KubeResourceList where List.Item == Self
    static var identity: ResourceIdentity { get }
    var metadata: Metadata? { get set }
}

public protocol KubeResourceList: Sendable {
    associatedtype Item: KubeResource
    associatedtype ListMetadata: KubeListMetadata
    var metadata: ListMetadata? { get }
    var items: [Item] { get set }
}

// KubeClient, for the accessors `--clientset` writes.
public final class KubeClient: Sendable {}

public struct TypedResourceClient<Resource: KubeResource>: Sendable {
    public init(client: KubeClient, namespace: String? = nil) {}
}
