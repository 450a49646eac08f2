import CYaml

/// Turns libyaml's event stream into `JSON` documents.
///
/// Mappings and sequences under construction sit on a stack; a finished node is handed to
/// its parent (as a key or a value). Anchors are remembered as finished `JSON` values, so an
/// alias is a copy-on-write copy rather than a re-parse. Merge keys (`<<`) are collected and
/// applied when their mapping ends, so explicit keys win wherever they appear.
///
/// Aliases are where a small text becomes a large value ("billion laughs": a 48 KB manifest
/// whose aliases repeat a long string became a 100 MB request). The copy-on-write tree hides
/// the size until the value is serialized, so the builder counts what every alias adds — its
/// nodes and an estimate of its JSON bytes — over the whole stream and stops at `limits`.
struct YAMLDocumentBuilder {
    private enum Frame {
        case sequence(items: [JSON], anchor: String?)
        case mapping(members: [String: JSON], pendingKey: String?, merges: [JSON], anchor: String?, line: Int, column: Int)
    }

    /// The size of a finished node: itself and everything under it, aliases expanded.
    private struct Size {
        var nodes = 1
        /// About the node's length as JSON text (scalars with two bytes of quoting or
        /// separators each, containers two more): what serializing it will cost.
        var bytes = 2
        /// Nesting levels of collections in the node (0 for a scalar). An alias puts all of
        /// them below the point where it is used, so chained anchors could otherwise build a
        /// value far deeper than the nesting limit, and freeing or serializing that value
        /// recurses until the stack overflows.
        var height = 1

        /// Adds a child's size to its collection's.
        static func += (lhs: inout Size, rhs: Size) {
            lhs.nodes &+= rhs.nodes
            lhs.bytes &+= rhs.bytes
            lhs.height = max(lhs.height, rhs.height &+ 1)
        }
    }

    /// Same nesting limit as the JSON parser: deeper documents are hostile, not manifests.
    static let maxDepth = 512

    private let limits: YAMLLimits
    private var stack: [Frame] = []
    private var anchors: [String: (value: JSON, size: Size)] = [:]
    /// Sizes of the open collections, parallel to `stack`.
    private var openSizes: [Size] = []
    /// Nodes and bytes aliases added so far in the stream (not per document: a stream of many
    /// small documents, each with its own anchors, must not add up to an unbounded value either).
    private var aliasedNodes = 0
    private var aliasedBytes = 0
    /// Every node of the stream, alias expansions included (yaml.v3's decode count).
    private var decodedNodes = 0
    private var root: JSON?
    private(set) var documents: [JSON] = []

    init(limits: YAMLLimits = .default) {
        self.limits = limits
    }

    /// Feeds one event; throws on structures JSON cannot hold.
    mutating func handle(_ event: inout yaml_event_t) throws(YAMLError) {
        let line = Int(event.start_mark.line) + 1
        let column = Int(event.start_mark.column) + 1
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            root = nil
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
            try finish(.array(items), size: openSizes.popLast() ?? Size(), anchor: anchor, isKeyable: false, line: line, column: column)
        case YAML_MAPPING_END_EVENT:
            guard case .mapping(var members, _, let merges, let anchor, _, _)? = stack.popLast() else {
                throw YAMLError(message: "unbalanced mapping end", line: line, column: column)
            }
            for source in merges {
                for (key, value) in source.objectValue ?? [:] where members[key] == nil {
                    members[key] = value
                }
            }
            try finish(.object(members), size: openSizes.popLast() ?? Size(), anchor: anchor, isKeyable: false, line: line, column: column)
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
            decodedNodes &+= 1
            try finish(value, size: Size(nodes: 1, bytes: Int(scalar.length) &+ 2, height: 0), anchor: Self.string(scalar.anchor),
                       isKeyable: true, keyText: isMergeKey ? Self.mergeMarker : text,
                       line: line, column: column)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let (value, size) = anchors[name] else {
                throw YAMLError(message: "unknown anchor '\(name)' referenced", line: line, column: column)
            }
            try countAlias(size, line: line, column: column)
            try finish(value, size: size, anchor: nil, isKeyable: value.objectValue == nil && value.arrayValue == nil,
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
        openSizes.append(Size())
        decodedNodes &+= 1
    }

    /// Checks what one more alias adds against the limits, before its value is used.
    private mutating func countAlias(_ size: Size, line: Int, column: Int) throws(YAMLError) {
        if stack.count &+ size.height > Self.maxDepth {
            throw YAMLError(message: "aliases nest the YAML deeper than \(Self.maxDepth) levels", line: line, column: column)
        }
        aliasedNodes &+= size.nodes
        aliasedBytes &+= size.bytes
        decodedNodes &+= size.nodes
        if aliasedBytes > limits.maxAliasExpansionBytes {
            throw YAMLError(message: "aliases expand the YAML to more than \(limits.maxAliasExpansionBytes) bytes "
                                + "(alias amplification); write the repeated content out or raise the limit",
                            line: line, column: column)
        }
        if aliasedNodes > limits.maxAliasExpansionNodes {
            throw YAMLError(message: "aliases expand the YAML to more than \(limits.maxAliasExpansionNodes) nodes "
                                + "(alias amplification); write the repeated content out or raise the limit",
                            line: line, column: column)
        }
        // yaml.v3's rule: small documents may be mostly aliases, large ones only partly.
        if aliasedNodes > 100, decodedNodes > 1000,
           Double(aliasedNodes) / Double(decodedNodes) > Self.allowedAliasRatio(decodedNodes) {
            throw YAMLError(message: "document contains excessive aliasing (\(aliasedNodes) of \(decodedNodes) nodes "
                                + "come from aliases)", line: line, column: column)
        }
    }

    /// The share of nodes aliases may make up in a document of `decoded` nodes: 99 % up to
    /// 400,000 nodes, falling linearly to 10 % at 4,000,000 (go-yaml v3's `allowedAliasRatio`).
    static func allowedAliasRatio(_ decoded: Int) -> Double {
        let low = 400_000.0
        let high = 4_000_000.0
        let count = Double(decoded)
        if count <= low { return 0.99 }
        if count >= high { return 0.10 }
        return 0.99 - 0.89 * (count - low) / (high - low)
    }

    private mutating func finish(_ value: JSON, size: Size, anchor: String?, isKeyable: Bool, keyText: String? = nil,
                                 line: Int, column: Int) throws(YAMLError) {
        if let anchor { anchors[anchor] = (value, size) }
        if !openSizes.isEmpty { openSizes[openSizes.count - 1] += size }
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
