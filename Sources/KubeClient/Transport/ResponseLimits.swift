/// Upper bounds on what one response may make the client hold in memory.
///
/// The defaults are generous: far above what kube-apiserver sends (its largest objects are
/// about 1.5 MiB, Status bodies a few KiB), so they only stop a broken or hostile server.
/// Raise `maxBodyBytes` for unpaged lists of more than a few hundred thousand objects.
public struct ResponseLimits: Sendable, Hashable {
    /// A buffered 2xx body (get, list page, create, ...). Default 4 GiB.
    public var maxBodyBytes: Int
    /// A non-2xx body, which is only decoded as a Status. Default 1 MiB.
    public var maxErrorBodyBytes: Int
    /// One watch event (one line of a watch stream). Default 64 MiB.
    public var maxWatchEventBytes: Int
    /// All response header lines of one response together. Default 1 MiB.
    public var maxHeaderBytes: Int

    public init(maxBodyBytes: Int = 4 << 30, maxErrorBodyBytes: Int = 1 << 20,
                maxWatchEventBytes: Int = 64 << 20, maxHeaderBytes: Int = 1 << 20) {
        self.maxBodyBytes = max(0, maxBodyBytes)
        self.maxErrorBodyBytes = max(0, maxErrorBodyBytes)
        self.maxWatchEventBytes = max(0, maxWatchEventBytes)
        self.maxHeaderBytes = max(0, maxHeaderBytes)
    }
}
