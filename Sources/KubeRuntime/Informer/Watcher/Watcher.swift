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
    /// Items per list page; nil lists everything in one request.
    public var pageSize: Int?
    public var transform: ObjectTransform
    /// Chooses each watch's server-side timeout (client-go randomises 5–10 minutes so that
    /// many informers do not reconnect in step).
    public var watchTimeoutSeconds: @Sendable () -> Int

    public init(
        source: any ListerWatcher,
        pageSize: Int? = 500,
        transform: ObjectTransform = .none,
        watchTimeoutSeconds: @escaping @Sendable () -> Int = { Int.random(in: 300...600) }
    ) {
        self.source = source
        self.pageSize = pageSize
        self.transform = transform
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
            return (nil, .listing(continueToken: nil))

        case .listing(let token):
            let page: RawListPage
            do throws(KubeError) {
                page = try source.list(limit: pageSize, continueToken: token)
            } catch {
                // An expired continue token (410) means the snapshot is gone: list again.
                return (error, error.isGone && token != nil ? .empty : state)
            }
            var objects: [CachedObject] = []
            objects.reserveCapacity(page.items.count)
            for item in page.items {
                do throws(KubeError) {
                    objects.append(try transform.makeObject(item))
                } catch {
                    return (error, state)
                }
            }
            emit(.initApply(objects))
            if let next = page.continueToken, !next.isEmpty {
                return (nil, .listing(continueToken: next))
            }
            return (nil, .listed(resourceVersion: page.resourceVersion))

        case .listed(let rv):
            emit(.initDone(resourceVersion: rv))
            return (nil, .watching(resourceVersion: rv))

        case .watching(let startRV):
            var rv = startRV
            var failure: KubeError?
            var gone = false
            do throws(KubeError) {
                try source.watch(resourceVersion: rv, timeoutSeconds: watchTimeoutSeconds(), cancellation: cancellation) { event in
                    switch event {
                    case .added(let bytes), .modified(let bytes), .deleted(let bytes):
                        let object: CachedObject
                        do throws(KubeError) {
                            object = try transform.makeObject(bytes)
                        } catch {
                            // An undecodable object would leave a hole in the cache: end the
                            // stream and report; the next watch resumes before it.
                            failure = error
                            return false
                        }
                        if case .deleted = event { emit(.delete(object)) } else { emit(.apply(object)) }
                        if !object.resourceVersion.isEmpty { rv = object.resourceVersion }
                        return true
                    case .bookmark(let newRV):
                        if !newRV.isEmpty { rv = newRV }
                        emit(.progress(resourceVersion: rv))
                        return true
                    case .error(let status):
                        let error = KubeError.api(status)
                        failure = error
                        gone = error.isGone
                        return false
                    }
                }
            } catch {
                if error.isGone { return (error, .empty) }
                if error.isCancelled && cancellation.isCancelled { return (nil, .watching(resourceVersion: rv)) }
                return (error, .watching(resourceVersion: rv))
            }
            if gone { return (failure, .empty) }
            return (failure, .watching(resourceVersion: rv))
        }
    }
}
