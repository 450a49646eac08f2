/// One change to one object, as queued between the reflector and the informer's cache.
public struct Delta: Sendable, Hashable {
    /// What happened to the object.
    public enum Kind: Sendable, Hashable {
        /// A watch reported the object created or changed. One kind for both, as the cache
        /// tells them apart itself: what it held before decides add or update.
        case updated
        /// The object is gone. With `finalStateUnknown`, the deletion happened while the
        /// watch was down: `object` is the last state the cache knew, not the final one.
        case deleted
        /// A (re)list contained the object.
        case replaced
    }

    public var kind: Kind
    /// The object's new state, or for deletions its last known state.
    public var object: CachedObject
    /// Only for `.deleted`: the object vanished during a gap and its final state is unknown.
    public var finalStateUnknown: Bool

    public init(_ kind: Kind, _ object: CachedObject, finalStateUnknown: Bool = false) {
        self.kind = kind
        self.object = object
        self.finalStateUnknown = finalStateUnknown
    }
}
