import Testing
@testable import KubeCore
import KubeTestSupport

@Suite("Label selectors")
struct LabelSelectorTests {
    let labels: [String: String] = ["app": "web", "tier": "frontend", "env": "prod", "replicas": "3"]

    @Test("the empty selector matches everything and prints as empty")
    func empty() throws {
        let selector = try LabelSelector(parsing: "")
        #expect(selector.isEmpty)
        #expect(selector.matches([:]))
        #expect(selector.matches(labels))
        #expect(selector.description == "")
        #expect(try LabelSelector(parsing: "   ") == .everything)
    }

    @Test("equality operators =, == and != match as Kubernetes does")
    func equality() throws {
        #expect(try LabelSelector(parsing: "app=web").matches(labels))
        #expect(try LabelSelector(parsing: "app==web").matches(labels))
        #expect(try !LabelSelector(parsing: "app=api").matches(labels))
        #expect(try !LabelSelector(parsing: "missing=x").matches(labels))
        #expect(try LabelSelector(parsing: "app!=api").matches(labels))
        #expect(try !LabelSelector(parsing: "app!=web").matches(labels))
        // != matches objects without the label at all
        #expect(try LabelSelector(parsing: "missing!=x").matches(labels))
        #expect(try LabelSelector(parsing: "app==web") == LabelSelector(parsing: "app=web"))
    }

    @Test("matching works on JSON labels and through a lookup closure")
    func jsonLabels() throws {
        let selector = try LabelSelector(parsing: "app=web,!canary,env in (prod)")
        #expect(selector.matches(labelsJSON: ["app": "web", "env": "prod"]))
        #expect(!selector.matches(labelsJSON: ["app": "web", "env": "prod", "canary": "1"]))
        #expect(!selector.matches(labelsJSON: nil))
        #expect(LabelSelector.everything.matches(labelsJSON: nil))
        #expect(try LabelSelector(parsing: "!x").matches(labelsJSON: nil))
        #expect(selector.matches { labels[$0] })
    }

    @Test("set operators in and notin match as Kubernetes does")
    func sets() throws {
        #expect(try LabelSelector(parsing: "env in (prod,staging)").matches(labels))
        #expect(try !LabelSelector(parsing: "env in (dev,staging)").matches(labels))
        #expect(try !LabelSelector(parsing: "missing in (a)").matches(labels))
        #expect(try LabelSelector(parsing: "env notin (dev,staging)").matches(labels))
        #expect(try !LabelSelector(parsing: "env notin (prod)").matches(labels))
        #expect(try LabelSelector(parsing: "missing notin (a)").matches(labels))
    }

    @Test("existence operators key and !key")
    func existence() throws {
        #expect(try LabelSelector(parsing: "app").matches(labels))
        #expect(try !LabelSelector(parsing: "missing").matches(labels))
        #expect(try LabelSelector(parsing: "!missing").matches(labels))
        #expect(try !LabelSelector(parsing: "!app").matches(labels))
    }

    @Test("numeric comparison operators > and <")
    func numeric() throws {
        #expect(try LabelSelector(parsing: "replicas>2").matches(labels))
        #expect(try !LabelSelector(parsing: "replicas>3").matches(labels))
        #expect(try LabelSelector(parsing: "replicas<4").matches(labels))
        #expect(try !LabelSelector(parsing: "app<4").matches(labels))
        #expect(throws: SelectorError.self) { try LabelSelector(parsing: "replicas>x") }
    }

    @Test("comma means AND, whitespace is ignored, and the canonical form is sorted")
    func conjunction() throws {
        let selector = try LabelSelector(parsing: "  tier = frontend ,app in ( web , api ) ,  !canary,env ")
        #expect(selector.requirements.count == 4)
        #expect(selector.matches(labels))
        #expect(!selector.matches(labels.merging(["canary": "1"]) { $1 }))
        #expect(selector.description == "app in (api,web),!canary,env,tier=frontend")
        // The canonical form parses back to the same selector.
        #expect(try LabelSelector(parsing: selector.description) == selector)
    }

    @Test("values can be empty and keys can carry a DNS prefix")
    func emptyValuesAndPrefixes() throws {
        #expect(try LabelSelector(parsing: "app=").matches(["app": ""]))
        #expect(try LabelSelector(parsing: "app in (,a)").matches(["app": ""]))
        let prefixed = try LabelSelector(parsing: "app.kubernetes.io/name=nginx")
        #expect(prefixed.matches(["app.kubernetes.io/name": "nginx"]))
        #expect(prefixed.description == "app.kubernetes.io/name=nginx")
    }

    @Test("syntax errors name the problem and position", arguments: [
        ("app=web,", "expected: identifier"),
        ("app in (a", "expected: ')'"),
        ("app in a", "expected: '('"),
        ("app notin", "expected: '('"),
        ("=web", "expected: identifier"),
        ("app=web=x", "expected: ','"),
        ("app web", "expected: in, notin"),
        ("!app=web", "after '!app'"),
        ("a b c", "expected: in, notin"),
        ("app=(x)", "expected: value"),
    ])
    func syntaxErrors(input: String, fragment: String) {
        do {
            _ = try LabelSelector(parsing: input)
            Issue.record("\"\(input)\" parsed")
        } catch {
            #expect(error.selector == input)
            #expect(error.description.contains(fragment), "\(error.description)")
            #expect(error.description.contains("position"))
        }
    }

    @Test("invalid keys and values are rejected", arguments: [
        "-app=web", "app-=web", "app=-web", "app=a b", "/name=x", "Example.com/name=x",
        "app=\(String(repeating: "x", count: 64))", "\(String(repeating: "k", count: 64))=v",
    ])
    func validation(input: String) {
        #expect(throws: SelectorError.self) { try LabelSelector(parsing: input) }
    }

    @Test("a metav1.LabelSelector JSON becomes the same selector as its text form")
    func fromJSON() throws {
        let json: JSON = [
            "matchLabels": ["app": "web"],
            "matchExpressions": [
                ["key": "env", "operator": "In", "values": ["prod", "staging"]],
                ["key": "tier", "operator": "NotIn", "values": ["backend"]],
                ["key": "team", "operator": "Exists"],
                ["key": "canary", "operator": "DoesNotExist"],
            ],
        ]
        let selector = try LabelSelector(labelSelectorJSON: json)
        #expect(selector == (try LabelSelector(parsing: "app=web,env in (prod,staging),tier notin (backend),team,!canary")))
        #expect(selector.matches(["app": "web", "env": "prod", "team": "a"]))
        #expect(!selector.matches(["app": "web", "env": "prod"]))
        #expect(try LabelSelector(labelSelectorJSON: selector.labelSelectorJSON()) == selector)
        #expect(try LabelSelector(labelSelectorJSON: [:]) == .everything)
        #expect(try LabelSelector(labelSelectorJSON: .null) == .everything)
    }

    @Test("malformed metav1.LabelSelector JSON is rejected", arguments: [
        ["matchExpressions": [["key": "a", "operator": "Gt", "values": ["1"]]]] as JSON,
        ["matchExpressions": [["key": "a", "operator": "In"]]] as JSON,
        ["matchExpressions": [["key": "a", "operator": "Exists", "values": ["x"]]]] as JSON,
        ["matchLabels": ["a": 1]] as JSON,
        ["matchLabels": "a=b"] as JSON,
        "app=web" as JSON,
    ])
    func badJSON(json: JSON) {
        #expect(throws: SelectorError.self) { try LabelSelector(labelSelectorJSON: json) }
    }

    @Test("random selectors print in a canonical form that parses back to an equal selector")
    func randomRoundTrip() throws {
        var rng = SeededGenerator(defaultSeed: 19)
        let keys = ["a", "b", "app", "x.io/y"]
        let values = ["1", "v", "web", ""]
        for _ in 0..<300 {
            var parts: [String] = []
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let key = keys.randomElement(using: &rng) ?? "a"
                let value = values.randomElement(using: &rng) ?? "v"
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: parts.append("\(key)=\(value)")
                case 1: parts.append("\(key) != \(value)")
                case 2: parts.append("\(key) in (\(value), web)")
                case 3: parts.append("\(key) notin (\(value))")
                case 4: parts.append(key)
                default: parts.append("!\(key)")
                }
            }
            let selector = try LabelSelector(parsing: parts.joined(separator: ", "))
            let again = try LabelSelector(parsing: selector.description)
            #expect(again == selector)
            #expect(again.description == selector.description)
        }
    }
}
