extension YAML {
    /// Writes `value` as block-style YAML, object keys sorted, ending with a newline.
    ///
    /// Sequences inside mappings sit at the key's indentation (the kubectl style). Strings are
    /// double-quoted when they would otherwise read back as another type (here or in a YAML
    /// 1.1 reader: `yes`, `0777`), start with an indicator, or hold control characters;
    /// multi-line strings use literal blocks (`|`) when that is exact.
    public static func emit(_ value: JSON) -> String {
        var out = ""
        YAMLEmitter.node(value, indent: 0, inline: false, into: &out)
        return out
    }
}
