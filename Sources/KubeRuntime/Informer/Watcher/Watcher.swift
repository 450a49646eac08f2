import KubeClient
import KubeCore

/// The list-then-watch state machine (after kube-rs's `watcher`): `step` takes a state,
/// performs one blocking operation (a list page, or one whole watch stream) and returns the
/// next state with an error if the operation failed. Events go to `emit` as they happen —
/// a watch stream emits many before its step returns.
///
/// It holds no mutable state: the driver (the reflector) owns the state, and backoff sits
/// outside, in the driver, applied whenever `step` reports an error.
public struct Watcher: Sendable {
    public var source: any ListerWatcher
    /// Items per list page; nil lists everything in one request. Also the batch size in
    /// which a streaming list's initial objects are handed on.
    public var pageSize: Int?
    public var transform: ObjectTransform
    /// Chooses each watch's server-side timeout (client-go randomises 5–10 minutes so that
    /// many informers do not reconnect in step).
    public var watchTimeoutSeconds: @Sendable () -> Int
    /// Get the initial state from a streaming list (`sendInitialEvents`) instead of paged
    /// LISTs: the server sends objects from its watch cache one by one, so neither side
    /// holds a whole list body. Falls back to paged lists when the source refuses.
    public var streamingList: Bool

    public init(
        source: any ListerWatcher,
        pageSize: Int? = 500,
        transform: ObjectTransform = .none,
        streamingList: Bool = false,
        watchTimeoutSeconds: @escaping @Sendable () -> Int = { Int.random(in: 300...600) }
    ) {
        self.source = source
        self.pageSize = pageSize
        self.transform = transform
        self.streamingList = streamingList
        self.watchTimeoutSeconds = watchTimeoutSeconds
    }

    /// Advances the state machine by one step. `cancellation` ends a watch early (the step
    /// then returns `watching` from the last resourceVersion, without error).
    public func step(
        _ state: WatcherState, cancellation: CancellationToken, emit: (WatcherEvent) -> Void
    ) -> (error: KubeError?, next: WatcherState) {
        switch state {
        case .empty:
            emit(.initStart)
            return (nil, streamingList ? .streaming : .listingFromCache)

        case .relisting:
            emit(.initStart)
            return (nil, .listing(continueToken: nil))

        case .streaming:
            return streamList(cancellation: cancellation, emit: emit)

        case .listingFromCache:
            var objects: [CachedObject] = []
            let page: RawListPage
            do throws(KubeError) {
                page = try list(resourceVersion: "0", continueToken: nil, cancellation: cancellation, into: &objects)
            } catch {
                // The cache cannot answer (410, a resourceVersion it does not have yet): a
                // consistent paged list instead, at once, as client-go's reflector falls back.
                return (error, Self.cacheUnavailable(error) ? .listing(continueToken: nil) : state)
            }
            return apply(objects, page, emit: emit)

        case .listing(let token):
            var objects: [CachedObject] = []
            let page: RawListPage
            do throws(KubeError) {
                page = try list(resourceVersion: "", continueToken: token, cancellation: cancellation, into: &objects)
            } catch {
                // An expired continue token (410) means the snapshot is gone: list again.
                return (error, error.isGone && token != nil ? .relisting : state)
            }
            return apply(objects, page, emit: emit)

        case .listed(let rv):
            emit(.initDone(resourceVersion: rv))
            return (nil, .watching(resourceVersion: rv))

        case .watching(let startRV):
            var stream = LiveStream(resourceVersion: startRV)
            do throws(KubeError) {
                try source.watch(resourceVersion: startRV, timeoutSeconds: watchTimeoutSeconds(),
                                 cancellation: cancellation) { event in
                    stream.handle(event, transform: transform, emit: emit)
                }
            } catch {
                return stream.ended(by: error, cancellation: cancellation)
            }
            return stream.ended()
        }
    }

    /// Whether a failed `resourceVersion=0` list means the cache cannot serve it (so a
    /// consistent list should follow) rather than a failure worth a retry of the same.
    static func cacheUnavailable(_ error: KubeError) -> Bool {
        if error.isGone { return true }
        guard let status = error.status else { return false }
        return status.details?.causes.contains { $0.type == "ResourceVersionTooLarge" } == true
            || status.message.contains("Too large resource version")
    }

    /// Lists one page, encoding each item into its cache form as it arrives (the page's body
    /// is never held whole). A failure anywhere, an undecodable item included, fails the
    /// page and nothing of it is handed on.
    private func list(resourceVersion: String, continueToken: String?, cancellation: CancellationToken,
                      into objects: inout [CachedObject]) throws(KubeError) -> RawListPage {
        try source.list(resourceVersion: resourceVersion, limit: pageSize, continueToken: continueToken,
                        cancellation: cancellation) { (item) throws(KubeError) in
            objects.append(try transform.makeObject(item))
        }
    }

    /// Hands a listed page to the store; the next state continues the pages or starts watching.
    private func apply(_ objects: [CachedObject], _ page: RawListPage,
                       emit: (WatcherEvent) -> Void) -> (error: KubeError?, next: WatcherState) {
        emit(.initApply(objects))
        if let next = page.continueToken, !next.isEmpty {
            return (nil, .listing(continueToken: next))
        }
        return (nil, .listed(resourceVersion: page.resourceVersion))
    }

    /// One streaming list: initial objects are batched into `initApply` until the
    /// initial-events-end bookmark, then the stream goes on as a live watch. Anything that
    /// stops it before that bookmark (a refusal, a failure, an end without the bookmark)
    /// restarts the relist as a paged LIST, as client-go's reflector falls back.
    private func streamList(
        cancellation: CancellationToken, emit: (WatcherEvent) -> Void
    ) -> (error: KubeError?, next: WatcherState) {
        let batchSize = max(1, pageSize ?? 500)
        var batch: [CachedObject] = []
        var initialDone = false
        var failure: KubeError?
        var stream = LiveStream(resourceVersion: "")
        do throws(KubeError) {
            try source.watchList(timeoutSeconds: watchTimeoutSeconds(), cancellation: cancellation) { event in
                if initialDone { return stream.handle(event, transform: transform, emit: emit) }
                switch event {
                case .added(let bytes), .modified(let bytes):
                    do throws(KubeError) {
                        batch.append(try transform.makeObject(bytes))
                    } catch {
                        failure = error
                        return false
                    }
                    if batch.count >= batchSize {
                        emit(.initApply(batch))
                        batch = []
                    }
                    return true
                case .deleted:
                    failure = .decoding("streaming list: DELETED event before the initial events ended")
                    return false
                case .bookmark:
                    // Progress during the initial events says nothing about the listed state.
                    return true
                case .initialEventsEnd(let rv):
                    if !batch.isEmpty { emit(.initApply(batch)) }
                    batch = []
                    emit(.initDone(resourceVersion: rv))
                    stream.resourceVersion = rv
                    initialDone = true
                    return true
                case .error(let status):
                    failure = .api(status)
                    return false
                }
            }
        } catch {
            if initialDone { return stream.ended(by: error, cancellation: cancellation) }
            if !(error.isCancelled && cancellation.isCancelled) { failure = failure ?? error }
        }
        if initialDone { return stream.ended() }
        emit(.initStart)
        // Stopped or found idle before the initial state was complete: start over.
        if cancellation.isCancelled && failure == nil { return (nil, .empty) }
        return (failure ?? .decoding("streaming list ended before the initial-events-end bookmark"),
                .listing(continueToken: nil))
    }
}

/// The live part of a watch: turns stream events into watcher events and tracks the newest
/// resourceVersion and how the stream failed.
private struct LiveStream {
    var resourceVersion: String
    var failure: KubeError?
    var gone = false

    mutating func handle(_ event: WatchStreamEvent, transform: ObjectTransform, emit: (WatcherEvent) -> Void) -> Bool {
        switch event {
        case .added(let bytes), .modified(let bytes), .deleted(let bytes):
            let object: CachedObject
            do throws(KubeError) {
                object = try transform.makeObject(bytes)
            } catch {
                // An undecodable object would leave a hole in the cache: end the stream and
                // report; the next watch resumes before it.
                failure = error
                return false
            }
            if case .deleted = event { emit(.delete(object)) } else { emit(.apply(object)) }
            if !object.resourceVersion.isEmpty { resourceVersion = object.resourceVersion }
            return true
        case .bookmark(let rv), .initialEventsEnd(let rv):
            if !rv.isEmpty { resourceVersion = rv }
            emit(.progress(resourceVersion: resourceVersion))
            return true
        case .error(let status):
            let error = KubeError.api(status)
            failure = error
            gone = error.isGone
            return false
        }
    }

    /// The next state after the stream ended by itself or by `handle` answering false.
    func ended() -> (error: KubeError?, next: WatcherState) {
        if gone { return (failure, .relisting) }
        return (failure, .watching(resourceVersion: resourceVersion))
    }

    /// The next state after the watch call threw.
    func ended(by error: KubeError, cancellation: CancellationToken) -> (error: KubeError?, next: WatcherState) {
        if error.isGone { return (error, .relisting) }
        if error.isCancelled && cancellation.isCancelled { return (nil, .watching(resourceVersion: resourceVersion)) }
        return (error, .watching(resourceVersion: resourceVersion))
    }
}
