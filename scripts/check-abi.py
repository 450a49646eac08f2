#!/usr/bin/env python3
"""Checks that every function declared in the C headers has a Swift @_cdecl thunk with the same
number of parameters, and that every thunk is declared (names + arity; the layouts of the
structs are checked by the compiler through the CKubeABI module).

Usage: scripts/check-abi.py   (exit status 1 and a list of differences when they disagree)
"""
import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]


def arity(params: str) -> int:
    params = re.sub(r"/\*.*?\*/", "", params).strip()
    if params in ("", "void"):
        return 0
    depth, count = 0, 1
    for ch in params:
        if ch in "(<[":
            depth += 1
        elif ch in ")>]":
            depth -= 1
        elif ch == "," and depth == 0:
            count += 1
    return count


def header_functions() -> dict:
    found = {}
    headers = [root / "include/kubeclient.h", *sorted((root / "include/kubeclient").glob("*.h"))]
    for header in headers:
        text = re.sub(r"/\*.*?\*/", "", header.read_text(), flags=re.S)
        for match in re.finditer(r"KC_EXTERN[^;]*?\b(kc_\w+)\s*\(([^;]*?)\)\s*;", text, re.S):
            found[match.group(1)] = arity(match.group(2))
    return found


def swift_thunks() -> dict:
    found = {}
    for source in sorted((root / "Sources/KubeCABI").glob("*.swift")):
        text = source.read_text()
        for match in re.finditer(r'@_cdecl\("(kc_\w+)"\)\s*public func \w+\s*\(', text):
            depth, i = 1, match.end()
            while depth and i < len(text):
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                i += 1
            found[match.group(1)] = arity(text[match.end():i - 1])
    return found


declared, defined = header_functions(), swift_thunks()
problems = []
for name in sorted(set(declared) | set(defined)):
    if name not in defined:
        problems.append(f"{name}: declared in a header, no @_cdecl thunk")
    elif name not in declared:
        problems.append(f"{name}: @_cdecl thunk not declared in any header")
    elif declared[name] != defined[name]:
        problems.append(f"{name}: {declared[name]} parameters in the header, {defined[name]} in Swift")
if problems:
    print("check-abi: the headers and the Swift thunks disagree:", *problems, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"check-abi: {len(declared)} functions agree in name and arity")
