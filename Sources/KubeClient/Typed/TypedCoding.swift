import KubeCore

/// Converts typed values to and from the wire for the typed client.
///
/// Generated models (`JSONValueCodable`) take the fast path: one parse into `JSON`,
/// then field reads. Any other `Codable` type (a user's custom resource) goes
/// through KubeCore's `JSONValueDecoder`/`JSONValueEncoder` over the same parsed value.
enum TypedCoding {
    static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8], what: String) throws(KubeError) -> T {
        let json: JSON
        do {
            json = try JSON.parse(bytes: body)
        } catch {
            throw .decoding("malformed JSON from the server for \(what): \(error)")
        }
        return try decode(type, from: json, what: what)
    }

    static func decode<T: Decodable>(_ type: T.Type, from json: JSON, what: String) throws(KubeError) -> T {
        if let fast = type as? any JSONValueCodable.Type {
            return try decode(type, fast: fast, from: json, what: what)
        }
        do {
            return try JSONValueDecoder().decode(type, from: json)
        } catch {
            throw .decoding("\(what): \(describe(error))")
        }
    }

    private static func decode<T>(_ type: T.Type, fast: any JSONValueCodable.Type, from json: JSON,
                                  what: String) throws(KubeError) -> T {
        let value: any JSONValueCodable
        do {
            value = try fast.init(json: json)
        } catch {
            throw .decoding("\(what): \(error)")
        }
        guard let typed = value as? T else { throw .decoding("\(what): internal type mismatch") }
        return typed
    }

    /// The value as JSON, with `apiVersion` and `kind` filled in from `identity` when absent.
    static func encode<T: Encodable>(_ value: T, identity: ResourceIdentity?) throws(KubeError) -> JSON {
        var json: JSON
        if let fast = value as? any JSONValueCodable {
            json = fast.toJSON()
        } else {
            do {
                json = try JSONValueEncoder().encode(value)
            } catch {
                throw .invalidArgument("cannot encode \(T.self): \(describe(error))")
            }
        }
        if let identity, case .object = json {
            if json["apiVersion"]?.stringValue?.isEmpty ?? true { json["apiVersion"] = .string(identity.apiVersion) }
            if json["kind"]?.stringValue?.isEmpty ?? true { json["kind"] = .string(identity.kind) }
        }
        return json
    }

    /// Codable errors with their coding path in the same dotted form as `JSONDecodingError`.
    static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var out = ""
            for key in keys {
                if let index = key.intValue {
                    out += "[\(index)]"
                } else {
                    if !out.isEmpty { out += "." }
                    out += key.stringValue
                }
            }
            return out
        }
        switch error {
        case DecodingError.typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type): \(context.debugDescription)"
        case DecodingError.valueNotFound(_, let context):
            return "\(path(context.codingPath)): value is missing"
        case DecodingError.keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required field is missing"
        case DecodingError.dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
