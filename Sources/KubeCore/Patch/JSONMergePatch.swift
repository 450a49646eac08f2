/// RFC 7386 JSON Merge Patch.
public enum JSONMergePatch {
    /// Applies a merge patch: objects merge recursively, `null` removes a member, anything
    /// else (arrays included) replaces the target value.
    /// `target` is consumed: pass it as a last use (or `consume`) and unchanged parts are not copied.
    public static func apply(_ patch: JSON, to target: consuming JSON) -> JSON {
        merge(patch, into: &target)
        return target
    }

    /// Applies `patch` to `target` in place.
    public static func merge(_ patch: JSON, into target: inout JSON) {
        guard case .object(let members) = patch else {
            target = patch
            return
        }
        if case .object = target {} else { target = .object([:]) }
        _ = JSONValueOps.withObject(&target) { (dict: inout [String: JSON]) in
            for (name, value) in members {
                if case .null = value {
                    dict.removeValue(forKey: name)
                } else if case .object = value {
                    merge(value, into: &dict[name, default: .null])
                } else {
                    dict[name] = value
                }
            }
        }
    }

    /// The merge patch that turns `from` into `to`: `apply(diff(from: a, to: b), to: a) == b`
    /// whenever `b` holds no `null` values inside objects (merge patches cannot express those).
    /// Returns `{}` when nothing changed.
    public static func diff(from original: JSON, to modified: JSON) -> JSON {
        guard case .object(let old) = original, case .object(let new) = modified else {
            return original == modified && original.objectValue != nil ? .object([:]) : modified
        }
        var patch: [String: JSON] = [:]
        for key in old.keys where new[key] == nil {
            patch[key] = .null
        }
        for (key, newValue) in new {
            guard let oldValue = old[key] else {
                patch[key] = newValue
                continue
            }
            if oldValue == newValue { continue }
            if case .object = oldValue, case .object = newValue {
                let child = diff(from: oldValue, to: newValue)
                if child != .object([:]) { patch[key] = child }
            } else {
                patch[key] = newValue
            }
        }
        return .object(patch)
    }
}
