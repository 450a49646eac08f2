/// One API request, built but not sent: verb, resource location, query and body.
///
/// `path` follows the API server's layout: the core group under `/api/v1`, every other
/// group under `/apis/GROUP/VERSION`, then `namespaces/NS` for namespaced resources, the
/// resource, the name and the subresource. With no resource it addresses the group-version
/// itself (discovery).
public struct APIRequest: Sendable {
    /// HTTP method: GET, POST, PUT, PATCH, DELETE.
    public var method: String
    /// API group; "" or nil is the core group.
    public var group: String?
    /// API version; `v1` when nil.
    public var version: String?
    /// Namespace for namespaced resources.
    public var namespace: String?
    /// Resource (plural name), such as `deployments`.
    public var resource: String?
    /// The owner's name.
    public var name: String?
    /// Subresource, such as `status` or `scale`.
    public var subresource: String?
    /// Query parameters (name, value), unencoded, in order.
    public var query: [(String, String)]
    /// Request body.
    public var body: [UInt8]?
    /// Content-Type of the body.
    public var contentType: String?
    /// Accept header; the transport's default when nil.
    public var accept: String?

    /// A request; with no resource it addresses the group-version (discovery).
    public init(method: String = "GET", group: String? = nil, version: String? = nil, namespace: String? = nil,
                resource: String? = nil, name: String? = nil, subresource: String? = nil,
                query: [(String, String)] = [], body: [UInt8]? = nil, contentType: String? = nil,
                accept: String? = nil) {
        self.method = method
        self.group = group
        self.version = version
        self.namespace = namespace
        self.resource = resource
        self.name = name
        self.subresource = subresource
        self.query = query
        self.body = body
        self.contentType = contentType
        self.accept = accept
    }

    /// A request for a resource named by group, version and resource.
    public init(method: String = "GET", for gvr: GroupVersionResource, namespace: String? = nil, name: String? = nil,
                subresource: String? = nil, query: [(String, String)] = [], body: [UInt8]? = nil,
                contentType: String? = nil, accept: String? = nil) {
        self.init(method: method, group: gvr.group, version: gvr.version, namespace: namespace, resource: gvr.resource,
                  name: name, subresource: subresource, query: query, body: body, contentType: contentType, accept: accept)
    }

    /// Appends query parameters (e.g. `ListOptions.queryItems`).
    public mutating func addQuery(_ items: [(String, String)]) {
        query.append(contentsOf: items)
    }

    /// Checks every path segment (see `PathSegment`): call before sending, so that what is
    /// sent addresses exactly the object named. A nil (or, for group and namespace, empty)
    /// part is left out of the path; an empty name or a subresource without a name is refused,
    /// since dropping it would address the whole collection.
    public func validate() throws(RequestError) {
        func check(_ value: String?, _ part: String, allowEmpty: Bool = false) throws(RequestError) {
            guard let value else { return }
            if value.isEmpty && allowEmpty { return }
            if let problem = PathSegment.problem(value) {
                throw RequestError(part: part, message: "\(Self.quoted(value)) \(problem)")
            }
        }
        try check(group, "API group", allowEmpty: true)
        try check(version, "API version")
        try check(namespace, "namespace", allowEmpty: true)
        try check(resource, "resource")
        try check(name, "resource name")
        try check(subresource, "subresource")
        if subresource != nil, name == nil {
            throw RequestError(part: "subresource", message: "needs a resource name")
        }
        if name != nil, resource == nil {
            throw RequestError(part: "resource name", message: "needs a resource")
        }
    }

    /// A value shown in an error, with control characters escaped so that it cannot forge log lines.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The percent-encoded path, e.g. `/apis/apps/v1/namespaces/default/deployments/web/scale`.
    public var path: String {
        var out: String
        let version = self.version ?? "v1"
        if let group, !group.isEmpty {
            out = "/apis/" + PercentEncoding.pathSegment(group) + "/" + PercentEncoding.pathSegment(version)
        } else {
            out = "/api/" + PercentEncoding.pathSegment(version)
        }
        if let namespace, !namespace.isEmpty {
            out += "/namespaces/" + PercentEncoding.pathSegment(namespace)
        }
        if let resource, !resource.isEmpty {
            out += "/" + PercentEncoding.pathSegment(resource)
            if let name, !name.isEmpty {
                out += "/" + PercentEncoding.pathSegment(name)
                if let subresource, !subresource.isEmpty {
                    out += "/" + PercentEncoding.pathSegment(subresource)
                }
            }
        }
        return out
    }

    /// The encoded query string without `?` ("" when there is no query).
    public var queryString: String {
        query.map { PercentEncoding.query($0.0) + "=" + PercentEncoding.query($0.1) }.joined(separator: "&")
    }

    /// `path` plus `?query` when there is one.
    public var pathAndQuery: String {
        query.isEmpty ? path : path + "?" + queryString
    }
}
