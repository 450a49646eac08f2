import KubeClient
import KubeCore

/// Decodes cached objects into typed models for typed informers.
///
/// Generated models (`JSONValueCodable`) take the fast path: one parse of the cached bytes
/// into `JSON`, then field reads. Any other `KubeResource` (a user's custom resource type)
/// goes through KubeCore's `JSONValueDecoder` over the same parsed value. This mirrors the
/// typed client's decoding, so a model decodes the same way from the cache as from a GET.
enum TypedDecoding {
    static func decode<R: KubeResource>(_ type: R.Type, from object: CachedObject) throws(KubeError) -> R {
        let json: JSON
        do {
            json = try JSON.parse(bytes: object.bytes)
        } catch {
            throw .decoding("\(R.identity.kind) \(object.key): malformed cached JSON: \(error)")
        }
        if let fast = type as? any JSONValueCodable.Type {
            let value: any JSONValueCodable
            do {
                value = try fast.init(json: json)
            } catch {
                throw .decoding("\(R.identity.kind) \(object.key): \(error)")
            }
            guard let typed = value as? R else {
                throw .decoding("\(R.identity.kind) \(object.key): internal type mismatch")
            }
            return typed
        }
        do {
            return try JSONValueDecoder().decode(type, from: json)
        } catch {
            throw .decoding("\(R.identity.kind) \(object.key): \(error)")
        }
    }
}
