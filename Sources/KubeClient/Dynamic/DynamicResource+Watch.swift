import KubeCore

extension DynamicResource {
    /// Watches the resource on the calling thread, delivering events as bytes (no parse of
    /// the objects). Returns when the handler answers `.stop`, the server ends the stream
    /// (e.g. `timeoutSeconds` elapsed), or `cancellation` is cancelled. A non-2xx answer
    /// (e.g. 410 for a too-old resourceVersion) throws `.api` before any event. ERROR events
    /// (a Status, e.g. 410 Expired during the watch) are handed to `handler` like any other:
    /// this is the low-level form for caches; `RawWatchEvent.endingError` turns one into the
    /// error the plain watches end with.
    ///
    /// `options.watch` is forced on; `allowWatchBookmarks`, `resourceVersion`,
    /// `sendInitialEvents` and selectors are passed through.
    ///
    /// `accept` replaces the Accept header, e.g. `MediaType.partialObjectMetadata` for
    /// events that carry only apiVersion, kind and metadata.
    public func watchRaw(_ options: ListOptions = ListOptions(), cancellation: CancellationToken? = nil,
                         accept: String? = nil, handler: (RawWatchEvent) -> WatchAction) throws(KubeError) {
        var watchOptions = options
        watchOptions.watch = true
        var request = makeRequest(method: "GET", name: nil)
        request.addQuery(watchOptions.queryItems)
        request.accept = accept
        try Self.runWatch(rest: rest, request: request, cancellation: cancellation, handler: handler)
    }

    /// Watches on the calling thread with parsed events; see `watchRaw` for when it returns.
    /// A malformed event throws `.decoding` and ends the watch; an ERROR event ends it with
    /// `.api(Status)` (`isGone` for 410: list again and watch from the new resourceVersion).
    public func watch(_ options: ListOptions = ListOptions(), cancellation: CancellationToken? = nil,
                      handler: (WatchEvent) -> WatchAction) throws(KubeError) {
        var failure: KubeError? = nil
        try watchRaw(options, cancellation: cancellation) { raw in
            if let ending = raw.endingError {
                failure = ending
                return .stop
            }
            do throws(KubeError) {
                return handler(try WatchEvent(raw))
            } catch {
                failure = error
                return .stop
            }
        }
        if let failure { throw failure }
    }

    /// Starts a watch on a library-owned thread and returns a stream to pull events from
    /// (`next()`), cancellable from any thread (`cancel()`).
    public func watchStream(_ options: ListOptions = ListOptions(), bufferSize: Int = 1024) throws(KubeError) -> WatchStream {
        try WatchStream(resource: self, options: options, bufferSize: bufferSize)
    }

    /// The streaming loop shared by every watch flavour: split lines, locate type/object, hand over.
    static func runWatch(rest: RESTClient, request: APIRequest, cancellation: CancellationToken?,
                         handler: (RawWatchEvent) -> WatchAction) throws(KubeError) {
        var splitter = WatchLineSplitter(maxLineBytes: rest.transport.options.limits.maxWatchEventBytes)
        var failure: KubeError? = nil
        var stopped = false
        func deliver(_ line: UnsafeRawBufferPointer) throws(KubeError) -> Bool {
            let event = try WatchEventDecoder.decode(line: line)
            if handler(event) == .stop {
                stopped = true
                return false
            }
            return true
        }
        do throws(KubeError) {
            try rest.stream(request, cancellation: cancellation) { chunk in
                do throws(KubeError) {
                    return try splitter.feed(chunk, deliver)
                } catch {
                    failure = error
                    return false
                }
            }
        } catch {
            // Cancelling a watch ends it normally, whether or not events had arrived.
            if error.isCancelled, cancellation?.isCancelled == true { return }
            throw error
        }
        if let failure { throw failure }
        if !stopped, cancellation?.isCancelled != true {
            _ = try splitter.finish(deliver)
        }
    }
}
