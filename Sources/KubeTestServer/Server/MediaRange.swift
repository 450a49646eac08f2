import Foundation

/// One media range of an Accept header: `application/json;as=Table;v=v1;g=meta.k8s.io`.
struct MediaRange {
    /// The type, lower-cased ("application/json").
    var type: String
    /// Parameters by lower-cased name.
    var parameters: [String: String]

    /// The ranges of `accept`, in order.
    static func parse(_ accept: String) -> [MediaRange] {
        accept.split(separator: ",").compactMap { range in
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let type = parts.first?.lowercased() else { return nil }
            var parameters: [String: String] = [:]
            for part in parts.dropFirst() {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { parameters[pair[0].lowercased()] = String(pair[1]) }
            }
            return MediaRange(type: type, parameters: parameters)
        }
    }

    /// JSON, or a wildcard that JSON satisfies.
    var isJSON: Bool { type == "application/json" || type == "*/*" || type == "application/*" }

    /// The meta.k8s.io version asked for with `as=`, when it is one this server speaks.
    var metaVersion: String? {
        guard parameters["g"] == "meta.k8s.io", let v = parameters["v"], v == "v1" || v == "v1beta1" else { return nil }
        return v
    }
}
