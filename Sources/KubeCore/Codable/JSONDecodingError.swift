/// A JSON value did not have the shape a model expects.
///
/// The error names where in the document the problem is, in the dotted form
/// `kubectl explain` uses (`spec.containers[0].ports[1].containerPort`), so a user
/// can find the offending field without reading the decoder.
public struct JSONDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One step of a path into a JSON document.
    public enum PathComponent: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// What was wrong, without the path ("expected string, got number").
    public var message: String
    /// Path components, stored innermost first: errors are built at the leaf and
    /// each enclosing decoder appends its step on the way out, which is O(1) per level.
    var reversedPath: [PathComponent]

    public init(_ message: String, path: [PathComponent] = []) {
        self.message = message
        self.reversedPath = path.reversed()
    }

    /// The path from the document root to the offending value.
    public var path: [PathComponent] { reversedPath.reversed() }

    /// The path as text: `spec.containers[0].image`; empty at the root.
    public var pathString: String {
        var out = ""
        for component in path {
            switch component {
            case .key(let key):
                if !out.isEmpty { out += "." }
                out += key
            case .index(let index):
                out += "[\(index)]"
            }
        }
        return out
    }

    public var description: String {
        let path = pathString
        return path.isEmpty ? message : "\(path): \(message)"
    }

    /// The same error, one level further out.
    public func inside(_ component: PathComponent) -> JSONDecodingError {
        var copy = self
        copy.reversedPath.append(component)
        return copy
    }

    /// A value of the wrong JSON type.
    public static func typeMismatch(expected: String, got value: JSON) -> JSONDecodingError {
        JSONDecodingError("expected \(expected), got \(value.typeName)")
    }
}
