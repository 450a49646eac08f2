"""A CRD's openAPIV3Schema as a small language-neutral tree (`Node`), with diagnostics.

The rules follow the API server's structural schemas (apiextensions.k8s.io/v1): every
position has one `type`, `oneOf`/`anyOf`/`allOf`/`not` may only add validations, and
`x-kubernetes-*` extensions say where free-form or int-or-string values go. Whatever
does not fit that (a hand-written or older schema) becomes a free-form JSON value and one
diagnostic, never an error: the generated code must always compile and round-trip.
"""

import re
import sys
from dataclasses import dataclass, field as dataclass_field
from typing import Any, List, Optional

from .naming import lower_camel, singular, upper_camel, words

# The pattern controller-gen writes for resource.Quantity (with x-kubernetes-int-or-string).
QUANTITY_PATTERN = (r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|"
                    r"([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$")

UNIONS = ("oneOf", "anyOf", "allOf", "not")
# Keys that give a schema position a shape; a union branch holding one is not validation-only.
SHAPE_KEYS = {"type", "properties", "additionalProperties", "items", "$ref", "x-kubernetes-preserve-unknown-fields",
              "x-kubernetes-int-or-string", "x-kubernetes-embedded-resource", "nullable", "default"}


class Diagnostics:
    """Warnings about schema positions generated as free-form JSON, printed as they come."""

    def __init__(self, stream="stderr", program="kubeclient-gen"):
        """`stream`: a file, None to only collect, or "stderr" for sys.stderr at the time of each warning."""
        self.items = []
        self.stream = stream
        self.program = program

    def warn(self, where, message):
        text = f"{where}: {message}"
        self.items.append(text)
        stream = sys.stderr if self.stream == "stderr" else self.stream
        if stream is not None:
            print(f"{self.program}: warning: {text}", file=stream)


@dataclass
class Field:
    json_name: str
    node: "Node"
    required: bool


@dataclass
class Node:
    kind: str  # string integer number boolean int-or-string quantity date-time json object map array object-meta
    path: str
    name: str = ""
    description: str = ""
    format: Optional[str] = None
    enum: Optional[List[str]] = None
    fields: List[Field] = dataclass_field(default_factory=list)
    keeps_unknown: bool = False
    items: Optional["Node"] = None
    values: Optional["Node"] = None
    nullable: bool = False
    default: Any = None  # the schema's `default` (the API server fills it in), None when there is none


def _has_shape(branch):
    """True when a union branch declares a type or structure rather than only validations."""
    if not isinstance(branch, dict):
        return True
    if SHAPE_KEYS & set(branch):
        # `properties` with validation-only members is still validation (the structural rule).
        keys = SHAPE_KEYS & set(branch)
        if keys == {"properties"} and isinstance(branch["properties"], dict):
            return any(_has_shape(p) for p in branch["properties"].values())
        return True
    for key in UNIONS:
        nested = branch.get(key)
        if nested is None:
            continue
        for b in nested if isinstance(nested, list) else [nested]:
            if _has_shape(b):
                return True
    return False


def _schema_type(schema):
    """(type, nullable) from `type`, accepting JSON Schema's ["string", "null"] form too."""
    t = schema.get("type")
    nullable = bool(schema.get("nullable"))
    if isinstance(t, list):
        rest = [x for x in t if x != "null"]
        nullable = nullable or len(rest) != len(t)
        t = rest[0] if len(rest) == 1 else (None if not rest else rest)
    return t, nullable


class SchemaWalker:
    """Turns one CRD version's schema into Nodes, reporting what it cannot type."""

    def __init__(self, where, diagnostics):
        self.where = where
        self.diagnostics = diagnostics

    def fallback(self, schema, path, name, reason):
        self.diagnostics.warn(f"{self.where}: {path or '.'}", f"{reason}; generated as free-form JSON")
        return Node("json", path, name, description=schema.get("description", "") if isinstance(schema, dict) else "")

    def node(self, schema, path, name, element=False):
        """The Node of `schema`; `name` names the type it may become (`element`: already singular,
        for the elements of collections inside collections: `[[Port]]`, `[String: [Hook]]`)."""
        node = self.shape(schema, path, name, element)
        if isinstance(schema, dict) and "default" in schema:
            node.default = schema["default"]
        return node

    def shape(self, schema, path, name, element):
        item_name = name if element else singular(name)
        if not isinstance(schema, dict):
            return self.fallback({}, path, name, "the schema is not an object")
        description = schema.get("description", "") or ""
        if "$ref" in schema:
            return self.fallback(schema, path, name, "$ref is not allowed in CRD schemas")
        t, nullable = _schema_type(schema)
        if isinstance(t, list):
            return self.fallback(schema, path, name, f"several types {t}")
        if schema.get("x-kubernetes-int-or-string"):
            kind = "quantity" if schema.get("pattern") == QUANTITY_PATTERN else "int-or-string"
            return Node(kind, path, name, description, nullable=nullable)
        for key in UNIONS:
            if key not in schema:
                continue
            branches = schema[key] if isinstance(schema[key], list) else [schema[key]]
            if any(_has_shape(b) for b in branches):
                return self.fallback(schema, path, name,
                                     f"{key} with typed alternatives has no single type")
            # Validation-only alternatives (e.g. "exactly one of a, b is set"): the outer schema is the type.
        preserve = bool(schema.get("x-kubernetes-preserve-unknown-fields"))
        props = schema.get("properties")
        additional = schema.get("additionalProperties")
        if t is None:
            if props is not None or isinstance(additional, dict):
                t = "object"
            elif preserve:
                return Node("json", path, name, description, nullable=nullable)
            elif "items" in schema:
                t = "array"
            else:
                return self.fallback(schema, path, name, "no type")
        if t == "object":
            if props is not None and not isinstance(props, dict):
                return self.fallback(schema, path, name, "properties is not an object")
            if props and additional not in (None, False):
                return self.fallback(schema, path, name, "both properties and additionalProperties")
            if props:
                return self.object_node(schema, path, name, description, nullable, preserve)
            if isinstance(additional, dict) or additional is True:
                value_schema = additional if isinstance(additional, dict) else {"x-kubernetes-preserve-unknown-fields": True}
                values = self.nullable_element(self.node(value_schema, f"{path}.*", item_name, element=True))
                return Node("map", path, name, description, values=values, nullable=nullable)
            # Free-form (preserve-unknown-fields, embedded resources) or, without either, always `{}`
            # after the server prunes it: either way a JSON object.
            return Node("json", path, name, description, nullable=nullable)
        if t == "array":
            items = schema.get("items")
            if isinstance(items, list):
                return self.fallback(schema, path, name, "tuple items (a list of schemas)")
            if items is None:
                self.diagnostics.warn(f"{self.where}: {path}", "array without items; elements generated as free-form JSON")
                item = Node("json", f"{path}[]", item_name)
            else:
                item = self.nullable_element(self.node(items, f"{path}[]", item_name, element=True))
            return Node("array", path, name, description, items=item, nullable=nullable)
        if t == "string":
            fmt = schema.get("format")
            if fmt == "date-time":
                return Node("date-time", path, name, description, format=fmt, nullable=nullable)
            if fmt == "int-or-string":
                return Node("int-or-string", path, name, description, nullable=nullable)
            enum = schema.get("enum")
            values = None
            if isinstance(enum, list):
                values = [v for v in enum if v is not None]
                if not all(isinstance(v, str) for v in values):
                    self.diagnostics.warn(f"{self.where}: {path}", "enum values are not all strings; generated as String")
                    values = None
                elif not values:
                    values = None
            return Node("string", path, name, description, format=fmt, enum=values, nullable=nullable)
        if t in ("integer", "number", "boolean"):
            return Node(t, path, name, description, format=schema.get("format"), nullable=nullable)
        return self.fallback(schema, path, name, f"unknown type {t!r}")

    def nullable_element(self, node):
        """Elements of arrays and maps have no "absent": a nullable one must hold null, so it stays JSON."""
        if node.nullable and node.kind != "json":
            self.diagnostics.warn(f"{self.where}: {node.path}", "nullable elements; generated as free-form JSON")
            return Node("json", node.path, node.name, node.description, nullable=True)
        return node

    def object_node(self, schema, path, name, description, nullable, preserve):
        required = set(r for r in schema.get("required", []) if isinstance(r, str))
        node = Node("object", path, name, description, keeps_unknown=preserve, nullable=nullable)
        for json_name in sorted(schema["properties"]):
            child = self.node(schema["properties"][json_name], f"{path}.{json_name}", upper_camel(json_name) or "Field")
            node.fields.append(Field(json_name, child, json_name in required and not child.nullable))
        _uniquify_nested(node)
        return node


class NameScope:
    """Hands out names unique within one scope: 'Port', 'Port2', ..."""

    def __init__(self, taken=()):
        self.taken = set(taken)

    def claim(self, name):
        candidate, n = name, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{name}{n}"
        self.taken.add(candidate)
        return candidate


def nested_types(node):
    """The Nodes of an object's fields that become named types inside it (through arrays and maps)."""
    out = []
    for f in node.fields:
        n = f.node
        while n.kind in ("array", "map"):
            n = n.items if n.kind == "array" else n.values
        if n.kind == "object" or (n.kind == "string" and n.enum):
            out.append(n)
    return out


def _uniquify_nested(node):
    """Element types of array/map fields get names derived from the field; keep them unique too."""
    scope = NameScope()
    for child in nested_types(node):
        child.name = scope.claim(child.name or "Item")


def build_root(version, diagnostics):
    """The root Node of one CRD version: apiVersion, kind and metadata always, then the schema's fields."""
    walker = SchemaWalker(version.where, diagnostics)
    schema = dict(version.schema or {})
    if not schema:
        # No schema (or an empty one): the server keeps whatever it is sent.
        schema = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    props = dict(schema.get("properties") or {})
    props.pop("metadata", None)
    props.pop("apiVersion", None)
    props.pop("kind", None)
    preserve = bool(schema.get("x-kubernetes-preserve-unknown-fields"))
    if schema.get("type", "object") != "object":
        diagnostics.warn(f"{version.where}: .", "the root schema is not an object; its fields are generated as JSON")
    root_schema = {"type": "object", "properties": props, "required": schema.get("required", []),
                   "description": schema.get("description", "")}
    if preserve:
        root_schema["x-kubernetes-preserve-unknown-fields"] = True
    if props:
        root = walker.object_node(root_schema, "", version.kind, root_schema["description"], False, preserve)
    else:
        root = Node("object", "", version.kind, root_schema["description"], keeps_unknown=preserve)
    for f in root.fields:
        f.required = f.required and f.json_name != "metadata"
    fixed = [Field("apiVersion", Node("string", ".apiVersion", "APIVersion"), False),
             Field("kind", Node("string", ".kind", "Kind"), False),
             Field("metadata", Node("object-meta", ".metadata", "Metadata"), False)]
    root.fields = sorted(fixed + root.fields, key=lambda f: f.json_name)
    return root


def namespace_name(group, version, taken=(), prefix=""):
    """The Swift namespace of a group-version: 'samplecrd.k8s.io', 'v1' -> 'SamplecrdV1'.

    The first label of the group names it, as client-go's clientsets do; when that is taken
    (a built-in `NetworkingV1`, or another group of the same run) more labels are added:
    'networking.istio.io' -> 'NetworkingIstioV1alpha3'."""
    labels = [w for w in re.split(r"\.", group) if w]
    ver = upper_camel(version)
    for n in range(1, len(labels) + 1):
        stem = "".join(upper_camel(label) for label in labels[:n])
        candidate = f"{prefix}{stem}{ver}"
        if candidate not in taken:
            return candidate
    base = f"{prefix}{''.join(upper_camel(label) for label in labels)}{ver}"
    n = 2
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


__all__ = ["Diagnostics", "Field", "Node", "NameScope", "build_root", "namespace_name", "nested_types",
           "upper_camel", "lower_camel", "singular", "words", "QUANTITY_PATTERN"]
