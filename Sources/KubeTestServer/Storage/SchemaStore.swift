import Foundation
import KubeCore

/// The strategic-merge-patch schema of the built-in types, parsed once on first use
/// from the bundled Kubernetes v1.37 definitions.
enum SchemaStore {
    static let shared: PatchSchema? = {
        guard let url = Bundle.module.url(forResource: "definitions-v1.37.0", withExtension: "json", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "definitions-v1.37.0", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let json = try? JSON.parse(bytes: [UInt8](data)) else { return nil }
        return PatchSchema(definitions: json)
    }()

    /// The bundled APIResourceList documents.
    static func discoveryDocument() throws -> JSON {
        guard let url = Bundle.module.url(forResource: "discovery-resourcelists", withExtension: "json", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "discovery-resourcelists", withExtension: "json") else {
            throw Status.internalError("discovery-resourcelists.json missing from the bundle")
        }
        return try JSON.parse(bytes: [UInt8](try Data(contentsOf: url)))
    }
}
