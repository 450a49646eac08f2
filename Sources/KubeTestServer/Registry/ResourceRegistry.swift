import Foundation
import KubeCore

/// The set of served group/versions and their resources: the built-in ones from the
/// bundled discovery documents plus those registered by CustomResourceDefinitions.
///
/// Thread-safe; reads take a snapshot of the immutable tables.
final class ResourceRegistry: Sendable {
    /// Immutable lookup tables, replaced as a whole when CRDs come and go.
    struct Tables: Sendable {
        /// Group names in discovery order ("" first).
        var groups: [String] = []
        /// group → versions, preferred first.
        var versions: [String: [String]] = [:]
        /// "group/version" → resources in discovery order.
        var resources: [String: [ResourceInfo]] = [:]
        /// CRD name → the resources it registered (one per served version).
        var customByCRD: [String: [ResourceInfo]] = [:]

        func resource(group: String, version: String, name: String) -> ResourceInfo? {
            resources[key(group, version)]?.first { $0.name == name }
        }

        func resource(apiVersion: String, kind: String) -> ResourceInfo? {
            let gv = GroupVersion(apiVersion: apiVersion)
            return resources[key(gv.group, gv.version)]?.first { $0.kind == kind }
        }

        func key(_ group: String, _ version: String) -> String { group + "/" + version }
    }

    private let state: Locked<Tables>

    init(builtIn: Tables) {
        state = Locked(builtIn)
    }

    var tables: Tables { state.withLock { $0 } }

    func resource(group: String, version: String, name: String) -> ResourceInfo? {
        state.withLock { $0.resource(group: group, version: version, name: name) }
    }

    func resource(apiVersion: String, kind: String) -> ResourceInfo? {
        state.withLock { $0.resource(apiVersion: apiVersion, kind: kind) }
    }

    /// All versions served for one storage key (group/resource).
    func versions(ofStorageKey key: String) -> [ResourceInfo] {
        state.withLock { t in t.resources.values.flatMap { $0.filter { $0.storageKey == key } } }
    }

    /// Registers (or replaces) the resources of a CRD.
    func register(crd name: String, resources new: [ResourceInfo]) {
        state.withLock { t in
            Self.remove(crd: name, from: &t)
            for info in new {
                if !t.groups.contains(info.group) { t.groups.append(info.group) }
                var versions = t.versions[info.group] ?? []
                if !versions.contains(info.version) { versions.append(info.version) }
                t.versions[info.group] = versions.sorted(by: Self.versionPriority)
                t.resources[t.key(info.group, info.version), default: []].append(info)
            }
            t.customByCRD[name] = new
        }
    }

    /// Removes a CRD's resources; returns them.
    @discardableResult
    func unregister(crd name: String) -> [ResourceInfo] {
        state.withLock { t in
            let old = t.customByCRD[name] ?? []
            Self.remove(crd: name, from: &t)
            return old
        }
    }

    private static func remove(crd name: String, from t: inout Tables) {
        guard let old = t.customByCRD.removeValue(forKey: name) else { return }
        for info in old {
            let k = t.key(info.group, info.version)
            t.resources[k]?.removeAll { $0.name == info.name && $0.isCustom }
            if t.resources[k]?.isEmpty == true {
                t.resources[k] = nil
                t.versions[info.group]?.removeAll { $0 == info.version }
                if t.versions[info.group]?.isEmpty == true {
                    t.versions[info.group] = nil
                    t.groups.removeAll { $0 == info.group }
                }
            }
        }
    }

    /// Kubernetes version priority: GA before beta before alpha, higher numbers first,
    /// non-conforming names last in alphabetical order.
    static func versionPriority(_ a: String, _ b: String) -> Bool {
        func parse(_ v: String) -> (Int, Int, Int)? {
            guard v.hasPrefix("v") else { return nil }
            let rest = v.dropFirst()
            let digits = rest.prefix { $0.isNumber }
            guard let major = Int(digits) else { return nil }
            let tail = rest.dropFirst(digits.count)
            if tail.isEmpty { return (2, major, 0) }
            for (word, level) in [("beta", 1), ("alpha", 0)] where tail.hasPrefix(word) {
                guard let minor = Int(tail.dropFirst(word.count)) else { return nil }
                return (level, major, minor)
            }
            return nil
        }
        switch (parse(a), parse(b)) {
        case let (pa?, pb?):
            if pa.0 != pb.0 { return pa.0 > pb.0 }
            if pa.1 != pb.1 { return pa.1 > pb.1 }
            return pa.2 > pb.2
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a < b
        }
    }

    /// Builds the built-in tables from APIResourceList documents.
    static func builtIn(fromDiscovery document: JSON) -> Tables {
        var t = Tables()
        for list in document.arrayValue ?? [] {
            guard let gvString = list["groupVersion"]?.stringValue else { continue }
            let gv = GroupVersion(apiVersion: gvString)
            var mains: [ResourceInfo] = []
            var subs: [(String, String, ResourceInfo.Subresource)] = []
            for r in list["resources"]?.arrayValue ?? [] {
                guard let name = r["name"]?.stringValue else { continue }
                let verbs = (r["verbs"]?.arrayValue ?? []).compactMap(\.stringValue)
                let kind = r["kind"]?.stringValue ?? ""
                if let slash = name.firstIndex(of: "/") {
                    subs.append((String(name[..<slash]), String(name[name.index(after: slash)...]),
                                 .init(kind: kind, verbs: verbs)))
                    continue
                }
                mains.append(ResourceInfo(
                    group: gv.group, version: gv.version, name: name,
                    singularName: r["singularName"]?.stringValue ?? name.lowercased(),
                    kind: kind, namespaced: r["namespaced"]?.boolValue ?? false, verbs: verbs,
                    shortNames: (r["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue),
                    categories: (r["categories"]?.arrayValue ?? []).compactMap(\.stringValue),
                    subresources: [:], scalePaths: nil, isCustom: false))
            }
            for (parent, sub, info) in subs {
                if let i = mains.firstIndex(where: { $0.name == parent }) { mains[i].subresources[sub] = info }
            }
            if !t.groups.contains(gv.group) { t.groups.append(gv.group) }
            t.versions[gv.group, default: []].append(gv.version)
            t.resources[t.key(gv.group, gv.version)] = mains
        }
        for (g, v) in t.versions { t.versions[g] = v.sorted(by: versionPriority) }
        return t
    }
}
