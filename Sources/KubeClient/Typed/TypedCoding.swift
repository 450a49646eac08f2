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

    /// A LIST body as `L`: the list's own fields from a small tree, each item parsed and
    /// decoded from its byte range (`ListScan.split`; on two threads for big lists, `ListItemDecoder`), so no
    /// tree of the whole list is ever built. Answers that do not split (`"items": null`,
    /// malformed JSON) take the whole-body path, with its results and errors. Errors name
    /// the item as the whole-body path does (`items[3].spec…`).
    static func decodeList<L: KubeResourceList>(_ type: L.Type, from body: [UInt8], what: String) throws(KubeError) -> L {
        guard let split = body.withUnsafeBytes({ ListScan.split($0) }) else {
            return try decode(type, from: body, what: what)
        }
        var shell = split.members
        shell["items"] = .array([])
        var list = try decode(type, from: JSON.object(shell), what: what)
        list.items = try ListItemDecoder.decode(body: body, items: split.items) {
            (raw, range, index) throws(KubeError) -> L.Item in
            try decodeItem(L.Item.self, from: raw, range: range, index: index, what: what)
        }
        return list
    }

    /// Item `index` of a list from its bytes; errors read as if the whole list was decoded.
    static func decodeItem<T: Decodable>(_ type: T.Type, from body: UnsafeRawBufferPointer, range: Range<Int>,
                                         index: Int, what: String) throws(KubeError) -> T {
        let json = try parseItem(body, range: range, what: what)
        if let fast = type as? any JSONValueCodable.Type {
            let value: any JSONValueCodable
            do {
                value = try fast.init(json: json)
            } catch {
                throw .decoding("\(what): \(error.inside(.index(index)).inside(.key("items")))")
            }
            guard let typed = value as? T else { throw .decoding("\(what): internal type mismatch") }
            return typed
        }
        do {
            return try JSONValueDecoder().decode(type, from: json)
        } catch {
            throw .decoding("\(what): \(describe(error, under: "items[\(index)]"))")
        }
    }

    /// The tree of one item of a list body; a syntax error reports its offset in the body.
    static func parseItem(_ body: UnsafeRawBufferPointer, range: Range<Int>, what: String) throws(KubeError) -> JSON {
        do {
            return try JSON.parse(UnsafeRawBufferPointer(rebasing: body[range]))
        } catch {
            let atBody = JSONError(offset: error.offset + range.lowerBound, message: error.message)
            throw .decoding("malformed JSON from the server for \(what): \(atBody)")
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
    /// `prefix` is the path of the decoded value in its document (`items[3]` for a list item).
    static func describe(_ error: any Error, under prefix: String = "") -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var out = prefix
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
