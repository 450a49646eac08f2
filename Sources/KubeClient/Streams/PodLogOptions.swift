import KubeCore

/// What `pods/log` returns: the query options of `kubectl logs`.
///
/// The defaults are kubectl's: the whole log of the pod's only container, no follow.
public struct PodLogOptions: Sendable, Equatable {
    /// The container to read; nil: the pod's only container (the server answers 400 when it has several).
    public var container: String?
    /// Keep the stream open and deliver new lines as they are written (`kubectl logs -f`).
    public var follow: Bool
    /// The previous, terminated instance of the container.
    public var previous: Bool
    /// Only lines newer than this many seconds (positive).
    public var sinceSeconds: Int?
    /// Only lines at or after this RFC 3339 time ("2026-01-02T03:04:05Z").
    public var sinceTime: String?
    /// Prefix every line with its RFC 3339 time.
    public var timestamps: Bool
    /// Only the last N lines (0: none).
    public var tailLines: Int?
    /// Stop after this many bytes (positive).
    public var limitBytes: Int?
    /// Do not verify the kubelet's serving certificate (the server's `insecureSkipTLSVerifyBackend`).
    public var insecureSkipTLSVerifyBackend: Bool
    /// "Stdout", "Stderr" or "All" (nil: all; servers without split logs refuse the others).
    public var stream: String?

    public init(container: String? = nil, follow: Bool = false, previous: Bool = false, sinceSeconds: Int? = nil,
                sinceTime: String? = nil, timestamps: Bool = false, tailLines: Int? = nil, limitBytes: Int? = nil,
                insecureSkipTLSVerifyBackend: Bool = false, stream: String? = nil) {
        self.container = container
        self.follow = follow
        self.previous = previous
        self.sinceSeconds = sinceSeconds
        self.sinceTime = sinceTime
        self.timestamps = timestamps
        self.tailLines = tailLines
        self.limitBytes = limitBytes
        self.insecureSkipTLSVerifyBackend = insecureSkipTLSVerifyBackend
        self.stream = stream
    }

    /// Refuses values the server would reject anyway, with a message naming the option.
    public func validate() throws(KubeError) {
        if let sinceSeconds, sinceSeconds <= 0 { throw .invalidArgument("sinceSeconds must be positive, not \(sinceSeconds)") }
        if let tailLines, tailLines < 0 { throw .invalidArgument("tailLines must not be negative, not \(tailLines)") }
        if let limitBytes, limitBytes <= 0 { throw .invalidArgument("limitBytes must be positive, not \(limitBytes)") }
        if sinceSeconds != nil, sinceTime != nil {
            throw .invalidArgument("at most one of sinceSeconds and sinceTime may be set")
        }
        if let container, container.isEmpty { throw .invalidArgument("container is empty (use nil for the only container)") }
        if let stream, !["Stdout", "Stderr", "All"].contains(stream) {
            throw .invalidArgument("stream must be Stdout, Stderr or All, not \(stream)")
        }
    }

    /// The query of the request, in the order kubectl sends it.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let container { items.append(("container", container)) }
        if follow { items.append(("follow", "true")) }
        if previous { items.append(("previous", "true")) }
        if let sinceSeconds { items.append(("sinceSeconds", String(sinceSeconds))) }
        if let sinceTime { items.append(("sinceTime", sinceTime)) }
        if timestamps { items.append(("timestamps", "true")) }
        if let tailLines { items.append(("tailLines", String(tailLines))) }
        if let limitBytes { items.append(("limitBytes", String(limitBytes))) }
        if insecureSkipTLSVerifyBackend { items.append(("insecureSkipTLSVerifyBackend", "true")) }
        if let stream { items.append(("stream", stream)) }
        return items
    }
}
