#!/usr/bin/env python3
"""Type-level check of the C ABI: the C headers against the Swift @_cdecl thunks and against
the Python ctypes declarations, so that a mismatched type fails the test run.

What is compared:
  - every function declared with KC_EXTERN in include/kubeclient.h and include/kubeclient/*.h
    has one @_cdecl thunk in Sources/KubeCABI whose return and parameter types, mapped from
    Swift to C (UnsafePointer<CChar>? -> const char *, Int64 -> int64_t, ...), are the
    header's; an opaque handle (OpaquePointer) must be a pointer to an opaque kc_* struct;
  - every ctypes prototype ("kc_name": (restype, [argtypes]) in bindings/python/kubeclient/*.py)
    matches the header's return and parameter types, callbacks (CFUNCTYPE) included;
  - every ctypes Structure named after a header struct has the header's members: same names,
    same order, same types.
The layouts the Swift thunks use come from the headers themselves (the CKubeABI module), so the
compiler checks those. The Python files are parsed, not imported: no library is needed.

Usage: scripts/check-abi.py [--root DIR] [--self-test]
  --root       check another tree (default: this repository)
  --self-test  seed one mismatch of each kind (Swift parameter, Python prototype, Python
               struct member, Python callback) into in-memory copies and require that each is
               reported: the check itself is tested every run.
Exit status 1 and a list of differences when they disagree.
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ENUM_INT = "int"  # ctypes passes C enums as c_int


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def canonical(c_type: str) -> str:
    """'const char *const *' -> 'const char*const*'; whitespace normalised."""
    text = re.sub(r"\s+", " ", c_type).strip()
    text = re.sub(r"\s*\*\s*", "*", text)
    return text


def split_params(params: str) -> list[str]:
    params = params.strip()
    if params in ("", "void"):
        return []
    out, depth, current = [], 0, ""
    for ch in params:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    return [p.strip() for p in out]


def param_type(param: str) -> str:
    """The type of a C parameter declaration (its name removed)."""
    match = re.match(r"^(.*?)([A-Za-z_]\w*)\s*(\[[^\]]*\])?$", param.strip())
    if not match or not match.group(1).strip() or match.group(1).strip() in ("const", "unsigned", "struct"):
        return canonical(param)
    return canonical(match.group(1))


class Header:
    """Functions, callback typedefs, structs, enums and opaque handles of the public headers."""

    def __init__(self, files: dict[str, str]):
        self.functions: dict[str, tuple[str, list[str]]] = {}
        self.callbacks: dict[str, tuple[str, list[str]]] = {}
        self.structs: dict[str, list[tuple[str, str]]] = {}
        self.enums: set[str] = set()
        self.opaque: set[str] = set()
        self.defines: dict[str, int] = {}
        for name, raw in files.items():
            text = strip_comments(raw)
            for m in re.finditer(r"#define\s+(\w+)\s+(\d+)\s*$", text, re.M):
                self.defines[m.group(1)] = int(m.group(2))
            text = re.sub(r"^\s*#.*$", " ", text, flags=re.M)
            for m in re.finditer(r"KC_EXTERN\s+([^;]*?)\b(kc_\w+)\s*\(([^;]*?)\)\s*;", text, re.S):
                self.functions[m.group(2)] = (canonical(m.group(1)), [param_type(p) for p in split_params(m.group(3))])
            for m in re.finditer(r"typedef\s+([^;()]*?)\(\s*\*\s*(kc_\w+)\s*\)\s*\(([^;]*?)\)\s*;", text, re.S):
                self.callbacks[m.group(2)] = (canonical(m.group(1)), [param_type(p) for p in split_params(m.group(3))])
            for m in re.finditer(r"typedef\s+struct\s+(kc_\w+)\s+(kc_\w+)\s*;", text):
                self.opaque.add(m.group(2))
            for m in re.finditer(r"typedef\s+enum\s+\w*\s*\{[^}]*\}\s*(kc_\w+)\s*;", text, re.S):
                self.enums.add(m.group(1))
            for m in re.finditer(r"typedef\s+struct\s+\w*\s*\{([^}]*)\}\s*(kc_\w+)\s*;", text, re.S):
                members = []
                for decl in m.group(1).split(";"):
                    decl = decl.strip()
                    if not decl:
                        continue
                    arr = re.match(r"^(.*?)(\w+)\s*\[\s*(\w+)\s*\]$", decl)
                    if arr:
                        count = arr.group(3)
                        count = str(self.defines.get(count, count))
                        members.append((arr.group(2), f"{canonical(arr.group(1))}[{count}]"))
                    else:
                        nm = re.match(r"^(.*?)(\w+)$", decl)
                        members.append((nm.group(2), canonical(nm.group(1))))
                self.structs[m.group(2)] = members

    def is_opaque_pointer(self, c_type: str, depth: int = 1) -> bool:
        base = c_type.removeprefix("const ")
        return base.endswith("*" * depth) and base[: -depth] in self.opaque and not base[: -depth].endswith("*")


# ---------------------------------------------------------------------------------------------
# Swift
# ---------------------------------------------------------------------------------------------

SWIFT_SCALARS = {
    "CChar": "char", "Int8": "char", "Int32": "int", "UInt32": "unsigned int", "Int64": "int64_t",
    "UInt64": "uint64_t", "Int": "size_t", "UInt16": "uint16_t", "Double": "double", "Void": "void",
    "UnsafeMutableRawPointer": "void*", "UnsafeRawPointer": "const void*", "OpaquePointer": "HANDLE*",
}


def swift_to_c(swift: str) -> str:
    """Maps a Swift parameter type of a @_cdecl thunk to the canonical C type."""
    t = swift.strip()
    if t.endswith("?"):
        t = t[:-1].strip()
    generic = re.match(r"^(UnsafePointer|UnsafeMutablePointer)<(.*)>$", t)
    if generic:
        inner = swift_to_c(generic.group(2))
        if generic.group(1) == "UnsafeMutablePointer":
            return inner + "*"
        return inner + "const*" if inner.endswith("*") else "const " + inner + "*"
    return SWIFT_SCALARS.get(t, t)


def swift_thunks(files: dict[str, str]) -> dict[str, tuple[str, list[str], str]]:
    found = {}
    for name, text in files.items():
        for m in re.finditer(r'@_cdecl\("(kc_\w+)"\)\s*public func \w+\s*\(', text):
            depth, i = 1, m.end()
            while depth and i < len(text):
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                i += 1
            params = text[m.end():i - 1]
            rest = re.match(r"\s*(?:->\s*([^{]+?))?\s*\{", text[i:])
            ret = swift_to_c(rest.group(1)) if rest and rest.group(1) else "void"
            types = []
            for p in split_swift_params(params):
                types.append(swift_to_c(p.split(":", 1)[1]))
            found[m.group(1)] = (ret, types, name)
    return found


def split_swift_params(params: str) -> list[str]:
    out, depth, current = [], 0, ""
    for ch in params:
        if ch in "<([":
            depth += 1
        elif ch in ">)]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    if current.strip():
        out.append(current)
    return [p.strip() for p in out if p.strip()]


def c_matches_swift(header: Header, c_type: str, swift_c: str) -> bool:
    if "HANDLE" in swift_c:
        depth = swift_c.count("*")
        return header.is_opaque_pointer(c_type, depth)
    if swift_c == c_type:
        return True
    # A C enum or callback typedef keeps its name in Swift.
    return False


# ---------------------------------------------------------------------------------------------
# Python ctypes
# ---------------------------------------------------------------------------------------------

CTYPES = {
    "c_int": "int", "c_uint": "unsigned int", "c_int64": "int64_t", "c_uint64": "uint64_t",
    "c_double": "double", "c_size_t": "size_t", "c_uint16": "uint16_t", "c_char_p": "c_char_p",
    "c_void_p": "c_void_p", "None": "void",
}


class PyType:
    """A ctypes type expression, resolved: ('scalar', c), ('pointer', PyType), ('struct', name),
    ('callback', restype, [args]), ('array', PyType, n)."""

    def __init__(self, kind: str, *args):
        self.kind, self.args = kind, args

    def __repr__(self) -> str:
        if self.kind == "scalar":
            return self.args[0]
        if self.kind == "pointer":
            return f"POINTER({self.args[0]!r})"
        if self.kind == "struct":
            return self.args[0]
        if self.kind == "array":
            return f"{self.args[0]!r} * {self.args[1]}"
        return f"CFUNCTYPE({self.args[0]!r}, {', '.join(map(repr, self.args[1]))})"


class PythonTables:
    def __init__(self, files: dict[str, str]):
        self.prototypes: dict[str, tuple[PyType, list[PyType], str]] = {}
        self.structs: dict[str, tuple[list[tuple[str, PyType]], str]] = {}
        self.errors: list[str] = []
        trees = {name: ast.parse(text, name) for name, text in files.items()}
        # One namespace of module-level aliases and Structure classes across the package (the
        # modules import each other's), each module's own names taking precedence.
        self.global_names: dict[str, ast.AST] = {}
        self.module_names: dict[str, dict[str, ast.AST]] = {}
        for name, tree in trees.items():
            own = {}
            for node in tree.body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    own[node.targets[0].id] = node.value
                elif isinstance(node, ast.ClassDef) and any(
                        isinstance(b, ast.Name) and b.id == "Structure" for b in node.bases):
                    own[node.name] = node
            self.module_names[name] = own
            for key, value in own.items():
                self.global_names.setdefault(key, value)
        for name, tree in trees.items():
            for node in tree.body:
                if isinstance(node, ast.ClassDef) and node.name.startswith("kc_") and node.name in self.module_names[name]:
                    self.structs[node.name] = (self.fields(name, node), name)
            for node in ast.walk(tree):
                if isinstance(node, ast.Dict):
                    for key, value in zip(node.keys, node.values):
                        if (isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.startswith("kc_")
                                and isinstance(value, ast.Tuple) and len(value.elts) == 2
                                and isinstance(value.elts[1], ast.List)):
                            restype = self.resolve(name, value.elts[0])
                            args = [self.resolve(name, a) for a in value.elts[1].elts]
                            self.prototypes[key.value] = (restype, args, name)

    def lookup(self, module: str, name: str):
        return self.module_names[module].get(name, self.global_names.get(name))

    def fields(self, module: str, node: ast.ClassDef) -> list[tuple[str, PyType]]:
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_fields_" for t in stmt.targets):
                return [(e.elts[0].value, self.resolve(module, e.elts[1])) for e in stmt.value.elts]
        return []

    def resolve(self, module: str, node: ast.AST, seen: frozenset = frozenset()) -> PyType:
        if isinstance(node, ast.Constant) and node.value is None:
            return PyType("scalar", "void")
        if isinstance(node, ast.Name):
            if node.id in CTYPES:
                return PyType("scalar", CTYPES[node.id])
            target = self.lookup(module, node.id)
            if isinstance(target, ast.ClassDef):
                return PyType("struct", target.name)
            if target is not None and node.id not in seen:
                return self.resolve(module, target, seen | {node.id})
            raise ValueError(f"{module}: cannot resolve ctypes name {node.id}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "POINTER":
                return PyType("pointer", self.resolve(module, node.args[0], seen))
            if node.func.id == "CFUNCTYPE":
                return PyType("callback", self.resolve(module, node.args[0], seen),
                              [self.resolve(module, a, seen) for a in node.args[1:]])
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            right = node.right
            if isinstance(right, ast.Name) and isinstance(self.lookup(module, right.id), ast.Constant):
                right = self.lookup(module, right.id)
            count = right.value if isinstance(right, ast.Constant) else ast.unparse(right)
            return PyType("array", self.resolve(module, node.left, seen), count)
        raise ValueError(f"{module}: cannot resolve ctypes expression {ast.unparse(node)}")


def py_matches(header: Header, py: PyType, c_type: str) -> bool:
    """Whether a ctypes type passes/receives the C type `c_type` correctly."""
    c_type = canonical(c_type)
    if py.kind == "scalar":
        value = py.args[0]
        if value == "c_void_p":
            return c_type.endswith("*")
        if value == "c_char_p":
            return c_type in ("const char*", "char*")
        if value == "int" and (c_type in header.enums or c_type == "int"):
            return True
        return value == c_type
    if py.kind == "struct":
        return c_type == py.args[0]
    if py.kind == "callback":
        if c_type not in header.callbacks:
            return False
        ret, params = header.callbacks[c_type]
        restype, args = py.args
        return (py_matches(header, restype, ret) and len(args) == len(params)
                and all(py_matches(header, a, p) for a, p in zip(args, params)))
    if py.kind == "pointer":
        if not c_type.endswith("*"):
            return False
        pointee = c_type[:-1]
        if pointee.endswith("const"):
            pointee = pointee[: -len("const")]
        pointee = pointee.removeprefix("const ") if not pointee.endswith("*") else pointee
        return py_matches(header, py.args[0], pointee)
    if py.kind == "array":
        m = re.match(r"^(.*)\[(\w+)\]$", c_type)
        return bool(m) and str(py.args[1]) == m.group(2) and py_matches(header, py.args[0], m.group(1))
    return False


# ---------------------------------------------------------------------------------------------


def compare(header: Header, swift: dict, python: PythonTables) -> list[str]:
    problems = []
    for name in sorted(set(header.functions) | set(swift)):
        if name not in swift:
            problems.append(f"{name}: declared in a header, no @_cdecl thunk")
            continue
        if name not in header.functions:
            problems.append(f"{name}: @_cdecl thunk ({swift[name][2]}) not declared in any header")
            continue
        c_ret, c_params = header.functions[name]
        s_ret, s_params, file = swift[name]
        if len(c_params) != len(s_params):
            problems.append(f"{name}: {len(c_params)} parameters in the header, {len(s_params)} in {file}")
            continue
        if not c_matches_swift(header, c_ret, s_ret):
            problems.append(f"{name}: returns {c_ret} in the header, {s_ret} in {file}")
        for i, (c, s) in enumerate(zip(c_params, s_params), 1):
            if not c_matches_swift(header, c, s):
                problems.append(f"{name}: parameter {i} is {c} in the header, {s} in {file}")
    for name, (restype, args, file) in sorted(python.prototypes.items()):
        if name not in header.functions:
            problems.append(f"{name}: ctypes prototype in {file}, not declared in any header")
            continue
        c_ret, c_params = header.functions[name]
        if len(args) != len(c_params):
            problems.append(f"{name}: {len(c_params)} parameters in the header, {len(args)} in {file}")
            continue
        if not py_matches(header, restype, c_ret):
            problems.append(f"{name}: returns {c_ret} in the header, restype {restype!r} in {file}")
        for i, (py, c) in enumerate(zip(args, c_params), 1):
            if not py_matches(header, py, c):
                problems.append(f"{name}: parameter {i} is {c} in the header, {py!r} in {file}")
    for name, (fields, file) in sorted(python.structs.items()):
        if name not in header.structs:
            problems.append(f"{name}: ctypes Structure in {file}, no such struct in the headers")
            continue
        members = header.structs[name]
        if [f for f, _ in fields] != [m for m, _ in members]:
            problems.append(f"{name}: members {[m for m, _ in members]} in the header, "
                            f"{[f for f, _ in fields]} in {file}")
            continue
        for (member, c), (_, py) in zip(members, fields):
            if not py_matches(header, py, c):
                problems.append(f"{name}.{member}: {c} in the header, {py!r} in {file}")
    return problems


def load(root: Path) -> tuple[dict, dict, dict]:
    headers = {str(p.relative_to(root)): p.read_text()
               for p in [root / "include/kubeclient.h", *sorted((root / "include/kubeclient").glob("*.h"))]}
    swift = {str(p.relative_to(root)): p.read_text() for p in sorted((root / "Sources/KubeCABI").glob("*.swift"))}
    python = {str(p.relative_to(root)): p.read_text()
              for p in sorted((root / "bindings/python/kubeclient").glob("*.py"))}
    return headers, swift, python


def run(headers: dict, swift: dict, python: dict) -> tuple[list[str], Header, PythonTables]:
    header = Header(headers)
    tables = PythonTables(python)
    return compare(header, swift_thunks(swift), tables), header, tables


def self_test(headers: dict, swift: dict, python: dict) -> list[str]:
    """Seeds one mismatch of each kind; returns the seeds the check failed to report."""
    def seeded(files: dict, pattern: str, replacement: str) -> dict:
        for name, text in files.items():
            new, count = re.subn(pattern, replacement, text, count=1)
            if count:
                return {**files, name: new}
        raise SystemExit(f"check-abi --self-test: seed pattern {pattern!r} not found")

    seeds = [
        ("Swift parameter type", "kc_watch_wait: parameter 2",
         headers, seeded(swift, r"(kc_watch_wait\(_ watch: OpaquePointer\?, _ \w+: )Int64", r"\1Double"), python),
        ("Python prototype type", "kc_watch_wait: parameter 2",
         headers, swift, seeded(python, r'("kc_watch_wait": \(c_int, \[HANDLE, )c_int64', r"\1c_double")),
        ("Python struct member type", "kc_list_options.timeout_ms",
         headers, swift, seeded(python, r'\("timeout_ms", c_int64\),\s*\("allow_watch_bookmarks"',
                                r'("timeout_ms", c_double), ("allow_watch_bookmarks"')),
        ("Python callback type", "kc_controller_new: parameter 2",
         headers, swift, seeded(python, r"(RECONCILE_CB = CFUNCTYPE\(c_int, c_char_p, POINTER\()c_int64", r"\1c_double")),
        ("header type", "kc_workqueue_add_after: parameter 3",
         seeded(headers, r"(kc_workqueue_add_after\(kc_workqueue \*queue, const char \*key, )int64_t", r"\1double"),
         swift, python),
    ]
    missed = []
    for what, expected, h, s, p in seeds:
        problems, _, _ = run(h, s, p)
        hit = [line for line in problems if line.startswith(expected)]
        print(f"check-abi --self-test: seeded {what}: " + (hit[0] if hit else "NOT REPORTED"))
        if not hit:
            missed.append(what)
    return missed


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parents[1]
    if "--root" in argv:
        root = Path(argv[argv.index("--root") + 1]).resolve()
    headers, swift, python = load(root)
    problems, header, tables = run(headers, swift, python)
    if problems:
        print("check-abi: the C headers, the Swift thunks and the Python ctypes declarations disagree:",
              *problems, sep="\n  ", file=sys.stderr)
        return 1
    print(f"check-abi: {len(header.functions)} functions agree in every type with their Swift thunks; "
          f"{len(tables.prototypes)} ctypes prototypes and {len(tables.structs)} ctypes structs agree with the headers")
    if "--self-test" in argv:
        missed = self_test(headers, swift, python)
        if missed:
            print(f"check-abi --self-test: seeded mismatches not reported: {', '.join(missed)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
