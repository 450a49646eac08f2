import Foundation
import KubeCore

/// The JSONPath subset printer columns use: `.a.b`, `.a[0].b`, `{.a.b}`.
struct JSONPathLite: Sendable {
    enum Step: Sendable { case key(String), index(Int) }
    let steps: [Step]

    init(_ text: String) {
        var path = Substring(text)
        if path.hasPrefix("{") && path.hasSuffix("}") { path = path.dropFirst().dropLast() }
        var steps: [Step] = []
        for segment in path.split(separator: ".", omittingEmptySubsequences: true) {
            var rest = segment
            if let bracket = rest.firstIndex(of: "[") {
                let key = rest[..<bracket]
                if !key.isEmpty { steps.append(.key(String(key))) }
                rest = rest[bracket...]
                while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                    let inner = rest[rest.index(after: rest.startIndex)..<close]
                    if let n = Int(inner) { steps.append(.index(n)) } else { steps.append(.key(inner.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")))) }
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                steps.append(.key(String(rest)))
            }
        }
        self.steps = steps
    }

    func evaluate(_ object: JSON) -> JSON? {
        var current = object
        for step in steps {
            switch step {
            case .key(let key):
                guard let next = current[key] else { return nil }
                current = next
            case .index(let index):
                guard let array = current.arrayValue else { return nil }
                let i = index < 0 ? array.count + index : index
                guard i >= 0, i < array.count else { return nil }
                current = array[i]
            }
        }
        return current
    }
}
