/// How much aliases may add to a YAML stream, so that a small manifest cannot expand into a
/// huge value ("billion laughs"). Counted over the whole stream, after merge keys; exceeding
/// a limit is a `YAMLError`, never a crash.
///
/// The defaults are far above what real manifests do with aliases (a few repeated blocks)
/// and far below what would exhaust memory: a 48 KB document can no longer become a 100 MB
/// request.
public struct YAMLLimits: Sendable, Hashable {
    /// Bytes (about their JSON length) that alias expansions may add. Default 16 MiB.
    public var maxAliasExpansionBytes: Int
    /// Nodes (scalars, sequences, mappings) that alias expansions may add. Default 1,000,000.
    /// Besides this, documents of more than 400,000 nodes may have a falling share of them
    /// come from aliases (99 % down to 10 % at 4,000,000, go-yaml v3's rule).
    public var maxAliasExpansionNodes: Int

    public init(maxAliasExpansionBytes: Int = 16 << 20, maxAliasExpansionNodes: Int = 1_000_000) {
        self.maxAliasExpansionBytes = maxAliasExpansionBytes
        self.maxAliasExpansionNodes = maxAliasExpansionNodes
    }

    public static let `default` = YAMLLimits()
}
