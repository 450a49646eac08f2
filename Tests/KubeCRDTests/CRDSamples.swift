import Foundation
import KubeCore

/// The sample objects of Samples/ (read from the source tree, as the regeneration test reads
/// the generator: they are test inputs, not resources of the target).
enum CRDSamples {
    static var folder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Samples")
    }

    /// The parsed JSON of `Samples/<name>.json`.
    static func json(_ name: String) throws -> JSON {
        let data = try Data(contentsOf: folder.appendingPathComponent("\(name).json"))
        return try JSON.parse(bytes: Array(data))
    }
}
