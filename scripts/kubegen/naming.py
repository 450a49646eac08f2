"""Names shared by the generators: Swift keywords, identifiers, camel case, doc comments."""

import re

SWIFT_KEYWORDS = {
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
    "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
    "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
    "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
    "throw", "switch", "where", "while", "as", "false", "is", "nil", "self", "Self", "super", "throws",
    "true", "try", "Any", "Type",
}

# Names generated code refers to unqualified; a generated struct must not shadow them.
RESERVED_TYPE_NAMES = {"JSON", "Time", "MicroTime", "Quantity", "IntOrString", "String", "Int32", "Int64",
                       "Bool", "Double", "Array", "Dictionary", "Optional", "JSONObjectReader",
                       "JSONDecodingError", "KubeModel", "KubeResource", "ResourceIdentity"}


def swift_identifier(json_name):
    """A JSON property name as a Swift identifier (built-in models: names are already camel case)."""
    name = json_name.lstrip("$")
    parts = re.split(r"[^A-Za-z0-9_]+", name)
    name = parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])
    if name in SWIFT_KEYWORDS:
        return f"`{name}`"
    return name


def lower_first(name):
    """'ConfigMap' -> 'configMap', 'URLPath' -> 'urlPath', 'IP' -> 'ip'."""
    m = re.match(r"^([A-Z]+)(?=[A-Z][a-z]|$)", name)
    if m:
        return m.group(1).lower() + name[len(m.group(1)):]
    return name[:1].lower() + name[1:]


def words(text):
    """Alphanumeric runs of `text`: 'x-kubernetes.io/foo_bar' -> ['x', 'kubernetes', 'io', 'foo', 'bar']."""
    return [w for w in re.split(r"[^A-Za-z0-9]+", text) if w]


def upper_camel(text):
    """'tls-config' -> 'TlsConfig', 'podIP' -> 'PodIP', '1.3.6' -> '1_3_6', '' -> ''."""
    out = ""
    for w in words(text):
        if out and out[-1].isdigit() and w[0].isdigit():
            out += "_"  # keep 1.3 and 13 apart
        out += w[:1].upper() + w[1:]
    return out


def lower_camel(text):
    """'tls-config' -> 'tlsConfig', 'PKCS1' -> 'pkcs1', 'URLPath' -> 'urlPath', 'podIPs' -> 'podIPs'."""
    name = upper_camel(text)
    m = re.match(r"^[A-Z]+(?=[A-Z][a-z])|^[A-Z]+(?![a-z])", name)
    if m:
        return m.group(0).lower() + name[m.end():]
    return name[:1].lower() + name[1:]


def singular(word):
    """A plain-English singular for naming the element type of an array property."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(word) > 1:
        return word[:-1]
    return word + "Item"


def doc_lines(text, indent):
    """`text` as `///` lines at `indent` (nothing for empty text)."""
    if not text:
        return []
    out = []
    for line in text.strip().split("\n"):
        line = line.rstrip()
        out.append(f"{indent}///" + (f" {line}" if line else ""))
    return out
