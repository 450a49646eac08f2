import KubeCore

/// A watch event as bytes, without parsing the object: for caches, the informer and the C
/// ABI, which store or forward JSON text.
///
/// `object` is the exact text of the event's `object` value, borrowed from the transfer's
/// buffer: valid only during the handler call (copy it with `Array(object)` to keep it).
public struct RawWatchEvent {
    /// ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.
    public let type: WatchEventType
    /// The object's JSON text (a `Status` for `.error`); borrowed, see above.
    public let object: UnsafeRawBufferPointer

    init(type: WatchEventType, object: UnsafeRawBufferPointer) {
        self.type = type
        self.object = object
    }
}

extension RawWatchEvent {
    /// The error an ERROR event ends a watch with: `.api` with the event's Status (410 Gone /
    /// Expired when the resourceVersion is too old), or `.decoding` when it carries none.
    /// Plain watches (`watch`, `watchStream`, the C and Python watches) end this way instead of
    /// handing the event on, so a caller cannot mistake an expired watch for a quiet end.
    public var endingError: KubeError? {
        guard type == .error else { return nil }
        guard let json = try? JSON.parse(object), let status = Status(json: json) else {
            return .decoding("watch ERROR event without a Status object")
        }
        return .api(status)
    }
}

