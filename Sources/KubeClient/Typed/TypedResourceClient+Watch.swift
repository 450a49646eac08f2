import KubeCore

extension TypedResourceClient {
    /// Watches on the calling thread with typed events. Returns when the handler answers
    /// `.stop`, the server ends the stream (e.g. `timeoutSeconds`), or `cancellation` is
    /// cancelled. A 410 for a too-old resourceVersion throws `.api` (`isGone`): list again.
    /// An event whose object does not decode as `Resource` throws `.decoding` and ends the watch.
    public func watch(_ options: ListOptions = ListOptions(), cancellation: CancellationToken? = nil,
                      handler: (TypedWatchEvent<Resource>) -> WatchAction) throws(KubeError) {
        var failure: KubeError? = nil
        let what = "watch \(Resource.identity.plural)"
        try dynamic.watchRaw(options, cancellation: cancellation) { raw in
            do throws(KubeError) {
                return handler(try TypedWatchEvent<Resource>(raw, what: what))
            } catch {
                failure = error
                return .stop
            }
        }
        if let failure { throw failure }
    }

    /// Starts a watch on a library-owned thread; pull typed events with `next()`.
    public func watchStream(_ options: ListOptions = ListOptions(), bufferSize: Int = 1024) throws(KubeError) -> TypedWatchStream<Resource> {
        TypedWatchStream(try dynamic.watchStream(options, bufferSize: bufferSize))
    }
}

/// A typed view of `WatchStream`: blocking `next()`, `cancel()` from any thread.
public final class TypedWatchStream<Resource: KubeResource>: Sendable {
    /// The untyped stream underneath.
    public let raw: WatchStream

    init(_ raw: WatchStream) { self.raw = raw }

    /// Blocks until the next event; nil when the watch ended. Throws the error that ended
    /// it, or `.decoding` for an object that does not fit `Resource`.
    public func next() throws(KubeError) -> TypedWatchEvent<Resource>? {
        guard let event = try raw.next() else { return nil }
        let what = "watch \(Resource.identity.plural)"
        switch event.type {
        case .bookmark: return .bookmark(resourceVersion: event.object.resourceVersion ?? "")
        case .error: return .error(event.status ?? .internalError("watch error event: \(event.object.object.serialized())"))
        case .added: return .added(try TypedCoding.decode(Resource.self, from: event.object.object, what: what))
        case .modified: return .modified(try TypedCoding.decode(Resource.self, from: event.object.object, what: what))
        case .deleted: return .deleted(try TypedCoding.decode(Resource.self, from: event.object.object, what: what))
        }
    }

    /// Stops the watch; `next()` then drains buffered events and returns nil.
    public func cancel() { raw.cancel() }

    /// Stops the watch and waits for its thread.
    public func close() { raw.close() }
}
