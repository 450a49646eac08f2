import Foundation
import KubeCore
import KubeModels

/// The upstream round-trip fixtures copied into Fixtures/ (see api/README.md).
enum FixtureLoader {
    struct Fixture {
        var file: String
        var apiVersion: String
        var kind: String
        var json: JSON
    }

    static var directory: URL {
        get throws {
            guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
                throw CocoaError(.fileNoSuchFile)
            }
            return url
        }
    }

    /// All fixtures, sorted by file name. The file name is `group.version.Kind.json`
    /// (group "core" for the core group); the identity is taken from the name because
    /// some upstream fixtures carry no apiVersion/kind.
    static func all() throws -> [Fixture] {
        let dir = try directory
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { file in
            let data = try Data(contentsOf: dir.appendingPathComponent(file))
            let json = try JSON.parse(bytes: [UInt8](data))
            var parts = file.dropLast(5).split(separator: ".").map(String.init)
            let kind = parts.removeLast()
            let version = parts.removeLast()
            let group = parts.joined(separator: ".")
            let apiVersion = group == "core" ? version : "\(group)/\(version)"
            return Fixture(file: file, apiVersion: apiVersion, kind: kind, json: json)
        }
    }
}

/// Paths where two JSON values differ, for readable failures.
func jsonDifferences(_ a: JSON, _ b: JSON, path: String = "", limit: Int = 5) -> [String] {
    var out: [String] = []
    func walk(_ a: JSON, _ b: JSON, _ path: String) {
        guard out.count < limit else { return }
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for key in Set(x.keys).union(y.keys).sorted() {
                let p = path.isEmpty ? key : "\(path).\(key)"
                switch (x[key], y[key]) {
                case (let u?, let v?): walk(u, v, p)
                case (_?, nil): out.append("\(p): missing after round trip")
                case (nil, _?): out.append("\(p): added by round trip")
                default: break
                }
            }
        case (.array(let x), .array(let y)) where x.count == y.count:
            for i in x.indices { walk(x[i], y[i], "\(path)[\(i)]") }
        default:
            if a != b { out.append("\(path): \(a.serialized()) became \(b.serialized())") }
        }
    }
    walk(a, b, path)
    return out
}
