"""Python type hints for Kubernetes objects: ``TypedDict`` classes generated from OpenAPI schemas.

Two inputs, one emitter:

* built-in types: api/definitions-v1.37.0.json (JSON Schema ``$defs``) becomes the package
  bindings/python/kubeclient/models/, one module per API group-version (``core_v1``, ``apps_v1``,
  ``meta_v1``, ...) plus the stub ``_typed.pyi``: typing overloads that give ``client.resource("v1",
  "pods")`` the type ``Resource[Pod]`` (api/discovery-resourcelists.json gives the plurals);
* custom resources: the ``openAPIV3Schema`` of every served version of CustomResourceDefinition
  manifests becomes one module per group-version, with nested TypedDicts for object properties.

    scripts/kubeclient-gen builtin --python --out .     (from the repository: regenerates the package)
    scripts/kubeclient-gen crd --python --out DIR FILE...

CRDs are read by crd.load_crds and walked by schema.build_root, as for Swift: this module only
writes Python. The built-in definitions (JSON Schema with $refs, not CRD schemas) have their own
small walker here (BuiltinModels).

Mapping (why): values stay the JSON the server sent, so the hints describe JSON, not classes:
``TypedDict`` with ``total=False`` and ``Required[...]`` for the schema's ``required``; ``str`` /
``int`` / ``float`` / ``bool``; ``list[X]``; ``dict[str, X]`` for ``additionalProperties``;
``Literal[...]`` for ``enum``; ``Union[int, str]`` for int-or-string; ``Any`` for free-form values
(preserve-unknown-fields, and the ``oneOf``/``anyOf``/``allOf`` positions TypedDicts cannot express;
a built-in free-form object is ``dict[str, Any]``). ``apiVersion`` and ``kind`` stay ``str`` (the built-in schema lists
them as one-value enums) so a generated ``PodList`` and ``kubeclient.models.ObjectList[Pod]``
are the same type. Keys that are not Python identifiers (``continue``, ``$ref``,
``x-kubernetes-...``) use the functional ``TypedDict("Name", {...})`` form.

The output depends only on the inputs: sorted, no timestamps. Standard library only.
"""
from __future__ import annotations

import json
import keyword
import os
import re
from typing import Any, Dict, List, Optional, Set, Tuple

MODELS_PATH = "bindings/python/kubeclient/models"
GENERATOR = "scripts/kubegen/python_types.py"

# ---- shared: schema -> Python type expression --------------------------------------------------

PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def base_type(value: Any) -> Optional[str]:
    """The schema's type without "null" (the built-in schema writes ["string", "null"])."""
    if isinstance(value, list):
        rest = [t for t in value if t != "null"]
        return rest[0] if len(rest) == 1 else None
    return value if isinstance(value, str) else None


def first_paragraph(text: Optional[str], limit: int = 600) -> str:
    """The description's first paragraph, on one line (editors show it on hover)."""
    if not text:
        return ""
    paragraph = " ".join(text.strip().split("\n\n")[0].split())
    if len(paragraph) > limit:
        paragraph = paragraph[:limit].rsplit(" ", 1)[0] + " ..."
    return paragraph


def docstring(text: str, indent: str) -> str:
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text += " "
    return f'{indent}"""{text}"""\n'


# Names the generated annotations use: a key spelled like one ("list: ...") would shadow it for
# type checkers in the class body, so such classes use the functional form too.
TYPE_NAMES = frozenset(("str", "int", "float", "bool", "list", "dict", "Any", "Literal", "Optional", "Union",
                        "Required", "TypedDict"))


def is_identifier(key: str) -> bool:
    """True when ``key`` can be a field of the class syntax."""
    return key.isidentifier() and not keyword.iskeyword(key) and key not in TYPE_NAMES and not key.startswith("_")


def literal(values: List[Any]) -> Optional[str]:
    """``Literal[...]`` of an enum's strings/ints/bools (None when it has other values)."""
    items = [v for v in values if v is not None]
    if not items or not all(isinstance(v, (str, int, bool)) and not isinstance(v, float) for v in items):
        return None
    return "Literal[" + ", ".join(json.dumps(v) if isinstance(v, str) else repr(v) for v in items) + "]"


class Field:
    def __init__(self, key: str, type_expr: str, required: bool, doc: str) -> None:
        self.key, self.type_expr, self.required, self.doc = key, type_expr, required, doc


class TypedDictClass:
    def __init__(self, name: str, doc: str, fields: List[Field]) -> None:
        self.name, self.doc, self.fields = name, doc, fields

    def render(self) -> str:
        """Class syntax when every key is an identifier, else the functional form."""
        fields = sorted(self.fields, key=lambda f: f.key)
        if all(is_identifier(f.key) for f in fields):
            out = [f"class {self.name}(TypedDict, total=False):\n"]
            if self.doc:
                out.append(docstring(self.doc, "    "))
            for f in fields:
                out.append(f"    {f.key}: {wrap_required(quoted(f.type_expr), f.required)}\n")
                if f.doc:
                    out.append(docstring(f.doc, "    "))
            if not fields and not self.doc:
                out.append("    pass\n")
            return "".join(out)
        out = []
        if self.doc:
            out.extend(f"# {line}\n" for line in wrap(self.doc, 96))
        out.append(f"{self.name} = TypedDict(\"{self.name}\", {{\n")
        for f in fields:
            if f.doc:
                out.extend(f"    # {line}\n" for line in wrap(f.doc, 92))
            out.append(f"    {json.dumps(f.key)}: {wrap_required(quoted(f.type_expr), f.required)},\n")
        out.append("}, total=False)\n")
        return "".join(out)


REF = "\x00"


def ref(name: str) -> str:
    """A class reference in a type expression: quoted when rendered, because the generated
    modules evaluate their annotations (no ``from __future__ import annotations``: with it,
    ``Required[...]`` would be a string at run time and ``__required_keys__`` wrong) and a
    class may be used before its definition."""
    return f"{REF}{name}{REF}"


def quoted(type_expr: str) -> str:
    return type_expr.replace(REF, '"')


def wrap_required(type_expr: str, required: bool) -> str:
    return f"Required[{type_expr}]" if required else type_expr


def wrap(text: str, width: int) -> List[str]:
    lines: List[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


TYPING_NAMES = ("Any", "Literal", "Optional", "Union")


def module_header(source: str, doc: str, imports: List[str], body: str) -> str:
    """The module text: header, the typing names ``body`` uses, ``imports``, body."""
    used = [n for n in TYPING_NAMES if re.search(rf"\b{n}\b", body)]
    lines = [f"# Generated by {GENERATOR} from {source}. Do not edit.\n",
             docstring(doc, ""),
             "import sys\n"]
    if used:
        lines.append(f"from typing import {', '.join(used)}\n")
    lines.append("\n"
                 "if sys.version_info >= (3, 11):\n"
                 "    from typing import Required, TypedDict\n"
                 "else:  # Required (PEP 655) arrived in 3.11\n"
                 "    from typing_extensions import Required, TypedDict\n")
    if imports:
        lines.append("\n")
        lines.extend(f"{line}\n" for line in imports)
    lines.append("\n\n")
    lines.append(body)
    return "".join(lines)


# ---- built-in types -----------------------------------------------------------------------------

# The definitions that are not objects with properties (swift_models.SPECIAL_TYPES lists them,
# with the Swift support type each becomes) are aliases here, in the module of their package:
# the Python type and docstring of each Swift support type.
SUPPORT_TYPES = {
    "Quantity": ("Union[str, int, float]", "A quantity (\"100m\", \"1Gi\"): the server sends a string; a number "
                 "is accepted."),
    "IntOrString": ("Union[int, str]", "An int or a string (\"8080\", \"http\", \"25%\")."),
    "Time": ("str", "An RFC 3339 timestamp, \"2026-01-02T15:04:05Z\"."),
    "MicroTime": ("str", "An RFC 3339 timestamp with microseconds."),
    "JSON": ("Any", "Free-form JSON."),  # dict[str, Any] where the definition says object
}


def special_alias(name: str, schema: Dict[str, Any]) -> Optional[Tuple[str, str]]:
    """(Python type, docstring) of a definition generated as an alias, or None."""
    from .swift_models import SPECIAL_TYPES
    support = SPECIAL_TYPES.get(name)
    if support is None:
        return None
    expr, doc = SUPPORT_TYPES[support]
    if support != "JSON":
        return expr, doc  # says what the JSON looks like, which the upstream text does not
    if base_type(schema.get("type")) == "object":
        expr = "dict[str, Any]"
    return expr, first_paragraph(schema.get("description")) or doc


PACKAGE_MODULES = {
    "io.k8s.apimachinery.pkg.apis.meta.v1": "meta_v1",
    "io.k8s.apimachinery.pkg.api.resource": "common",
    "io.k8s.apimachinery.pkg.util.intstr": "common",
    "io.k8s.apimachinery.pkg.runtime": "common",
    "io.k8s.apimachinery.pkg.version": "common",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1": "apiextensions_v1",
    "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1": "apiregistration_v1",
}


def split_name(name: str) -> Tuple[str, str]:
    package, _, short = name.rpartition(".")
    return package, short


def module_of(name: str) -> str:
    package, _ = split_name(name)
    if package in PACKAGE_MODULES:
        return PACKAGE_MODULES[package]
    if package.startswith("io.k8s.api."):
        group, version = package[len("io.k8s.api."):].split(".")
        return f"{group}_{version}"
    raise SystemExit(f"python_types: no module for {name}: add its package to PACKAGE_MODULES")


class BuiltinModels:
    """The built-in definitions, grouped into modules."""

    def __init__(self, definitions: Dict[str, Any]) -> None:
        # The `$defs` map itself (swift_models.load_inputs), or the whole document.
        self.defs: Dict[str, Any] = definitions.get("$defs", definitions)
        self.modules: Dict[str, List[str]] = {}
        for name in sorted(self.defs):
            self.modules.setdefault(module_of(name), []).append(name)

    def reference(self, name: str, current: str, imports: Set[str]) -> str:
        module = module_of(name)
        short = split_name(name)[1]
        if module == current:
            return ref(short)
        imports.add(module)
        return ref(f"_{module}.{short}")

    def type_expr(self, schema: Dict[str, Any], current: str, imports: Set[str]) -> str:
        if "$ref" in schema:
            return self.reference(schema["$ref"].split("/")[-1], current, imports)
        kind = base_type(schema.get("type"))
        if "enum" in schema and kind == "string" and len(schema["enum"]) > 1:
            found = literal(schema["enum"])
            if found:
                return found
        if kind in PRIMITIVES:
            return PRIMITIVES[kind]
        if kind == "array":
            return f"list[{self.type_expr(schema.get('items', {}), current, imports)}]"
        if kind == "object":
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return f"dict[str, {self.type_expr(extra, current, imports)}]"
            return "dict[str, Any]"
        return "Any"

    def module_source(self, module: str) -> str:
        imports: Set[str] = set()
        parts: List[str] = []
        classes: List[TypedDictClass] = []
        aliases: List[str] = []
        for name in self.modules[module]:
            short = split_name(name)[1]
            schema = self.defs[name]
            alias = special_alias(name, schema)
            if alias is not None:
                aliases.append(f"{short} = {alias[0]}\n{docstring(alias[1], '')}")
                continue
            required = set(schema.get("required", []))
            fields = []
            for key, prop in sorted(schema.get("properties", {}).items()):
                expr = "str" if key in ("apiVersion", "kind") else self.type_expr(prop, module, imports)
                fields.append(Field(key, expr, key in required, first_paragraph(prop.get("description"))))
            classes.append(TypedDictClass(short, first_paragraph(schema.get("description")), fields))
        parts.extend(aliases)
        parts.extend(c.render() for c in classes)
        imports.discard(module)
        lines = [f"from . import {m} as _{m}" for m in sorted(imports)]
        title = module.replace("_", "/", 1) if module not in ("common",) else "shared"
        doc = (f"Kubernetes {title} objects as TypedDicts (type hints only: values are the dicts the "
               "server sent; see kubeclient/models/__init__.py).")
        return module_header("api/definitions-v1.37.0.json", doc, lines, "\n\n".join(parts))

    def resources(self, discovery: List[Dict[str, Any]]) -> List[Tuple[str, str, str, str]]:
        """(apiVersion, plural, module, class) of every top-level resource with a model."""
        by_gvk: Dict[Tuple[str, str, str], str] = {}
        for name, schema in self.defs.items():
            for gvk in schema.get("x-kubernetes-group-version-kind", []):
                if len(schema.get("x-kubernetes-group-version-kind", [])) == 1:
                    by_gvk[(gvk["group"], gvk["version"], gvk["kind"])] = name
        found = set()
        for resource_list in discovery:
            group_version = resource_list["groupVersion"]
            group, _, version = group_version.rpartition("/")
            for resource in resource_list.get("resources", []):
                plural = resource["name"]
                if "/" in plural:
                    continue
                name = by_gvk.get((group, version, resource["kind"]))
                if name is not None:
                    found.add((group_version, plural, module_of(name), split_name(name)[1]))
        return sorted(found)

    def typed_stub_source(self, discovery: List[Dict[str, Any]]) -> str:
        """_typed.pyi: ``Client.resource`` and ``InformerFactory.informer`` overloads that give a
        built-in resource's model from literal arguments (``client.resource("v1", "pods")`` is a
        ``Resource[Pod]``). A stub, read by type checkers only: never imported at run time."""
        rows = self.resources(discovery)
        modules = sorted({module for _, _, module, _ in rows})
        out = [f"# Generated by {GENERATOR} from api/definitions-v1.37.0.json and\n"
               "# api/discovery-resourcelists.json. Do not edit.\n"
               "# A literal overload overlaps the str fallback on purpose (the pattern of typeshed's open()).\n"
               "# mypy: disable-error-code=\"overload-overlap\"\n"
               "# pyright: reportOverlappingOverload=false\n",
               '"""Typing overloads of Client.resource and InformerFactory.informer: literal (apiVersion,\n'
               "plural) pairs of built-in resources give their model; ``model=`` gives any TypedDict; other\n"
               'calls give ``dict[str, Any]`` objects. Read by type checkers only."""\n',
               "from typing import Any, Literal, Mapping, Optional, TypeVar, overload\n\n",
               "from kubeclient.client import Resource\n",
               "from kubeclient.informer import Informer\n"]
        out.append("from . import PartialObjectMetadata\n")
        out.extend(f"from . import {m} as _{m}\n" for m in modules)
        out.append('\n_ObjectT = TypeVar("_ObjectT", bound=Mapping[str, Any])\n\n\n')
        out.append("class TypedResources:\n")
        resource_doc = ('"""The verbs of one resource type, e.g. ``("apps/v1", "deployments", namespace="default")``'
                        ' (``resource`` may name a subresource, "deployments/status"), typed by the objects\' model:'
                        ' see ``kubeclient.Resource``."""')
        for api, plural, module, cls in rows:
            out.append(f"    @overload\n    def resource(self, api_version: Literal[{json.dumps(api)}], "
                       f"resource: Literal[{json.dumps(plural)}], namespace: Optional[str] = None) -> "
                       f"Resource[_{module}.{cls}]:\n        {resource_doc}\n")
        out.append("    @overload\n    def resource(self, api_version: str, resource: str, namespace: Optional[str] = "
                   f"None, *, model: type[_ObjectT]) -> Resource[_ObjectT]:\n        {resource_doc}\n")
        out.append("    @overload\n    def resource(self, api_version: str, resource: str, namespace: Optional[str] = "
                   f"None) -> Resource[dict[str, Any]]:\n        {resource_doc}\n\n\n")
        options = ("label_selector: Optional[str] = None, field_selector: Optional[str] = None")
        informer_doc = ('"""The shared informer for this resource (created on first request), typed by the objects\''
                        ' model: see ``kubeclient.informer.Informer``."""')
        out.append("class TypedInformers:\n")
        for api, plural, module, cls in rows:
            out.append(f"    @overload\n    def informer(self, api_version: Literal[{json.dumps(api)}], "
                       f"resource: Literal[{json.dumps(plural)}], namespace: Optional[str] = None, *, {options}, "
                       f"metadata_only: Literal[False] = False) -> Informer[_{module}.{cls}]:\n        {informer_doc}\n")
        out.append(f"    @overload\n    def informer(self, api_version: str, resource: str, namespace: Optional[str] = "
                   f"None, *, {options}, metadata_only: Literal[False] = False, model: type[_ObjectT]) -> "
                   f"Informer[_ObjectT]:\n        {informer_doc}\n")
        out.append(f"    @overload\n    def informer(self, api_version: str, resource: str, namespace: Optional[str] = "
                   f"None, *, {options}, metadata_only: Literal[True]) -> Informer[PartialObjectMetadata]:\n"
                   f"        {informer_doc}\n")
        out.append(f"    @overload\n    def informer(self, api_version: str, resource: str, namespace: Optional[str] = "
                   f"None, *, {options}, metadata_only: bool = False) -> Informer[dict[str, Any]]:\n"
                   f"        {informer_doc}\n")
        return "".join(out)

    def sources(self, discovery: List[Dict[str, Any]]) -> Dict[str, str]:
        out = {f"{module}.py": self.module_source(module) for module in sorted(self.modules)}
        out["_typed.pyi"] = self.typed_stub_source(discovery)
        return out


def generate_builtin(definitions: Dict[str, Any], discovery: List[Dict[str, Any]], diagnostics: Any = None
                     ) -> Dict[str, str]:
    """``kubeclient-gen builtin --python``: {path relative to the repository: text} of the
    kubeclient.models modules (their hand-written __init__.py is left alone)."""
    sources = BuiltinModels(definitions).sources(discovery)
    return {f"{MODELS_PATH}/{name}": text for name, text in sources.items()}


# ---- custom resources ---------------------------------------------------------------------------


class CRDModule:
    """One group-version of one or more CRDs (schema.build_root trees): a module of TypedDicts."""

    def __init__(self, name: str, group: str, version: str) -> None:
        self.name, self.group, self.version = name, group, version
        self.classes: List[TypedDictClass] = []
        from .schema import NameScope
        self.scope = NameScope()

    def add_version(self, version: Any, root: Any) -> None:
        if not root.description:
            root.description = f"A {version.kind} ({version.api_version})."
        kind_class = self.object_class(root, version.kind)
        self.classes.append(TypedDictClass(self.scope.claim(version.list_kind), f"A list of {version.kind} objects.", [
            Field("apiVersion", "str", False, ""), Field("kind", "str", False, ""),
            Field("metadata", ref("_meta_v1.ListMeta"), False, ""), Field("items", f"list[{ref(kind_class)}]", True, "")]))

    def object_class(self, node: Any, name: str) -> str:
        cls_name = self.scope.claim(name)
        fields = [Field(f.json_name, self.type_expr(f.node, cls_name), f.required, first_paragraph(f.node.description))
                  for f in node.fields]
        doc = first_paragraph(node.description)
        if node.keeps_unknown:
            doc = (doc + " " if doc else "") + ("The server keeps fields the schema does not list "
                                                "(x-kubernetes-preserve-unknown-fields): they are not typed here.")
        self.classes.append(TypedDictClass(cls_name, doc, fields))
        return cls_name

    def type_expr(self, node: Any, owner: str) -> str:
        expr = self._type_expr(node, owner)
        return f"Optional[{expr}]" if node.nullable and expr != "Any" else expr

    def _type_expr(self, node: Any, owner: str) -> str:
        kind = node.kind
        if kind == "string":
            return (literal(node.enum) or "str") if node.enum else "str"
        if kind in PRIMITIVES:
            return PRIMITIVES[kind]
        if kind == "int-or-string":
            return "Union[int, str]"
        if kind == "quantity":
            return "Union[str, int, float]"
        if kind == "date-time":
            return "str"
        if kind == "object-meta":
            return ref("_meta_v1.ObjectMeta")
        if kind == "array":
            return f"list[{self.type_expr(node.items, owner)}]"
        if kind == "map":
            return f"dict[str, {self.type_expr(node.values, owner)}]"
        if kind == "object":
            return ref(self.object_class(node, owner + node.name))
        return "Any"  # "json": free-form (preserve-unknown-fields, embedded, or a schema with no single type)

    def source(self, sources: List[str]) -> str:
        body = "\n\n".join(c.render() for c in self.classes)
        doc = (f"{self.group}/{self.version} custom resources as TypedDicts (type hints only: values are the "
               "dicts the server sent), for kubeclient's "
               f"client.resource(\"{self.group}/{self.version}\", PLURAL, model=KIND).")
        return module_header(", ".join(sources), doc, ["from kubeclient.models import meta_v1 as _meta_v1"], body)


def module_name(group: str, version: str, taken: Set[str], prefix: str) -> str:
    """``samplecrd.k8s.io``, ``v1`` -> ``samplecrd_v1``; more labels of the group while taken."""
    labels = [re.sub(r"\W", "_", label).lower() for label in group.split(".") if label]
    ver = re.sub(r"\W", "_", version).lower()
    for n in range(1, len(labels) + 1):
        candidate = f"{prefix}{'_'.join(labels[:n])}_{ver}"
        if candidate not in taken:
            return candidate
    return f"{prefix}{'_'.join(labels)}_{ver}_{len(taken)}"


def generate_crds(versions: List[Any], diagnostics: Any, module_prefix: Optional[str] = None) -> Dict[str, str]:
    """``kubeclient-gen crd --python``: {"<module>.py": text}, one module per group-version of the
    served versions (crd.load_crds), each kind with nested TypedDicts and its list type."""
    from .schema import NameScope, build_root

    modules: Dict[Tuple[str, str], CRDModule] = {}
    sources: Dict[Tuple[str, str], List[str]] = {}
    taken: Set[str] = set()
    for version in versions:
        key = (version.group, version.version)
        if key not in modules:
            name = module_name(version.group, version.version, taken, module_prefix or "")
            taken.add(name)
            modules[key] = CRDModule(name, version.group, version.version)
            sources[key] = []
        modules[key].add_version(version, build_root(version, diagnostics))
        source = os.path.basename(version.source) if version.source else "CustomResourceDefinition manifests"
        if source not in sources[key]:
            sources[key].append(source)
    return {f"{m.name}.py": m.source(sources[k]) for k, m in sorted(modules.items())}
