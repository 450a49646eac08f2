import KubeCore

/// One object a caller gave as text, JSON or YAML (kubectl accepts either), parsed once for
/// its name and namespace; `bytes` is what is sent.
public struct ObjectText: Sendable {
    public let bytes: [UInt8]
    public let object: Unstructured

    /// A body for create / update: JSON text is sent as is; YAML holding exactly one object
    /// is converted to JSON. `what` names the argument in messages ("body_json").
    public init(jsonOrYAML text: [UInt8], what: String) throws(KubeError) {
        let first = text.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        guard first == UInt8(ascii: "{") else {
            let only = try Self.single(text, what: what, message: "the body must hold exactly one object")
            object = only
            bytes = only.object.serializedBytes()
            return
        }
        bytes = text
        let json: JSON
        do {
            json = try text.withUnsafeBytes { (raw) throws(JSONError) -> JSON in try JSON.parse(raw) }
        } catch {
            throw .invalidArgument("\(what) is not valid JSON: \(error)")
        }
        do {
            object = try Unstructured(json: json)
        } catch {
            throw .invalidArgument("\(what) is not a Kubernetes object: \(error)")
        }
    }

    /// A manifest for server-side apply (YAML or JSON) holding exactly one object; sent as given.
    public init(manifest text: [UInt8], what: String) throws(KubeError) {
        object = try Self.single(text, what: what, message: "\(what) must hold exactly one object")
        bytes = text
    }

    /// metadata.name, required.
    public func name() throws(KubeError) -> String {
        guard let name = object.name, !name.isEmpty else {
            throw .invalidArgument("the object has no metadata.name")
        }
        return name
    }

    private static func single(_ text: [UInt8], what: String, message: String) throws(KubeError) -> Unstructured {
        guard let string = String(validating: text, as: UTF8.self) else {
            throw .invalidArgument("\(what) is not valid UTF-8")
        }
        let objects = try Manifest.parse(string)
        guard objects.count == 1, let only = objects.first else {
            throw .invalidArgument("\(message), found \(objects.count)")
        }
        return only
    }
}
