import KubeCore

/// One resource a server offers in one group-version (a row of `kubectl api-resources`).
public struct APIResource: Sendable, Hashable {
    /// Plural resource name, e.g. "deployments"; "deployments/status" for a subresource.
    public var name: String
    /// Singular name, e.g. "deployment" (derived from the kind when the server omits it).
    public var singularName: String
    public var namespaced: Bool
    public var group: String
    public var version: String
    public var kind: String
    public var verbs: [String]
    public var shortNames: [String]
    public var categories: [String]

    public init(name: String, singularName: String, namespaced: Bool, group: String, version: String,
                kind: String, verbs: [String] = [], shortNames: [String] = [], categories: [String] = []) {
        self.name = name
        self.singularName = singularName.isEmpty ? kind.lowercased() : singularName
        self.namespaced = namespaced
        self.group = group
        self.version = version
        self.kind = kind
        self.verbs = verbs
        self.shortNames = shortNames
        self.categories = categories
    }

    /// True for "resource/subresource" entries (status, scale, log, …).
    public var isSubresource: Bool { name.contains("/") }
    public var groupVersion: GroupVersion { GroupVersion(group: group, version: version) }
    public var groupVersionResource: GroupVersionResource {
        GroupVersionResource(group: group, version: version, resource: name)
    }
    public var groupVersionKind: GroupVersionKind { GroupVersionKind(group: group, version: version, kind: kind) }

    /// Decodes an entry of a legacy `APIResourceList` (group/version default to the list's).
    init?(legacy json: JSON, groupVersion: GroupVersion) {
        guard let name = json["name"]?.stringValue, let kind = json["kind"]?.stringValue else { return nil }
        self.init(name: name,
                  singularName: json["singularName"]?.stringValue ?? "",
                  namespaced: json["namespaced"]?.boolValue ?? false,
                  group: json["group"]?.stringValue ?? groupVersion.group,
                  version: json["version"]?.stringValue ?? groupVersion.version,
                  kind: kind,
                  verbs: Self.strings(json["verbs"]),
                  shortNames: Self.strings(json["shortNames"]),
                  categories: Self.strings(json["categories"]))
    }

    /// The legacy `APIResource` wire form (plus group and version), for JSON consumers.
    public var json: JSON {
        var members: [String: JSON] = [
            "name": .string(name), "singularName": .string(singularName), "namespaced": .bool(namespaced),
            "group": .string(group), "version": .string(version), "kind": .string(kind),
            "verbs": .array(verbs.map(JSON.string)),
        ]
        if !shortNames.isEmpty { members["shortNames"] = .array(shortNames.map(JSON.string)) }
        if !categories.isEmpty { members["categories"] = .array(categories.map(JSON.string)) }
        return .object(members)
    }

    static func strings(_ json: JSON?) -> [String] {
        (json?.arrayValue ?? []).compactMap(\.stringValue)
    }
}

/// An API group and its versions, newest preferred first as the server lists them.
public struct APIGroupInfo: Sendable, Hashable {
    /// "" for the core (legacy) group.
    public var name: String
    public var versions: [String]
    public var preferredVersion: String

    public init(name: String, versions: [String], preferredVersion: String) {
        self.name = name
        self.versions = versions
        self.preferredVersion = preferredVersion
    }

    public var preferredGroupVersion: GroupVersion { GroupVersion(group: name, version: preferredVersion) }

    /// The `APIGroup` wire form (name, versions, preferredVersion).
    public var json: JSON {
        func entry(_ version: String) -> JSON {
            ["groupVersion": .string(GroupVersion(group: name, version: version).apiVersion), "version": .string(version)]
        }
        return ["name": .string(name), "versions": .array(versions.map(entry)), "preferredVersion": entry(preferredVersion)]
    }
}

/// What `/version` reports.
public struct ServerVersion: Sendable, Hashable {
    public var major: String
    public var minor: String
    public var gitVersion: String
    public var gitCommit: String
    public var gitTreeState: String
    public var buildDate: String
    public var goVersion: String
    public var compiler: String
    public var platform: String

    init(json: JSON) {
        func field(_ key: String) -> String { json[key]?.stringValue ?? "" }
        major = field("major")
        minor = field("minor")
        gitVersion = field("gitVersion")
        gitCommit = field("gitCommit")
        gitTreeState = field("gitTreeState")
        buildDate = field("buildDate")
        goVersion = field("goVersion")
        compiler = field("compiler")
        platform = field("platform")
    }

    /// The raw JSON fields as the server sent them.
    public var json: JSON {
        ["major": .string(major), "minor": .string(minor), "gitVersion": .string(gitVersion),
         "gitCommit": .string(gitCommit), "gitTreeState": .string(gitTreeState), "buildDate": .string(buildDate),
         "goVersion": .string(goVersion), "compiler": .string(compiler), "platform": .string(platform)]
    }
}
