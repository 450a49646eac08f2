import Foundation
import KubeCore

/// The upstream round-trip fixtures in Fixtures/ (see its README): one object per built-in
/// type and version, as JSON and in the protobuf wire form, named `group.version.Kind`. One
/// copy for the model tests and the protobuf tests.
public enum APIFixtures {
    public struct Fixture: Sendable {
        /// `group.version.Kind`, with group "core" for the core group.
        public var name: String
        public var apiVersion: String
        public var kind: String
        public var json: JSON
        /// The same object in the protobuf form (`k8s\0` + runtime.Unknown).
        public var protobuf: [UInt8]
        /// The JSON file's name.
        public var file: String { name + ".json" }
    }

    public static var directory: URL {
        get throws {
            guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
                throw CocoaError(.fileNoSuchFile)
            }
            return url
        }
    }

    /// Every fixture, sorted by name. The identity comes from the file name, because some
    /// upstream fixtures carry no apiVersion/kind.
    public static func all() throws -> [Fixture] {
        let dir = try directory
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
        return try names.map { name in
            let json = try Data(contentsOf: dir.appendingPathComponent(name + ".json"))
            let protobuf = try Data(contentsOf: dir.appendingPathComponent(name + ".pb"))
            var parts = name.split(separator: ".").map(String.init)
            let kind = parts.removeLast()
            let version = parts.removeLast()
            let group = parts.joined(separator: ".")
            return Fixture(name: name, apiVersion: group == "core" ? version : "\(group)/\(version)", kind: kind,
                           json: try JSON.parse(bytes: [UInt8](json)), protobuf: [UInt8](protobuf))
        }
    }
}

/// Paths where two JSON values differ (at most `limit`), for readable failures.
public func jsonDifferences(_ expected: JSON, _ actual: JSON, limit: Int = 5) -> [String] {
    var out: [String] = []
    func walk(_ a: JSON, _ b: JSON, _ path: String) {
        guard out.count < limit else { return }
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for key in Set(x.keys).union(y.keys).sorted() {
                let p = path.isEmpty ? key : "\(path).\(key)"
                switch (x[key], y[key]) {
                case (let u?, let v?): walk(u, v, p)
                case (let u?, nil): out.append("\(p): only in expected (\(u.serialized().prefix(80)))")
                case (nil, let v?): out.append("\(p): only in actual (\(v.serialized().prefix(80)))")
                default: break
                }
            }
        case (.array(let x), .array(let y)) where x.count == y.count:
            for i in x.indices { walk(x[i], y[i], "\(path)[\(i)]") }
        default:
            if a != b { out.append("\(path): expected \(a.serialized().prefix(80)), got \(b.serialized().prefix(80))") }
        }
    }
    walk(expected, actual, "")
    return out
}
