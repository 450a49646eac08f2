import KubeClient
import KubeCore

/// The list-then-watch state machine (after kube-rs's `watcher`): `step` takes a state,
/// performs at most one blocking call (a list page, opening a watch, or reading one watch
/// event) and returns the next state with an event or an error.
///
/// It holds no mutable state of its own: the driver (the reflector) owns the state, and
/// backoff sits outside, in the driver, applied whenever `step` reports an error.
public struct Watcher: Sendable {
    /// The outcome of one step.
    public enum Output: Sendable {
        /// Nothing to report (for example a bookmark, or a watch was opened).
        case none
        case event(WatcherEvent)
        case error(KubeError)
    }

    public var source: any ListerWatcher
    /// Items per list page; nil lists everything in one request.
    public var pageSize: Int?
    public var transform: ObjectTransform
    /// Chooses each watch's server-side timeout (client-go randomises 5–10 minutes so that
    /// many informers do not reconnect in step).
    public var watchTimeoutSeconds: @Sendable () -> Int
    /// A stream silent (not even a bookmark) for longer than this is treated as dead.
    public var idleTimeoutSeconds: Double

    public init(
        source: any ListerWatcher,
        pageSize: Int? = 500,
        transform: ObjectTransform = .none,
        watchTimeoutSeconds: @escaping @Sendable () -> Int = { Int.random(in: 300...600) },
        idleTimeoutSeconds: Double = 660
    ) {
        self.source = source
        self.pageSize = pageSize
        self.transform = transform
        self.watchTimeoutSeconds = watchTimeoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }

    /// Advances the state machine by one step.
    public func step(_ state: WatcherState) -> (Output, WatcherState) {
        switch state {
        case .empty:
            return (.event(.initStart), .listing(continueToken: nil))

        case .listing(let token):
            let page: RawListPage
            do throws(KubeError) {
                page = try source.list(limit: pageSize, continueToken: token)
            } catch {
                // An expired continue token (410) means the snapshot is gone: list again.
                return (.error(error), error.isGone && token != nil ? .empty : state)
            }
            var objects: [CachedObject] = []
            objects.reserveCapacity(page.items.count)
            for item in page.items {
                do throws(KubeError) {
                    objects.append(try transform.makeObject(item))
                } catch {
                    return (.error(error), state)
                }
            }
            if let next = page.continueToken, !next.isEmpty {
                return (.event(.initApply(objects)), .listing(continueToken: next))
            }
            return (.event(.initApply(objects)), .listed(resourceVersion: page.resourceVersion))

        case .listed(let rv):
            return (.event(.initDone(resourceVersion: rv)), .watchStart(resourceVersion: rv))

        case .watchStart(let rv):
            do throws(KubeError) {
                let stream = try source.watch(
                    resourceVersion: rv, timeoutSeconds: watchTimeoutSeconds(), idleTimeoutSeconds: idleTimeoutSeconds)
                return (.none, .watching(resourceVersion: rv, stream: stream))
            } catch {
                return (.error(error), error.isGone ? .empty : state)
            }

        case .watching(let rv, let stream):
            let event: RawWatchEvent?
            do throws(KubeError) {
                event = try stream.next()
            } catch {
                stream.close()
                if error.isGone { return (.error(error), .empty) }
                // An idle or server-side timeout is a normal end: re-watch without complaint.
                if error.isTimeout { return (.none, .watchStart(resourceVersion: rv)) }
                return (.error(error), .watchStart(resourceVersion: rv))
            }
            guard let event else {
                stream.close()
                return (.none, .watchStart(resourceVersion: rv))
            }
            switch event {
            case .added(let bytes), .modified(let bytes):
                return decoded(bytes, rv: rv, stream: stream) { .apply($0) }
            case .deleted(let bytes):
                return decoded(bytes, rv: rv, stream: stream) { .delete($0) }
            case .bookmark(let newRV):
                return (.none, .watching(resourceVersion: newRV.isEmpty ? rv : newRV, stream: stream))
            case .error(let status):
                stream.close()
                let error = KubeError.api(status)
                return (.error(error), error.isGone ? .empty : .watchStart(resourceVersion: rv))
            }
        }
    }

    private func decoded(
        _ bytes: [UInt8], rv: String, stream: any RawWatchStream, _ make: (CachedObject) -> WatcherEvent
    ) -> (Output, WatcherState) {
        do throws(KubeError) {
            let object = try transform.makeObject(bytes)
            let newRV = object.resourceVersion.isEmpty ? rv : object.resourceVersion
            return (.event(make(object)), .watching(resourceVersion: newRV, stream: stream))
        } catch {
            // One undecodable event must not kill the stream; report it and read on.
            return (.error(error), .watching(resourceVersion: rv, stream: stream))
        }
    }
}
