import KubeCore

/// Parses manifests — multi-document YAML, or JSON — into objects, flattening `kind: List`
/// (and any `…List` with `items`) the way `kubectl apply -f` does.
public enum Manifest {
    /// The objects of `text`, in document order. Empty documents are skipped. Each object must
    /// have `apiVersion` and `kind`; the error names the document (1-based) that lacks them.
    public static func parse(_ text: String) throws(KubeError) -> [Unstructured] {
        let documents: [JSON]
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}" }
        if trimmed.first == "{" || trimmed.first == "[" {
            do {
                let value = try JSON.parse(String(trimmed))
                if case .array(let array) = value { documents = array } else { documents = [value] }
            } catch {
                // A JSON stream of several objects, or JSON-looking YAML: let the YAML parser decide.
                documents = try parseYAML(text)
            }
        } else {
            documents = try parseYAML(text)
        }
        var objects: [Unstructured] = []
        for (index, document) in documents.enumerated() {
            try flatten(document, location: "document \(index + 1)", into: &objects)
        }
        return objects
    }

    private static func parseYAML(_ text: String) throws(KubeError) -> [JSON] {
        do {
            return try YAML.parseDocuments(text)
        } catch {
            throw .decoding("manifest is not valid YAML: \(error)")
        }
    }

    private static func flatten(_ value: JSON, location: String, into objects: inout [Unstructured]) throws(KubeError) {
        switch value {
        case .null:
            return
        case .object(let members):
            if members.isEmpty { return }
        default:
            throw .decoding("\(location): expected an object, found \(value.typeName)")
        }
        let kind = value["kind"]?.stringValue
        if let kind, kind.hasSuffix("List"), let items = value["items"]?.arrayValue {
            for (index, item) in items.enumerated() {
                try flatten(item, location: "\(location), item \(index + 1)", into: &objects)
            }
            return
        }
        guard let apiVersion = value["apiVersion"]?.stringValue, !apiVersion.isEmpty else {
            throw .decoding("\(location): object has no apiVersion")
        }
        guard let kind, !kind.isEmpty else {
            throw .decoding("\(location): object (apiVersion \(apiVersion)) has no kind")
        }
        do {
            objects.append(try Unstructured(json: value))
        } catch {
            throw .decoding("\(location) (\(kind)): \(error)")
        }
    }
}
