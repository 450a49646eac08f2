/// A type that converts itself to and from a `JSON` value directly.
///
/// This is the fast path for API objects: the bytes are parsed once into `JSON`
/// and the model reads its fields straight from it, without the `Codable`
/// machinery's containers. Generated models (KubeModels) conform; the typed
/// client uses it when the resource type supports it and falls back to
/// `Codable` otherwise.
///
/// The conformances below are `@inlinable`, so that a model's `[Container]` or `[String: Quantity]`
/// field is decoded by code specialized for it in the model's module: unspecialized, each element
/// went through witness tables and runtime generic metadata (a tenth of a typed pod list's decode).
public protocol JSONValueCodable {
    /// Reads the value; the error names the JSON path of the first problem.
    init(json: JSON) throws(JSONDecodingError)
    /// Writes the value; optional fields that are nil are left out.
    func toJSON() -> JSON
}

extension JSON: JSONValueCodable {
    @inlinable public init(json: JSON) throws(JSONDecodingError) { self = json }
    @inlinable public func toJSON() -> JSON { self }
}

extension String: JSONValueCodable {
    @inlinable
    public init(json: JSON) throws(JSONDecodingError) {
        guard case .string(let s) = json else { throw .typeMismatch(expected: "string", got: json) }
        self = s
    }
    @inlinable public func toJSON() -> JSON { .string(self) }
}

extension Bool: JSONValueCodable {
    @inlinable
    public init(json: JSON) throws(JSONDecodingError) {
        guard case .bool(let b) = json else { throw .typeMismatch(expected: "boolean", got: json) }
        self = b
    }
    @inlinable public func toJSON() -> JSON { .bool(self) }
}

extension Int64: JSONValueCodable {
    @inlinable
    public init(json: JSON) throws(JSONDecodingError) {
        switch json {
        case .int(let i): self = i
        case .double(let d):
            guard let i = Int64(exactly: d) else { throw JSONDecodingError("expected integer, got \(d)") }
            self = i
        default: throw .typeMismatch(expected: "integer", got: json)
        }
    }
    @inlinable public func toJSON() -> JSON { .int(self) }
}

extension Int32: JSONValueCodable {
    @inlinable
    public init(json: JSON) throws(JSONDecodingError) {
        let wide = try Int64(json: json)
        guard let narrow = Int32(exactly: wide) else {
            throw JSONDecodingError("integer \(wide) does not fit in 32 bits")
        }
        self = narrow
    }
    @inlinable public func toJSON() -> JSON { .int(Int64(self)) }
}

extension Int: JSONValueCodable {
    @inlinable
    public init(json: JSON) throws(JSONDecodingError) {
        let wide = try Int64(json: json)
        guard let narrow = Int(exactly: wide) else { throw JSONDecodingError("integer \(wide) out of range") }
        self = narrow
    }
    @inlinable public func toJSON() -> JSON { .int(Int64(self)) }
}

extension Double: JSONValueCodable {
    @inlinable
    public init(json: JSON) throws(JSONDecodingError) {
        switch json {
        case .int(let i): self = Double(i)
        case .double(let d): self = d
        default: throw .typeMismatch(expected: "number", got: json)
        }
    }
    @inlinable public func toJSON() -> JSON { .double(self) }
}

extension Array: JSONValueCodable where Element: JSONValueCodable {
    @inlinable
    public init(json: JSON) throws(JSONDecodingError) {
        guard case .array(let elements) = json else { throw .typeMismatch(expected: "array", got: json) }
        var out: [Element] = []
        out.reserveCapacity(elements.count)
        for index in elements.indices {
            do throws(JSONDecodingError) {
                out.append(try Element(json: elements[index]))
            } catch {
                throw error.inside(.index(index))
            }
        }
        self = out
    }

    @inlinable
    public func toJSON() -> JSON {
        var out: [JSON] = []
        out.reserveCapacity(count)
        for element in self { out.append(element.toJSON()) }
        return .array(out)
    }
}

extension Dictionary: JSONValueCodable where Key == String, Value: JSONValueCodable {
    @inlinable
    public init(json: JSON) throws(JSONDecodingError) {
        guard case .object(let members) = json else { throw .typeMismatch(expected: "object", got: json) }
        // mapValues keeps the members' hash table: no key is hashed again (labels, annotations
        // and resource quantities are most of a pod's maps).
        if let mapped = try? members.mapValues({ (value) throws(JSONDecodingError) -> Value in try Value(json: value) }) {
            self = mapped
            return
        }
        // A value failed: the same walk, in the same order, names the first failing key.
        for (key, value) in members {
            do throws(JSONDecodingError) {
                _ = try Value(json: value)
            } catch {
                throw error.inside(.key(key))
            }
        }
        throw JSONDecodingError("internal error: an object's values decoded on the second pass only")
    }

    @inlinable
    public func toJSON() -> JSON {
        var out: [String: JSON] = [:]
        out.reserveCapacity(count)
        for (key, value) in self { out[key] = value.toJSON() }
        return .object(out)
    }
}
