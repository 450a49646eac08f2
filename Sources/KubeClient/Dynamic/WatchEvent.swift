import KubeCore

/// One parsed watch event: its type, the object, and the object's JSON text as received.
public struct WatchEvent: Sendable, Hashable {
    public var type: WatchEventType
    /// The object (for `.error`, a Status object; for `.bookmark`, only metadata.resourceVersion matters).
    public var object: Unstructured
    /// The exact JSON text of `object` from the stream (store or forward it without re-serializing).
    public var rawObject: [UInt8]

    public init(type: WatchEventType, object: Unstructured, rawObject: [UInt8]) {
        self.type = type
        self.object = object
        self.rawObject = rawObject
    }

    /// The Status carried by an `.error` event (e.g. 410 Expired: relist), else nil.
    public var status: Status? {
        guard type == .error else { return nil }
        return Status(json: object.object)
    }

    /// Parses a raw event (copies its bytes).
    public init(_ raw: RawWatchEvent) throws(KubeError) {
        type = raw.type
        rawObject = Array(raw.object)
        let json: JSON
        do {
            json = try JSON.parse(raw.object)
        } catch {
            throw .decoding("malformed object in watch event \(raw.type.rawValue): \(error)")
        }
        do {
            object = try Unstructured(json: json)
        } catch {
            throw .decoding("watch event \(raw.type.rawValue): \(error)")
        }
    }
}
