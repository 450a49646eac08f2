"""``Resource.list(lazy=True)`` / ``list_all(lazy=True)``: a list whose items are ``LazyObject``s.

The library splits the answer into its items once (``kc_list_items``: the list checked for
structure, items not parsed) and hands back one text with every item's byte range; each item
becomes a ``LazyObject`` over a private copy of its bytes, decoded only when read. A 10,000-pod
list (70 MB) then costs the transfer and one copy, not ``json.loads`` of everything (≈ 1 s),
for callers that read a few fields of each item or only some items.

The list's own members (``apiVersion``, ``kind``, ``metadata``) are decoded at once, into the
plain dict that carries ``items``.
"""
from __future__ import annotations

import ctypes
import gc
import sys
from typing import TYPE_CHECKING, Any, Callable, Generic, List

from ._call import call_on_helper_if_main, last_error
from ._json import loads
from ._status import Status
from ._native import lib
from ._typing import ObjectT
from .errors import DecodeError
from .lazyobject import LazyObject

if TYPE_CHECKING:  # the models are read by type checkers only
    from .models import meta_v1

if sys.version_info >= (3, 11):
    from typing import Required, TypedDict
else:  # Required (PEP 655) and generic TypedDicts arrived in 3.11
    from typing_extensions import Required, TypedDict

__all__ = ["LazyObjectList"]


class LazyObjectList(TypedDict, Generic[ObjectT], total=False):
    """What ``list(lazy=True)`` answers: ``ObjectList`` whose ``items`` are ``LazyObject``s.

    A plain dict at run time (``json.dumps`` needs ``default=dict`` for its items). Items stay
    valid after the list is gone: each holds its own copy of its bytes."""
    apiVersion: str
    items: Required[List[LazyObject[ObjectT]]]
    kind: str
    metadata: meta_v1.ListMeta


def fetch(function: Callable[..., int], *args: Any) -> LazyObjectList[Any]:
    """Calls ``kc_list_items`` or ``kc_list_all_items`` with ``args`` (client, api_version,
    resource, namespace, options) and builds the list. Network wait on a helper thread when
    called from the main thread, so that Ctrl-C interrupts it (as ``call_string``); the helper
    also copies and frees the library's buffers, so an interrupted call leaks nothing."""

    def call() -> LazyObjectList[Any]:
        shell, text = ctypes.c_void_p(), ctypes.c_void_p()
        spans, count = ctypes.POINTER(ctypes.c_size_t)(), ctypes.c_size_t()
        status: int = function(*args, ctypes.byref(shell), ctypes.byref(text), ctypes.byref(spans),
                               ctypes.byref(count))
        try:
            if status != Status.OK:
                raise last_error(status)  # the error record is per thread: read it here
            return _build(shell, text, spans, count.value)
        finally:
            # NULL on failure by contract; freed anyway, defensively (kc_free(NULL) is a no-op).
            lib.kc_free(shell.value)
            lib.kc_free(text.value)
            lib.kc_free(ctypes.cast(spans, ctypes.c_void_p).value)

    result: LazyObjectList[Any] = call_on_helper_if_main(call)
    return result


def _build(shell: ctypes.c_void_p, text: ctypes.c_void_p, spans: Any, count: int) -> LazyObjectList[Any]:
    result: LazyObjectList[Any] = loads(ctypes.string_at(shell.value or 0) if shell.value else b"",
                                        "the server's answer")
    if not isinstance(result, dict):  # the library checked that it is an object; defensive
        raise DecodeError("the server's answer is not a JSON object", status=Status.DECODE)
    flat: List[int] = spans[:2 * count] if count else []
    base = text.value or 0
    string_at = ctypes.string_at
    # Thousands of new tracked objects: the cyclic GC would rescan them in passes (as in _json).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        items: List[LazyObject[Any]] = [LazyObject(string_at(base + offset, length))
                                        for offset, length in zip(flat[0::2], flat[1::2])]
    finally:
        if was_enabled:
            gc.enable()
    result["items"] = items
    return result
