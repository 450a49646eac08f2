"""CRD versions -> Swift models that fit the built-in ones (KubeModel, KubeResource, KubeResourceList).

One file per group-version, `<Namespace>.swift`, holding `public enum <Namespace>` with a struct per
kind (object properties as nested structs, string enums as `KubeStringEnum` structs) and its list
type, plus the `KubeResource` conformance that the typed client, server-side apply and the typed
informer and lister need. Models read and write `JSON` directly, like the built-in ones.
"""

import json
import os
import re

from .crd import CRDError
from .naming import RESERVED_TYPE_NAMES, SWIFT_KEYWORDS, doc_lines, lower_camel, upper_camel
from .schema import NameScope, build_root, namespace_name, nested_types

# Nested type names that cannot be declared (`Type`, `Protocol`, `Self`), that would shadow names
# the generated code uses unqualified, or that are associated types of KubeStringEnum's protocols.
RESERVED_NESTED = RESERVED_TYPE_NAMES | {"Type", "Protocol", "Self", "Any", "MetaV1",
                                         "KubeStringEnum", "KubeResourceList", "Indirect", "Sendable", "Equatable",
                                         "Codable", "Int", "Float", "Set", "Character",
                                         "RawValue", "StringLiteralType", "ExtendedGraphemeClusterLiteralType",
                                         "UnicodeScalarLiteralType"}
# In a kind's own struct, also the associated types of KubeResource.
RESERVED_IN_KIND = {"List", "Metadata"}
# Property names that a parameter or member cannot take even in backticks (an init parameter
# named `self` hides self), or that would clash with the members every model has.
RENAMED_MEMBERS = {"self", "Self", "init", "Type", "super", "toJSON", "jsonString", "unknownFields"}
# Static constants of a string enum that would clash with its members.
RENAMED_CONSTANTS = {"self", "Self", "init", "Type", "super", "rawValue", "description", "toJSON"}

SCALARS = {"string": "String", "boolean": "Bool", "number": "Double", "int-or-string": "IntOrString",
           "quantity": "Quantity", "date-time": "Time", "json": "JSON", "object-meta": "MetaV1.ObjectMeta"}


def swift_string(text):
    """A Swift string literal (JSON's \\uXXXX escapes are not Swift)."""
    out = []
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{{{ord(ch):X}}}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def raw_multiline(text, indent):
    """A raw multi-line Swift string literal holding `text` exactly (no escapes to read)."""
    hashes = "#"
    while f'"{hashes}' in text or f'\\{hashes}' in text:
        hashes += "#"
    body = "\n".join(indent + line if line else "" for line in text.split("\n"))
    return f'{hashes}"""\n{body}\n{indent}"""{hashes}'


def type_identifier(name, reserved=RESERVED_NESTED):
    """A nested type name: letters and digits, not starting with a digit, not reserved."""
    name = upper_camel(name) or "Item"
    if name[0].isdigit():
        name = "_" + name
    if name in reserved:
        name += "Value"
    return name


def member_identifier(json_name, renamed=RENAMED_MEMBERS):
    """(plain, code) for a property: 'default' -> ('default', '`default`'), 'self' -> ('self_', 'self_')."""
    name = lower_camel(json_name) or "field"
    if name[0].isdigit():
        name = "_" + name
    if name in renamed:
        name += "_"
    return name, (f"`{name}`" if name in SWIFT_KEYWORDS else name)


class StructWriter:
    """Writes one object Node as a struct, its nested types inside it."""

    def __init__(self, lines):
        self.lines = lines

    def swift_type(self, node):
        if node.kind == "object" or (node.kind == "string" and node.enum):
            return node.swift_name
        if node.kind == "array":
            return f"[{self.swift_type(node.items)}]"
        if node.kind == "map":
            return f"[String: {self.swift_type(node.values)}]"
        if node.kind == "integer":
            return "Int32" if node.format == "int32" else "Int64"
        return SCALARS[node.kind]

    @staticmethod
    def name_children(node, reserved):
        """Final Swift names of the types nested in `node` (unique among siblings, not reserved).

        A nested type may repeat an enclosing type's name (`Status.Condition.Status`): generated
        code only ever names a struct's own nested types and the reserved global ones."""
        scope = NameScope()
        for child in nested_types(node):
            child.swift_name = scope.claim(type_identifier(child.name, reserved))

    def write_struct(self, node, indent, defaults=None, is_kind=False):
        defaults = defaults or {}
        self.name_children(node, RESERVED_NESTED | RESERVED_IN_KIND if is_kind else RESERVED_NESTED)
        i1, i2 = indent + "    ", indent + "        "
        members = NameScope({"unknownFields", "_explicitNulls"} if node.keeps_unknown else {"_explicitNulls"})
        names = {}
        # Properties already spelled as their identifier keep it ("name" stays `name` next to "Name").
        for f in sorted(node.fields, key=lambda f: member_identifier(f.json_name)[0] != f.json_name):
            plain, code = member_identifier(f.json_name)
            unique = members.claim(plain)
            names[f.json_name] = (plain, code) if unique == plain else (unique, unique)
        fields = [(f, *names[f.json_name], self.swift_type(f.node)) for f in node.fields]
        # `nullable` fields the object held as an explicit null: written back as null while still nil,
        # so a read-modify-write keeps null and absent apart.
        nullable = [f for f, *_ in fields if f.node.nullable and not f.required]
        lines = self.lines
        lines += doc_lines(node.description, indent)
        lines.append(f"{indent}public struct {node.swift_name}: KubeModel {{")
        for f, plain, code, swift_type in fields:
            lines += doc_lines(f.node.description, i1)
            if f.node.default is not None:
                text = json.dumps(f.node.default, sort_keys=True, ensure_ascii=False, default=str)
                if len(text) <= 80:  # the server fills it in when the field is absent
                    lines += ([f"{i1}///"] if f.node.description else []) + [f"{i1}/// Default: `{text}`."]
            lines.append(f"{i1}public var {code}: {swift_type}{'' if f.required else '?'}")
        if node.keeps_unknown:
            lines.append(f"{i1}/// Members the schema does not declare (it preserves unknown fields), kept for writing back.")
            lines.append(f"{i1}public var unknownFields: [String: JSON]")
        if nullable:
            lines.append(f"{i1}/// Nullable members read as an explicit `null`; written back as `null` while still nil.")
            lines.append(f"{i1}private var _explicitNulls: Set<String>")
        lines.append("")
        params = []
        for f, plain, code, swift_type in fields:
            if f.required:
                params.append(f"{plain}: {swift_type}")
            else:
                params.append(f"{plain}: {swift_type}? = {defaults.get(f.json_name, 'nil')}")
        if node.keeps_unknown:
            params.append("unknownFields: [String: JSON] = [:]")
        lines.append(f"{i1}public init({', '.join(params)}) {{")
        for f, plain, code, _ in fields:
            lines.append(f"{i2}self.{plain} = {code}")
        if node.keeps_unknown:
            lines.append(f"{i2}self.unknownFields = unknownFields")
        if nullable:
            lines.append(f"{i2}self._explicitNulls = []")
        lines.append(f"{i1}}}")
        lines.append("")
        lines.append(f"{i1}public init(json: JSON) throws(JSONDecodingError) {{")
        lines.append(f"{i2}let r = try JSONObjectReader(json)")
        for f, plain, code, _ in fields:
            method = "required" if f.required else "optional"
            lines.append(f"{i2}self.{plain} = try r.{method}({swift_string(f.json_name)})")
        if node.keeps_unknown:
            lines.append(f"{i2}var unknown = r.members")
            for f, *_ in fields:
                lines.append(f"{i2}unknown.removeValue(forKey: {swift_string(f.json_name)})")
            lines.append(f"{i2}self.unknownFields = unknown")
        if nullable:
            lines.append(f"{i2}var nulls: Set<String> = []")
            for f in nullable:
                key = swift_string(f.json_name)
                lines.append(f"{i2}if r.members[{key}]?.isNull == true {{ nulls.insert({key}) }}")
            lines.append(f"{i2}self._explicitNulls = nulls")
        lines.append(f"{i1}}}")
        lines.append("")
        lines.append(f"{i1}public func toJSON() -> JSON {{")
        start = "self.unknownFields" if node.keeps_unknown else "[:]"
        lines.append(f"{i2}var o: [String: JSON] = {start}")
        lines.append(f"{i2}o.reserveCapacity({'self.unknownFields.count + ' if node.keeps_unknown else ''}{len(fields)})")
        for f, plain, code, _ in fields:
            key = swift_string(f.json_name)
            # `self.`: a property may be called `o` or `v` too.
            if f.required:
                lines.append(f"{i2}o[{key}] = self.{plain}.toJSON()")
            elif f in nullable:
                lines.append(f"{i2}if let v = self.{plain} {{ o[{key}] = v.toJSON() }} "
                             f"else if self._explicitNulls.contains({key}) {{ o[{key}] = .null }}")
            else:
                lines.append(f"{i2}if let v = self.{plain} {{ o[{key}] = v.toJSON() }}")
        lines.append(f"{i2}return .object(o)")
        lines.append(f"{i1}}}")
        for child in nested_types(node):
            lines.append("")
            if child.kind == "object":
                self.write_struct(child, i1)
            else:
                self.write_enum(child, i1)
        lines.append(f"{indent}}}")

    def write_enum(self, node, indent):
        i1 = indent + "    "
        lines = self.lines
        lines += doc_lines(node.description, indent)
        if node.description:
            lines.append(f"{indent}///")
        lines.append(f"{indent}/// The known values are static constants; values this version does not know are kept as they are.")
        lines.append(f"{indent}public struct {node.swift_name}: KubeStringEnum {{")
        lines.append(f"{i1}public var rawValue: String")
        lines.append(f"{i1}public init(rawValue: String) {{ self.rawValue = rawValue }}")
        scope = NameScope()
        for value in node.enum:
            plain, code = member_identifier(value, RENAMED_CONSTANTS) if value else ("empty", "empty")
            if plain == "none":
                code = "`none`"  # `.none` would read as Optional.none where the type is optional
            unique = scope.claim(plain)
            if unique != plain:
                code = unique
            lines.append(f"{i1}public static let {code} = Self(rawValue: {swift_string(value)})")
        lines.append(f"{indent}}}")


def list_struct(namespace, version, indent):
    """The list type (`NetworkList`), shaped like the built-in lists."""
    i1, i2 = indent + "    ", indent + "        "
    kind = version.kind
    return [
        f"{indent}/// A list of `{kind}` objects, as a list call returns them.",
        f"{indent}public struct {version.list_kind}: KubeModel {{",
        f"{i1}public var apiVersion: String?",
        f"{i1}public var items: [{kind}]",
        f"{i1}public var kind: String?",
        f"{i1}public var metadata: MetaV1.ListMeta?",
        "",
        f"{i1}public init(apiVersion: String? = {swift_string(version.api_version)}, items: [{kind}], "
        f"kind: String? = {swift_string(version.list_kind)}, metadata: MetaV1.ListMeta? = nil) {{",
        f"{i2}self.apiVersion = apiVersion",
        f"{i2}self.items = items",
        f"{i2}self.kind = kind",
        f"{i2}self.metadata = metadata",
        f"{i1}}}",
        "",
        f"{i1}public init(json: JSON) throws(JSONDecodingError) {{",
        f"{i2}let r = try JSONObjectReader(json)",
        f'{i2}self.apiVersion = try r.optional("apiVersion")',
        f'{i2}self.items = try r.required("items")',
        f'{i2}self.kind = try r.optional("kind")',
        f'{i2}self.metadata = try r.optional("metadata")',
        f"{i1}}}",
        "",
        f"{i1}public func toJSON() -> JSON {{",
        f"{i2}var o: [String: JSON] = [:]",
        f"{i2}o.reserveCapacity(4)",
        f'{i2}if let v = apiVersion {{ o["apiVersion"] = v.toJSON() }}',
        f'{i2}o["items"] = items.toJSON()',
        f'{i2}if let v = kind {{ o["kind"] = v.toJSON() }}',
        f'{i2}if let v = metadata {{ o["metadata"] = v.toJSON() }}',
        f"{i2}return .object(o)",
        f"{i1}}}",
        f"{indent}}}",
    ]


def builtin_namespaces():
    """Namespaces KubeModels already defines (CoreV1, NetworkingV1, ...): a CRD's must differ."""
    from .swift_models import DEFINITIONS, SPECIAL_TYPES, namespace_for, split_name
    if not os.path.exists(DEFINITIONS):
        return set()
    with open(DEFINITIONS) as f:
        defs = json.load(f)["$defs"]
    return {namespace_for(split_name(name)[0]) for name in defs if name not in SPECIAL_TYPES}


def clientset_file(ns, kinds, sources):
    """`client.samplecrdV1.networks(namespace:)`: the built-in accessors' shape, for CRD kinds."""
    from .swift_models import Generator
    items = [(f"{ns}.{v.kind}", v.group, v.version, v.kind, v.plural, v.namespaced) for v in kinds]
    text = Generator.client_code(ns, items)
    header, _, rest = text.partition("\n")
    return f"// Generated by kubeclient-gen crd --clientset from {', '.join(sources)}. Do not edit.\n" + rest


def generate(versions, diagnostics, module_prefix="", embed_crd=False, clientset=False):
    """{'<Namespace>.swift': source} for every group-version among `versions`.

    With `clientset`, also '<Namespace>Client.swift': typed accessors on KubeClient, as KubeClientset
    has for the built-in kinds (the target then needs KubeClient too).
    With `embed_crd`, each kind also gets `static let customResourceDefinition`: the CRD as JSON
    text, for controllers that install their CRD (one source of truth: the manifest)."""
    taken = builtin_namespaces() | {"KubeModels", "KubeCore", "KubeClient", "KubeRuntime", "KubeClientset"}
    by_gv = {}
    for v in versions:
        by_gv.setdefault((v.group, v.version), []).append(v)
    files = {}
    for (group, ver), kinds in sorted(by_gv.items()):
        ns = namespace_name(group, ver, taken, module_prefix or "")
        taken.add(ns)
        sources = sorted({os.path.basename(v.source) for v in kinds})
        lines = [f"// Generated by kubeclient-gen crd from {', '.join(sources)}. Do not edit.",
                 "", "import KubeCore", "import KubeModels", "",
                 f"/// Custom resources of `{group}/{ver}`.",
                 f"public enum {ns} {{"]
        conformances = []
        kind_names = NameScope()
        for index, v in enumerate(sorted(kinds, key=lambda x: x.kind)):
            root = build_root(v, diagnostics)
            root.swift_name = v.kind
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", v.kind) or v.kind in RESERVED_NESTED | {"List"} or \
                    kind_names.claim(v.kind) != v.kind:
                raise CRDError(f"{v.where}: kind {v.kind!r} cannot be a Swift type name here")
            if index:
                lines.append("")
            writer = StructWriter(lines)
            writer.write_struct(root, "    ", defaults={"apiVersion": swift_string(v.api_version),
                                                        "kind": swift_string(v.kind)}, is_kind=True)
            lines.append("")
            lines += list_struct(ns, v, "    ")
            conformances.append(v)
        lines.append("}")
        for v in conformances:
            lines += [
                "",
                f"extension {ns}.{v.kind}: KubeResource {{",
                f"    public typealias List = {ns}.{v.list_kind}",
                "    public static let identity = ResourceIdentity(",
                f"        group: {swift_string(v.group)}, version: {swift_string(v.version)}, kind: {swift_string(v.kind)},",
                f"        plural: {swift_string(v.plural)}, namespaced: {'true' if v.namespaced else 'false'})",
                "}",
                "",
                f"extension {ns}.{v.list_kind}: KubeResourceList {{}}",
            ]
            if embed_crd and v.manifest is not None:
                text = json.dumps(v.manifest, sort_keys=True, indent=2, ensure_ascii=False, default=str)
                lines += [
                    "",
                    f"extension {ns}.{v.kind} {{",
                    f"    /// The CustomResourceDefinition `{v.manifest['metadata']['name']}` this model was generated from,",
                    "    /// as JSON text (for a controller that installs it).",
                    f"    public static let customResourceDefinition = {raw_multiline(text, '        ')}",
                    "}",
                ]
        files[f"{ns}.swift"] = "\n".join(lines) + "\n"
        if clientset:
            files[f"{ns}Client.swift"] = clientset_file(ns, conformances, sources)
    return files
