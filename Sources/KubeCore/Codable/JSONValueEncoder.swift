/// Encodes any `Encodable` value into a `JSON` value, without Foundation.
///
/// The counterpart of `JSONValueDecoder`: nil optionals encoded with `encodeIfPresent`
/// (what synthesized conformances do) are left out; `JSONValueCodable` values nested
/// anywhere are converted directly. Non-finite floating-point numbers throw, as JSON
/// cannot carry them.
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSON {
        let root = JSONValueEncodingNode()
        try JSONValueEncoderImpl(node: root, codingPath: []).encodeValue(value)
        return root.json
    }
}

/// One value under construction. A reference so that containers handed out by the
/// encoder can keep writing into their part of the tree after they are returned.
final class JSONValueEncodingNode {
    enum Content {
        case unset
        case value(JSON)
        case object([String: JSONValueEncodingNode])
        case array([JSONValueEncodingNode])
    }

    var content: Content = .unset

    var json: JSON {
        switch content {
        case .unset: return .object([:])
        case .value(let v): return v
        case .object(let members): return .object(members.mapValues(\.json))
        case .array(let elements): return .array(elements.map(\.json))
        }
    }

    func objectChild(_ key: String) -> JSONValueEncodingNode {
        var members: [String: JSONValueEncodingNode]
        if case .object(let existing) = content { members = existing } else { members = [:] }
        let child = JSONValueEncodingNode()
        members[key] = child
        content = .object(members)
        return child
    }

    func makeObject() {
        if case .object = content { return }
        content = .object([:])
    }

    func appendChild() -> JSONValueEncodingNode {
        var elements: [JSONValueEncodingNode]
        if case .array(let existing) = content { elements = existing } else { elements = [] }
        let child = JSONValueEncodingNode()
        elements.append(child)
        content = .array(elements)
        return child
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    var count: Int {
        if case .array(let elements) = content { return elements.count }
        return 0
    }
}

struct JSONValueEncoderImpl: Encoder {
    let node: JSONValueEncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return Unkeyed(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeValue<T: Encodable>(_ value: T) throws {
        if let json = value as? JSON {
            node.content = .value(json)
        } else if let fast = value as? any JSONValueCodable {
            node.content = .value(fast.toJSON())
        } else {
            try value.encode(to: self)
        }
    }

    func number(_ value: Double) throws -> JSON {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "JSON has no \(value)"))
        }
        return .double(value)
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: JSONValueEncodingNode
        let codingPath: [any CodingKey]

        func child(_ key: Key) -> JSONValueEncoderImpl {
            JSONValueEncoderImpl(node: node.objectChild(key.stringValue), codingPath: codingPath + [key])
        }

        mutating func encodeNil(forKey key: Key) throws { child(key).node.content = .value(.null) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { child(key).node.content = .value(.bool(value)) }
        mutating func encode(_ value: String, forKey key: Key) throws { child(key).node.content = .value(.string(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws { let c = child(key); c.node.content = .value(try c.number(value)) }
        mutating func encode(_ value: Float, forKey key: Key) throws { let c = child(key); c.node.content = .value(try c.number(Double(value))) }
        mutating func encode(_ value: Int, forKey key: Key) throws { try encodeInteger(value, key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { try encodeInteger(value, key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { try encodeInteger(value, key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { try encodeInteger(value, key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { try encodeInteger(value, key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeInteger(value, key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeInteger(value, key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeInteger(value, key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeInteger(value, key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeInteger(value, key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try child(key).encodeValue(value) }

        private func encodeInteger<I: FixedWidthInteger>(_ value: I, _ key: Key) throws {
            let c = child(key)
            c.node.content = .value(try JSONValueEncoderImpl.integer(value, codingPath: c.codingPath))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            child(key).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { child(key).unkeyedContainer() }

        mutating func superEncoder() -> any Encoder {
            JSONValueEncoderImpl(node: node.objectChild("super"), codingPath: codingPath + [JSONCodingKey(stringValue: "super")])
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder { child(key) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: JSONValueEncodingNode
        let codingPath: [any CodingKey]
        var count: Int { node.count }

        func next() -> JSONValueEncoderImpl {
            let index = node.count
            return JSONValueEncoderImpl(node: node.appendChild(), codingPath: codingPath + [JSONCodingKey(intValue: index)])
        }

        mutating func encodeNil() throws { next().node.content = .value(.null) }
        mutating func encode(_ value: Bool) throws { next().node.content = .value(.bool(value)) }
        mutating func encode(_ value: String) throws { next().node.content = .value(.string(value)) }
        mutating func encode(_ value: Double) throws { let c = next(); c.node.content = .value(try c.number(value)) }
        mutating func encode(_ value: Float) throws { let c = next(); c.node.content = .value(try c.number(Double(value))) }
        mutating func encode(_ value: Int) throws { try encodeInteger(value) }
        mutating func encode(_ value: Int8) throws { try encodeInteger(value) }
        mutating func encode(_ value: Int16) throws { try encodeInteger(value) }
        mutating func encode(_ value: Int32) throws { try encodeInteger(value) }
        mutating func encode(_ value: Int64) throws { try encodeInteger(value) }
        mutating func encode(_ value: UInt) throws { try encodeInteger(value) }
        mutating func encode(_ value: UInt8) throws { try encodeInteger(value) }
        mutating func encode(_ value: UInt16) throws { try encodeInteger(value) }
        mutating func encode(_ value: UInt32) throws { try encodeInteger(value) }
        mutating func encode(_ value: UInt64) throws { try encodeInteger(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { try next().encodeValue(value) }

        private func encodeInteger<I: FixedWidthInteger>(_ value: I) throws {
            let c = next()
            c.node.content = .value(try JSONValueEncoderImpl.integer(value, codingPath: c.codingPath))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            next().container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }
        mutating func superEncoder() -> any Encoder { next() }
    }

    static func integer<I: FixedWidthInteger>(_ value: I, codingPath: [any CodingKey]) throws -> JSON {
        guard let wide = Int64(exactly: value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) does not fit in Int64"))
        }
        return .int(wide)
    }
}

extension JSONValueEncoderImpl: SingleValueEncodingContainer {
    mutating func encodeNil() throws { node.content = .value(.null) }
    mutating func encode(_ value: Bool) throws { node.content = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { node.content = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { node.content = .value(try number(value)) }
    mutating func encode(_ value: Float) throws { node.content = .value(try number(Double(value))) }
    mutating func encode(_ value: Int) throws { node.content = .value(try Self.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: Int8) throws { node.content = .value(try Self.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: Int16) throws { node.content = .value(try Self.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: Int32) throws { node.content = .value(try Self.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: Int64) throws { node.content = .value(.int(value)) }
    mutating func encode(_ value: UInt) throws { node.content = .value(try Self.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: UInt8) throws { node.content = .value(try Self.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: UInt16) throws { node.content = .value(try Self.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: UInt32) throws { node.content = .value(try Self.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: UInt64) throws { node.content = .value(try Self.integer(value, codingPath: codingPath)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }
}
