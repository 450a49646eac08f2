import Foundation
import KubeProtobuf

/// Content negotiation for the protobuf media type, as kube-apiserver's
/// `negotiation.NegotiateOutputMediaType` does it: Accept ranges by quality (ties keep
/// header order), the first one this endpoint serves wins. Built-in types serve JSON, YAML
/// and protobuf; custom resources JSON and YAML only (apiextensions-apiserver: "We're not
/// supporting protobuf for now").
enum ProtobufNegotiation {
    enum Choice: Equatable {
        /// Protobuf was asked for and fits: encode the answer as protobuf.
        case protobuf
        /// Let the JSON path answer (JSON, YAML, wildcards, `as=` forms, or no Accept).
        case json
        /// Nothing acceptable: kube-apiserver's 406.
        case notAcceptable
    }

    static let builtinMediaTypes = ["application/json", "application/yaml", KubeProtobuf.mediaType]
    static let customMediaTypes = ["application/json", "application/yaml"]

    /// Upstream's 406 message (apimachinery negotiation.errNotAcceptable).
    static func notAcceptableMessage(builtin: Bool) -> String {
        "only the following media types are accepted: " + (builtin ? builtinMediaTypes : customMediaTypes).joined(separator: ", ")
    }

    /// Upstream's 415 message (negotiation.errUnsupportedMediaType).
    static func unsupportedMediaTypeMessage(builtin: Bool) -> String {
        "the body of the request was in an unknown format - accepted media types include: "
            + (builtin ? builtinMediaTypes : customMediaTypes).joined(separator: ", ")
    }

    static func isProtobuf(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return type == KubeProtobuf.mediaType
    }

    /// What to answer for `accept`. An Accept header that never mentions protobuf keeps the
    /// JSON path's own (lenient) handling unchanged.
    static func choose(accept: String?, protobufAllowed: Bool) -> Choice {
        guard let accept, accept.lowercased().contains("protobuf") else { return .json }
        var ranges: [(range: MediaRange, q: Double, order: Int)] = []
        for (i, range) in MediaRange.parse(accept).enumerated() {
            let q = range.parameters["q"].flatMap(Double.init) ?? 1
            if q > 0 { ranges.append((range, q, i)) }
        }
        ranges.sort { $0.q != $1.q ? $0.q > $1.q : $0.order < $1.order }
        for (range, _, _) in ranges {
            switch range.type {
            case KubeProtobuf.mediaType:
                // `as=Table` / `as=PartialObjectMetadata` in protobuf are not served here.
                if protobufAllowed && range.parameters["as"] == nil { return .protobuf }
            case "application/json", "application/yaml", "*/*", "application/*":
                return .json
            default:
                continue
            }
        }
        return .notAcceptable
    }

    /// Whether the request's path names a resource that may be served as protobuf: a built-in
    /// type (not one a CRD defines). Nil for paths outside /api and /apis resources.
    static func resourceIsBuiltin(_ request: ServerRequest, registry: ResourceRegistry) -> Bool? {
        let s = request.segments
        var group = "", version = "", rest: ArraySlice<String> = []
        if s.count >= 3, s[0] == "api" {
            version = s[1]; rest = s[2...]
        } else if s.count >= 4, s[0] == "apis" {
            group = s[1]; version = s[2]; rest = s[3...]
        } else {
            return nil
        }
        if rest.first == "watch" { rest = rest.dropFirst() }
        if rest.count >= 3, rest.first == "namespaces" { rest = rest.dropFirst(2) }
        guard let name = rest.first else { return nil }
        if let resource = registry.resource(group: group, version: version, name: name) {
            return !resource.isCustom
        }
        return KubeProtobuf.isBuiltinGroup(group)
    }
}
