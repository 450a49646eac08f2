"""JSON decoding of what the library hands back: bounded, fast, and failing as ``DecodeError``.

Every JSON text from the library (a response body, a watch event, a cached object) is decoded
here, so a body that is not JSON, or is nested too deeply, fails the same way everywhere:
``kubeclient.DecodeError`` (a ``ValueError``), never ``json.JSONDecodeError`` or
``RecursionError`` escaping from some path.

Depth: at most ``MAX_DEPTH`` levels of arrays and objects. The stdlib's C scanner counts its
nesting against the interpreter's recursion limit and stops with ``RecursionError`` (turned
into ``DecodeError`` here), which bounds depth at about ``sys.getrecursionlimit()`` (1000 by
default) without a pre-scan. Only when a program raised the limit above ``MAX_DEPTH`` does a
body with more than ``MAX_DEPTH`` brackets get an explicit depth check first, which costs
about half a decode: a raised limit can outgrow the C stack (a crash, not an error).
"""
from __future__ import annotations

import gc
import json
import re
import sys
from itertools import accumulate
from typing import Any

from ._status import Status
from .errors import DecodeError

#: The deepest nesting of arrays/objects decoded; deeper is a DecodeError. Kubernetes objects
#: (CRD schemas included) stay far below it.
MAX_DEPTH = 1000


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def loads(text: str | bytes, what: str = "the server's answer") -> Any:
    """``json.loads`` with the cyclic garbage collector paused, bounded in depth, raising
    ``DecodeError`` (naming ``what``) for anything that is not JSON.

    Pausing the GC: decoding a 10,000-pod list allocates millions of containers; each
    allocation burst triggers a GC pass over all of them, which made decoding 2.5× slower than
    the parse itself (benchmarks/RESULTS.md). The objects json builds hold no cycles, so pausing
    collection loses nothing; it is re-enabled (if it was on) before returning. Other threads
    see the collector paused for the duration of the call.
    """
    if sys.getrecursionlimit() > MAX_DEPTH and _bracket_count(text) > MAX_DEPTH:
        _check_depth(text, what)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return json.loads(text)
    except RecursionError:
        raise _error(f"{what} is nested too deeply to decode (more than "
                     f"{min(MAX_DEPTH, sys.getrecursionlimit())} levels)") from None
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
        raise _error(f"{what} is not valid JSON: {error} (starts {_start(text)})") from None
    finally:
        if was_enabled:
            gc.enable()


def _bracket_count(text: str | bytes) -> int:
    # Every nesting level opens one bracket, so a text with few of them cannot be deep.
    if isinstance(text, bytes):
        return text.count(b"[") + text.count(b"{")
    return text.count("[") + text.count("{")


def _check_depth(text: str | bytes, what: str) -> None:
    """Raises DecodeError when ``text`` nests deeper than MAX_DEPTH. Strings are removed first
    (their brackets are not structure), then everything but brackets; the deepest nesting is
    the highest running sum of +1 per opening and -1 per closing bracket. All at C speed (no
    Python code runs per character)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _error(f"{what} is not valid JSON: {error}") from None
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if brackets and max(accumulate(map(_STEP.__getitem__, brackets))) > MAX_DEPTH:
        raise _error(f"{what} is nested too deeply to decode (more than {MAX_DEPTH} levels)")


def _start(text: str | bytes) -> str:
    return repr(text[:40])


def _error(message: str) -> DecodeError:
    return DecodeError(message, status=Status.DECODE)
