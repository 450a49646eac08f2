import Testing
@testable import KubeCore

@Suite("YAML")
struct YAMLTests {
    @Test("a Deployment manifest converts to the JSON Kubernetes would produce")
    func manifest() throws {
        let text = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: my-nginx-app
          labels: {app: nginx}
        spec:
          replicas: 3
          template:
            spec:
              containers:
              - name: nginx
                image: "nginx:1.7.9"
                ports:
                - containerPort: 80
                args: [--a, '--b']
        """
        let value = try YAML.parse(text)
        #expect(value == (try json(#"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"my-nginx-app","labels":{"app":"nginx"}},
         "spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.7.9",
         "ports":[{"containerPort":80}],"args":["--a","--b"]}]}}}}
        """#)))
    }

    @Test("plain scalars resolve by the YAML 1.2 core schema", arguments: [
        ("~", JSON.null), ("null", .null), ("Null", .null), ("NULL", .null), ("", .null),
        ("true", .bool(true)), ("True", .bool(true)), ("TRUE", .bool(true)), ("false", .bool(false)), ("FALSE", .bool(false)),
        ("0", .int(0)), ("-17", .int(-17)), ("+5", .int(5)), ("0x1F", .int(31)), ("0o17", .int(15)), ("007", .int(7)),
        ("9223372036854775807", .int(Int64.max)), ("1.5", .double(1.5)), ("-2.5e3", .double(-2500)), (".5", .double(0.5)),
        ("1e3", .double(1000)), (".inf", .double(.infinity)), ("-.Inf", .double(-.infinity)),
        ("yes", .string("yes")), ("on", .string("on")), ("1.2.3", .string("1.2.3")), ("0x", .string("0x")),
        ("nulls", .string("nulls")), ("truex", .string("truex")), ("-x", .string("-x")), ("+", .string("+")), (".", .string(".")), ("1e", .string("1e")),
        ("12:30", .string("12:30")), ("0xZZ", .string("0xZZ")), ("hello world", .string("hello world")),
    ] as [(String, JSON)])
    func scalarResolution(text: String, expected: JSON) throws {
        #expect(try YAML.parse("v: \(text)") == ["v": expected])
    }

    @Test(".nan becomes a NaN double")
    func nan() throws {
        #expect(try YAML.parse("v: .nan")["v"]?.doubleValue?.isNaN == true)
    }

    @Test("quoted and block scalars are always strings; tags are honoured")
    func quotedAndTagged() throws {
        let value = try YAML.parse("""
        a: "true"
        b: '123'
        c: |
          line1
          line2
        d: >-
          folded
          text
        e: !!str 42
        f: !!int "42"
        g: !!float 1
        h: !custom 7
        """)
        #expect(value == ["a": "true", "b": "123", "c": "line1\nline2\n", "d": "folded text", "e": "42", "f": 42, "g": 1.0, "h": 7])
        #expect(throws: YAMLError.self) { try YAML.parse("a: !!int abc") }
    }

    @Test("multi-document streams skip empty documents")
    func multiDocument() throws {
        let documents = try YAML.parseDocuments("""
        ---
        # only a comment
        ---
        kind: A
        ---
        ---
        kind: B
        ...
        ---
        kind: C
        """)
        #expect(documents == [["kind": "A"], ["kind": "B"], ["kind": "C"]])
        #expect(try YAML.parseDocuments("") == [])
        #expect(try YAML.parse("") == .null)
        #expect(throws: YAMLError.self) { try YAML.parse("a: 1\n---\nb: 2\n") }
    }

    @Test("anchors, aliases and merge keys are resolved")
    func anchors() throws {
        let value = try YAML.parse("""
        base: &base
          image: nginx
          pull: Always
        extra: &extra {port: 80}
        list: &items [1, 2]
        a:
          <<: *base
          pull: Never
        b:
          <<: [*base, *extra]
        c: *items
        "<<": literal
        """)
        #expect(value["a"] == ["image": "nginx", "pull": "Never"])
        #expect(value["b"] == ["image": "nginx", "pull": "Always", "port": 80])
        #expect(value["c"] == [1, 2])
        #expect(value["<<"] == "literal")
        #expect(throws: YAMLError.self) { try YAML.parse("a: *nope") }
    }

    @Test("non-string keys become their text")
    func keys() throws {
        #expect(try YAML.parse("1: a\ntrue: b\nx: c") == ["1": "a", "true": "b", "x": "c"])
        #expect(throws: YAMLError.self) { try YAML.parse("? [a, b]\n: c") }
    }

    @Test("syntax errors carry the line and column", arguments: [
        ("a: 1\nb: [1, 2\n", 3),
        ("a:\n  b: 1\n c: 2\n", 3),
        ("key: \"unterminated\n", 2),
        ("a: 1\n\tb: 2\n", 2),
        ("a: 1\nb: \u{1}\n", 2),
    ])
    func errors(text: String, line: Int) {
        do {
            _ = try YAML.parse(text)
            Issue.record("parsed")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.column > 0)
            #expect(error.description.hasPrefix("yaml: line \(line), column"))
        }
    }

    @Test("emitted YAML parses back to the same JSON", arguments: [
        ##"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","labels":{}},"data":{"a":"1","b":"true","c":"null","d":"","e":"- x","f":"multi\nline\n","g":"keep\n\n","h":"strip","i":" lead","j":"a: b","k":"#c","l":"yes","m":"x\ty","n":"trail ","o":"\u0001","p":"<<","q":"üñï","r":"0777","s":"1.5"}}"##,
        #"{"list":[[1,2],[],{},[{"a":[{"b":null}]}],-1.5,1e300,true,null],"nested":{"deep":{"deeper":[1]}}}"#,
        #"[{"a":1},{"b":[1,2]},"s"]"#,
        #""just a string""#,
        #"[]"#,
        #"{}"#,
        #"{"block":"line1\n  indented\nline3"}"#,
    ])
    func emitRoundTrip(text: String) throws {
        let value = try json(text)
        let yaml = YAML.emit(value)
        #expect(try YAML.parse(yaml) == value, "\(yaml)")
    }

    @Test("emit uses block style, kubectl list indentation and literal blocks")
    func emitStyle() throws {
        let value: JSON = ["metadata": ["name": "web"], "spec": ["ports": [["port": 80]], "args": ["a", "1"]], "data": ["f": "x\ny\n"]]
        #expect(YAML.emit(value) == """
        data:
          f: |
            x
            y
        metadata:
          name: web
        spec:
          args:
          - a
          - "1"
          ports:
          - port: 80

        """)
    }

    @Test("hostile documents are refused: alias bombs and absurd nesting")
    func hostile() {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for level in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            bomb += "\(level): &\(level) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
            previous = level
        }
        #expect(throws: YAMLError.self) { try YAML.parse(bomb) }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: YAMLError.self) { try YAML.parse(deep) }
    }
}
