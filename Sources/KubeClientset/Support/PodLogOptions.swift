import KubeModels

/// Query options of a pod's `log` subresource (core/v1 PodLogOptions, which the
/// schema definitions do not carry because it is only ever sent as a query).
public struct PodLogOptions: Sendable, Hashable {
    /// The container to read; required when the pod has more than one.
    public var container: String?
    /// Keep the stream open and deliver new lines as they are written.
    public var follow: Bool
    /// The previous, terminated instance of the container.
    public var previous: Bool
    /// Only lines newer than this many seconds.
    public var sinceSeconds: Int64?
    /// Only lines after this time (exclusive with `sinceSeconds`).
    public var sinceTime: Time?
    /// Prefix every line with an RFC 3339 timestamp.
    public var timestamps: Bool
    /// Only the last N lines.
    public var tailLines: Int64?
    /// Stop after this many bytes.
    public var limitBytes: Int64?
    /// "Stdout", "Stderr" or "All" (default All).
    public var stream: String?

    public init(container: String? = nil, follow: Bool = false, previous: Bool = false, sinceSeconds: Int64? = nil,
                sinceTime: Time? = nil, timestamps: Bool = false, tailLines: Int64? = nil, limitBytes: Int64? = nil,
                stream: String? = nil) {
        self.container = container
        self.follow = follow
        self.previous = previous
        self.sinceSeconds = sinceSeconds
        self.sinceTime = sinceTime
        self.timestamps = timestamps
        self.tailLines = tailLines
        self.limitBytes = limitBytes
        self.stream = stream
    }

    /// The options as query parameters, only those that differ from the defaults.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let container { items.append(("container", container)) }
        if follow { items.append(("follow", "true")) }
        if previous { items.append(("previous", "true")) }
        if let sinceSeconds { items.append(("sinceSeconds", String(sinceSeconds))) }
        if let sinceTime { items.append(("sinceTime", sinceTime.rfc3339)) }
        if timestamps { items.append(("timestamps", "true")) }
        if let tailLines { items.append(("tailLines", String(tailLines))) }
        if let limitBytes { items.append(("limitBytes", String(limitBytes))) }
        if let stream { items.append(("stream", stream)) }
        return items
    }
}
