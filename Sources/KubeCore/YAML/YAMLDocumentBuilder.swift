import CYaml

/// Turns libyaml's event stream into `JSON` documents.
///
/// Mappings and sequences under construction sit on a stack; a finished node is handed to
/// its parent (as a key or a value). Anchors are remembered as finished `JSON` values, so an
/// alias is a copy-on-write copy rather than a re-parse. Merge keys (`<<`) are collected and
/// applied when their mapping ends, so explicit keys win wherever they appear.
struct YAMLDocumentBuilder {
    private enum Frame {
        case sequence(items: [JSON], anchor: String?)
        case mapping(members: [String: JSON], pendingKey: String?, merges: [JSON], anchor: String?, line: Int, column: Int)
    }

    /// Same nesting limit as the JSON parser: deeper documents are hostile, not manifests.
    static let maxDepth = 512
    /// Nodes that aliases may add in one document: enough for any real manifest, far below
    /// what a "billion laughs" document expands to once serialized.
    static let maxAliasedNodes = 1_000_000

    private var stack: [Frame] = []
    private var anchors: [String: (value: JSON, nodes: Int)] = [:]
    /// Node counts of the open collections, parallel to `stack`.
    private var nodeCounts: [Int] = []
    private var aliasedNodes = 0
    private var root: JSON?
    private(set) var documents: [JSON] = []

    /// Feeds one event; throws on structures JSON cannot hold.
    mutating func handle(_ event: inout yaml_event_t) throws(YAMLError) {
        let line = Int(event.start_mark.line) + 1
        let column = Int(event.start_mark.column) + 1
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            root = nil
            aliasedNodes = 0
            anchors.removeAll(keepingCapacity: true)
        case YAML_DOCUMENT_END_EVENT:
            // Empty documents (`---` alone, comments only, explicit null) are skipped, as kubectl does.
            if let root, !root.isNull { documents.append(root) }
            root = nil
        case YAML_SEQUENCE_START_EVENT:
            try push(line: line, column: column)
            stack.append(.sequence(items: [], anchor: Self.string(event.data.sequence_start.anchor)))
        case YAML_MAPPING_START_EVENT:
            try push(line: line, column: column)
            stack.append(.mapping(members: [:], pendingKey: nil, merges: [], anchor: Self.string(event.data.mapping_start.anchor),
                                  line: line, column: column))
        case YAML_SEQUENCE_END_EVENT:
            guard case .sequence(let items, let anchor)? = stack.popLast() else {
                throw YAMLError(message: "unbalanced sequence end", line: line, column: column)
            }
            try finish(.array(items), nodes: nodeCounts.popLast() ?? 1, anchor: anchor, isKeyable: false, line: line, column: column)
        case YAML_MAPPING_END_EVENT:
            guard case .mapping(var members, _, let merges, let anchor, _, _)? = stack.popLast() else {
                throw YAMLError(message: "unbalanced mapping end", line: line, column: column)
            }
            for source in merges {
                for (key, value) in source.objectValue ?? [:] where members[key] == nil {
                    members[key] = value
                }
            }
            try finish(.object(members), nodes: nodeCounts.popLast() ?? 1, anchor: anchor, isKeyable: false, line: line, column: column)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text: String
            if let value = scalar.value {
                text = String(decoding: UnsafeBufferPointer(start: value, count: Int(scalar.length)), as: UTF8.self)
            } else {
                text = ""
            }
            let value = try Self.resolve(text, tag: Self.string(scalar.tag), plain: scalar.style == YAML_PLAIN_SCALAR_STYLE,
                                         line: line, column: column)
            // A plain `<<` in key position is a merge key; its raw text tells it from a quoted "<<".
            let isMergeKey = text == "<<" && scalar.style == YAML_PLAIN_SCALAR_STYLE
            try finish(value, nodes: 1, anchor: Self.string(scalar.anchor), isKeyable: true, keyText: isMergeKey ? Self.mergeMarker : text,
                       line: line, column: column)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let (value, nodes) = anchors[name] else {
                throw YAMLError(message: "unknown anchor '\(name)' referenced", line: line, column: column)
            }
            aliasedNodes += nodes
            if aliasedNodes > Self.maxAliasedNodes {
                throw YAMLError(message: "document expands to more than \(Self.maxAliasedNodes) nodes through aliases",
                                line: line, column: column)
            }
            try finish(value, nodes: nodes, anchor: nil, isKeyable: value.objectValue == nil && value.arrayValue == nil,
                       keyText: Self.keyText(value), line: line, column: column)
        default:
            break
        }
    }

    /// Sentinel key for `<<` (cannot collide: real keys never contain NUL from libyaml plain scalars).
    private static let mergeMarker = "\u{0}<<"

    private mutating func push(line: Int, column: Int) throws(YAMLError) {
        if stack.count >= Self.maxDepth {
            throw YAMLError(message: "nesting deeper than \(Self.maxDepth) levels", line: line, column: column)
        }
        nodeCounts.append(1)
    }

    private mutating func finish(_ value: JSON, nodes: Int, anchor: String?, isKeyable: Bool, keyText: String? = nil,
                                 line: Int, column: Int) throws(YAMLError) {
        if let anchor { anchors[anchor] = (value, nodes) }
        if !nodeCounts.isEmpty { nodeCounts[nodeCounts.count - 1] += nodes }
        guard let top = stack.popLast() else {
            root = value
            return
        }
        // `consume` hands the frame's storage over so the appends below do not copy it.
        switch consume top {
        case .sequence(var items, let seqAnchor):
            items.append(value)
            stack.append(.sequence(items: items, anchor: seqAnchor))
        case .mapping(var members, let pendingKey, var merges, let mapAnchor, let mapLine, let mapColumn):
            if let key = pendingKey {
                if key == Self.mergeMarker {
                    switch value {
                    case .object:
                        merges.append(value)
                    case .array(let sources) where sources.allSatisfy({ $0.objectValue != nil }):
                        merges.append(contentsOf: sources)
                    default:
                        stack.append(.mapping(members: members, pendingKey: nil, merges: merges, anchor: mapAnchor, line: mapLine, column: mapColumn))
                        throw YAMLError(message: "merge key '<<' needs a mapping or a sequence of mappings", line: line, column: column)
                    }
                } else {
                    members[key] = value
                }
                stack.append(.mapping(members: members, pendingKey: nil, merges: merges, anchor: mapAnchor, line: mapLine, column: mapColumn))
            } else {
                guard isKeyable, let keyText else {
                    stack.append(.mapping(members: members, pendingKey: nil, merges: merges, anchor: mapAnchor, line: mapLine, column: mapColumn))
                    throw YAMLError(message: "mapping keys must be scalars to convert to JSON", line: line, column: column)
                }
                stack.append(.mapping(members: members, pendingKey: keyText, merges: merges, anchor: mapAnchor, line: mapLine, column: mapColumn))
            }
        }
    }

    /// The JSON object key for a scalar used as a key: its text (so `1: a` gives `"1"`).
    private static func keyText(_ value: JSON) -> String? {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        default: return nil
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static let tagPrefix = "tag:yaml.org,2002:"

    /// Applies an explicit tag or, for untagged plain scalars, the core-schema resolution.
    /// Quoted and block scalars are always strings.
    private static func resolve(_ text: String, tag: String?, plain: Bool, line: Int, column: Int) throws(YAMLError) -> JSON {
        guard let tag, tag != "!" else {
            return plain && tag == nil ? YAMLScalar.resolve(text) : .string(text)
        }
        let name = tag.hasPrefix(tagPrefix) ? String(tag.dropFirst(tagPrefix.count)) : tag
        switch name {
        case "str", "binary", "timestamp":
            return .string(text)
        case "null":
            return .null
        case "bool":
            if case .bool = YAMLScalar.resolve(text) { return YAMLScalar.resolve(text) }
            throw YAMLError(message: "cannot read '\(text)' as !!bool", line: line, column: column)
        case "int":
            if let number = YAMLScalar.number(text), case .int = number { return number }
            throw YAMLError(message: "cannot read '\(text)' as !!int", line: line, column: column)
        case "float":
            switch YAMLScalar.number(text) {
            case .int(let i)?: return .double(Double(i))
            case .double(let d)?: return .double(d)
            default: throw YAMLError(message: "cannot read '\(text)' as !!float", line: line, column: column)
            }
        default:
            // Unknown (application) tags: keep the value as written.
            return plain ? YAMLScalar.resolve(text) : .string(text)
        }
    }
}
