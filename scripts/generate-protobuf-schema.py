#!/usr/bin/env python3
"""Generate the protobuf schema table of KubeProtobuf from the Kubernetes .proto files.

Reads api/proto/k8s.io/**/generated.proto (the proto2 schemas of k8s.io/api and the
apimachinery types) and api/definitions-v1.37.0.json (for JSON facts the .proto files
do not carry: inlined Go fields, and which fields have no `omitempty`), and writes

  Sources/KubeProtobuf/Generated/ProtobufSchemaTable.swift

as ONE string literal that KubeProtobuf parses on first use. A table instead of one
function per message keeps the compile time of ~1,270 messages low (~5 s for the whole target).

Table format (one message per line):
  <message name> [!<special>] (<field> )*
  field = <number>:<json name>:<cardinality>:<type>[:<flags>]
  cardinality: o (optional), r (repeated), m (map<string, type>)
  type: s string, y bytes, i int32, l int64, b bool, d double, f float,
        or @<message name>
  flags: z (keep an explicit zero value when decoding: the Go field has no omitempty, from the
           OpenAPI `required` list, or is a pointer, from POINTER_NAMES / POINTER_HINT_*; Go writes
           non-pointer zero scalars to protobuf but omits them from JSON, so other zeros are dropped),
         n (inlined into the parent JSON object: Go `json:",inline"`)
Message names drop the "k8s.io." prefix.

Usage:
  python3 scripts/generate-protobuf-schema.py            # regenerate in place
  python3 scripts/generate-protobuf-schema.py --out FILE # write elsewhere (for checks)
  python3 scripts/generate-protobuf-schema.py --report   # list fields whose JSON name was inferred
"""

import argparse
import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROTO_ROOT = os.path.join(ROOT, "api", "proto")
DEFINITIONS = os.path.join(ROOT, "api", "definitions-v1.37.0.json")
OUTPUT = os.path.join(ROOT, "Sources", "KubeProtobuf", "Generated", "ProtobufSchemaTable.swift")

SCALARS = {"string": "s", "bytes": "y", "int32": "i", "int64": "l", "bool": "b", "double": "d", "float": "f"}

# Messages whose JSON form is not an object of their fields (KubeProtobuf converts them by hand).
SPECIAL = {
    "apimachinery.pkg.apis.meta.v1.Time": "time",
    "apimachinery.pkg.apis.meta.v1.MicroTime": "microtime",
    "apimachinery.pkg.apis.meta.v1.Duration": "duration",
    "apimachinery.pkg.apis.meta.v1.FieldsV1": "rawjson",
    "apimachinery.pkg.runtime.RawExtension": "rawext",
    "apimachinery.pkg.api.resource.Quantity": "quantity",
    "apimachinery.pkg.api.resource.QuantityValue": "quantity",
    "apimachinery.pkg.util.intstr.IntOrString": "intorstring",
}

# Go pointer fields, whose explicit zero value means something (`false` is not "unset"). The
# .proto files do not say which fields are pointers; the OpenAPI descriptions usually do
# (POINTER_HINT_INT / POINTER_HINT_BOOL), and these are the ones they do not.
POINTER_NAMES = {"automountServiceAccountToken", "privileged", "allowPrivilegeEscalation", "readOnlyRootFilesystem",
                 "runAsNonRoot", "storageClassName", "ingressClassName", "optional"}
POINTER_HINT_INT = re.compile(r"pointer|\bnil\b|[Dd]efault(s|ed)? (to|is|value is) (?!0\b|0\.|empty)")
POINTER_HINT_BOOL = re.compile(r"pointer|[Dd]efault(s|ed)? (to |is |value is )?true")

FIELD_RE = re.compile(r"^(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)\s*(\[[^\]]*\])?\s*;$")
MAP_RE = re.compile(r"^map<\s*(\w+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)\s*;$")


def strip_block_comments(text):
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def parse_proto(path):
    """Returns (package, [message]) with message = (name, comment, [field]); field = dict."""
    text = strip_block_comments(open(path, encoding="utf-8").read())
    package = None
    messages = []
    comment = []
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("//"):
            comment.append(line[2:].strip())
            continue
        if not line:
            if current is None:
                comment = []
            continue
        if line.startswith("package "):
            package = line[len("package "):].rstrip(";").strip()
        elif line.startswith("message "):
            if current is not None:
                sys.exit(f"{path}: nested message {line}")
            name = line.split()[1]
            current = (name, list(comment), [])
            comment = []
            if line.endswith("}"):
                messages.append(current)
                current = None
        elif line == "}":
            if current is not None:
                messages.append(current)
                current = None
        elif current is not None:
            m = FIELD_RE.match(line)
            mm = MAP_RE.match(line)
            if m:
                current[2].append({"label": m.group(1), "type": m.group(2), "name": m.group(3),
                                   "number": int(m.group(4)), "options": m.group(5) or ""})
            elif mm:
                if mm.group(1) != "string":
                    sys.exit(f"{path}: map key {mm.group(1)} unsupported")
                current[2].append({"label": "map", "type": mm.group(2), "name": mm.group(3),
                                   "number": int(mm.group(4)), "options": ""})
            else:
                sys.exit(f"{path}: cannot parse {line!r}")
            comment = []
        elif line.startswith(("syntax", "import", "option")):
            comment = []
        else:
            sys.exit(f"{path}: unexpected {line!r}")
    return package, messages


def short(name):
    return name[len("k8s.io."):] if name.startswith("k8s.io.") else name


def resolve(type_name, package, known):
    """Resolves a proto type reference to a short message name."""
    if type_name.startswith("."):
        full = short(type_name[1:])
    else:
        full = short(package + "." + type_name)
    if full not in known:
        sys.exit(f"unknown message type {type_name} in {package}")
    return full


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=OUTPUT)
    parser.add_argument("--report", action="store_true")
    args = parser.parse_args()

    defs = json.load(open(DEFINITIONS, encoding="utf-8"))["$defs"]
    files = sorted(glob.glob(os.path.join(PROTO_ROOT, "k8s.io", "**", "generated.proto"), recursive=True))
    parsed = [parse_proto(f) for f in files]
    messages = {}
    for package, msgs in parsed:
        for name, comment, fields in msgs:
            messages[short(package + "." + name)] = (package, comment, fields)

    by_name = {}
    for key in sorted(defs):
        by_name.setdefault(key.rsplit(".", 1)[-1], []).append(key)

    def definition(msg):
        """The JSON schema of a message; for versions v1.37 no longer serves (apps/v1beta1,
        extensions/v1beta1, ...), the same-named type of another version, same group first."""
        exact = defs.get("io.k8s." + msg)
        if exact is not None:
            return exact
        group = msg.rsplit(".", 2)[0]
        candidates = by_name.get(msg.rsplit(".", 1)[-1], [])
        same_group = [c for c in candidates if c.startswith("io.k8s." + group + ".")]
        own = {f["name"] for f in messages[msg][2]}
        best = max(same_group or candidates, default=None,
                   key=lambda c: len(own & set(defs[c].get("properties", {}))))
        return defs[best] if best else None

    def json_props(msg):
        d = definition(msg)
        return set((d or {}).get("properties", {}).keys())

    def proto_field_names(m):
        """JSON names of a message's fields, with inlined messages flattened."""
        names = set()
        for f in messages[m][2]:
            names.add(f["name"])
        d = definition(m)
        if d is not None and d.get("properties"):
            return set(d["properties"].keys())
        return names

    lines = []
    inferred = []
    for msg in sorted(messages):
        package, comment, fields = messages[msg]
        parts = [msg]
        if msg in SPECIAL:
            parts.append("!" + SPECIAL[msg])
        elif any(c.startswith("+protobuf.nullable=true") for c in comment):
            # A Go slice type wrapped in a message: JSON is the bare array of `items`.
            parts.append("!list")
        d = definition(msg)
        props = json_props(msg)
        required = set((d or {}).get("required", []))
        for f in fields:
            if f["type"] in SCALARS:
                t = SCALARS[f["type"]]
            else:
                t = "@" + resolve(f["type"], package, messages)
            card = {"optional": "o", "required": "o", "repeated": "r", "map": "m"}[f["label"]]
            json_name = f["name"]
            flags = ""
            description = ((d or {}).get("properties", {}).get(f["name"]) or {}).get("description", "")
            if f["name"] in required or f["name"] in POINTER_NAMES or (
                    t in ("i", "l", "d", "f") and POINTER_HINT_INT.search(description)) or (
                    t == "b" and POINTER_HINT_BOOL.search(description)):
                flags += "z"
            if props and f["name"] not in props:
                by_case = {p.lower(): p for p in props}
                child = proto_field_names(t[1:]) if t.startswith("@") else set()
                if f["name"].lower() in by_case:
                    # Go field without a json-named protobuf tag (`Webhooks`, `uID`): the JSON schema knows.
                    json_name = by_case[f["name"].lower()]
                    inferred.append(f"{msg}.{f['name']}: JSON name {json_name}")
                elif child and child <= props | {"kind", "apiVersion"}:
                    flags += "n"
                    inferred.append(f"{msg}.{f['name']}: inline")
                else:
                    inferred.append(f"{msg}.{f['name']}: NOT IN JSON SCHEMA")
            spec = f"{f['number']}:{json_name}:{card}:{t}"
            if flags:
                spec += ":" + flags
            parts.append(spec)
        lines.append(" ".join(parts))

    if args.report:
        print("\n".join(inferred))
    table = "\n".join(lines)
    if '"""' in table or "\\" in table:
        sys.exit("table contains characters that need escaping")
    out = [
        "// Generated by scripts/generate-protobuf-schema.py from api/proto. Do not edit.",
        "// Format: see the script's docstring. Parsed once by ProtobufSchema.",
        "",
        "extension ProtobufSchema {",
        "    static let table = \"\"\"",
        table,
        "\"\"\"",
        "}",
        "",
    ]
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out))
    print(f"{len(lines)} messages, {sum(len(m[2]) for m in messages.values())} fields -> {os.path.relpath(args.out, ROOT)}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
