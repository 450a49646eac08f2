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
