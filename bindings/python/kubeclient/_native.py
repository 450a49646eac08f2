"""The C API of libkubeclient: library lookup and loading, and the helpers every call uses
(``encode``, ``take_string``, ``to_ms``).

The ctypes declarations mirror the C headers, one module per header: ``_c_types``
(kubeclient/types.h, with ``Status``), ``_c_kubeclient`` (kubeclient.h's ``PROTOTYPES``),
``_c_stream`` (stream_types.h and stream.h), ``_c_informer`` (informer_types.h and informer.h,
re-exported by informer.py); controller.h's tables are still beside their classes
(controller.py, leaderelection.py, workqueue.py, events.py). Every name of the first three is
re-exported here, so ``from kubeclient._native import X`` keeps
working. Every function of include/kubeclient.h appears in ``PROTOTYPES``; loading fails loudly
if the library lacks any of them. Owned strings come back as ``c_void_p`` so they can be copied
and released with ``kc_free`` (``c_char_p`` would lose the pointer and leak).
"""
from __future__ import annotations

import ctypes
import math
import os
from ctypes import c_void_p
from pathlib import Path
from typing import Any, Dict, Optional, Set, cast

from ._status import Status as Status
from ._c_types import (APPLY_OPTIONS_VERSION as APPLY_OPTIONS_VERSION, CLIENT_OPTIONS_VERSION as CLIENT_OPTIONS_VERSION,
                       DELETE_OPTIONS_VERSION as DELETE_OPTIONS_VERSION, HANDLE as HANDLE,
                       LIST_OPTIONS_VERSION as LIST_OPTIONS_VERSION, LOG_CB as LOG_CB,
                       MAX_DURATION_MS as MAX_DURATION_MS, OUT_HANDLE as OUT_HANDLE, OUT_STRING as OUT_STRING,
                       RETRY_FN as RETRY_FN, STR as STR, WATCH_DONE_CB as WATCH_DONE_CB,
                       WATCH_EVENT_CB as WATCH_EVENT_CB, WATCH_HANDLERS_VERSION as WATCH_HANDLERS_VERSION,
                       WRITE_OPTIONS_VERSION as WRITE_OPTIONS_VERSION, kc_apply_options as kc_apply_options,
                       kc_client_options as kc_client_options, kc_delete_options as kc_delete_options,
                       kc_error as kc_error, kc_list_options as kc_list_options,
                       kc_watch_handlers as kc_watch_handlers, kc_write_options as kc_write_options)
from ._c_kubeclient import PROTOTYPES as PROTOTYPES
from ._c_stream import (ARGV as ARGV, EXEC_DONE_CB as EXEC_DONE_CB, EXEC_HANDLERS_VERSION as EXEC_HANDLERS_VERSION,
                        EXEC_OPTIONS_VERSION as EXEC_OPTIONS_VERSION, POD_LOG_OPTIONS_VERSION as POD_LOG_OPTIONS_VERSION,
                        STREAM_DATA_CB as STREAM_DATA_CB, STREAM_DONE_CB as STREAM_DONE_CB,
                        STREAM_PROTOTYPES as STREAM_PROTOTYPES, kc_exec_handlers as kc_exec_handlers,
                        kc_exec_options as kc_exec_options, kc_pod_log_options as kc_pod_log_options)

LIBRARY_NAME = "libkubeclient.so"


def _repo_root() -> Path:
    # bindings/python/kubeclient/_native.py -> the repository root.
    return Path(__file__).resolve().parents[3]


def bundled_path() -> Path:
    """Where a wheel puts the library: next to this file, inside the package."""
    return Path(__file__).resolve().parent / LIBRARY_NAME


def candidate_paths() -> list[Path]:
    """Where the library is looked for, in order: the copy bundled in the package (a wheel:
    built together with this Python code, so it always wins), then ``KUBECLIENT_LIBRARY``
    (a file, or a folder holding libkubeclient.so), then a development checkout's build
    folders. When ``KUBECLIENT_LIBRARY`` is set the checkout is not searched."""
    paths: list[Path] = [bundled_path()]
    override = os.environ.get("KUBECLIENT_LIBRARY")
    if override:
        path = Path(override)
        paths.append(path / LIBRARY_NAME if path.is_dir() else path)
        return paths
    root = _repo_root()
    for folder in (".build-release/release", ".build/release", ".build/debug"):
        paths.append(root / folder / LIBRARY_NAME)
    return paths


def declare(library: ctypes.CDLL, prototypes: Dict[str, Any], what: str) -> None:
    """Sets restype/argtypes for every function in ``prototypes``; fails loudly when the
    library lacks any of them (a stale build), naming them all."""
    missing = []
    for name, (restype, argtypes) in prototypes.items():
        try:
            function = getattr(library, name)
        except AttributeError:
            missing.append(name)
            continue
        function.restype = restype
        function.argtypes = argtypes
    if missing:
        raise ImportError(f"{library.path} lacks {what} functions: {', '.join(missing)} (stale build?)")


def _load() -> ctypes.CDLL:
    tried = candidate_paths()
    found: Optional[Path] = next((p for p in tried if p.is_file()), None)
    if found is None:
        raise ImportError(
            "libkubeclient.so not found; build it (scripts/build-lib.sh) or set KUBECLIENT_LIBRARY. Tried: "
            + ", ".join(str(p) for p in tried))
    # CDLL, not PyDLL: calls release the GIL, so library threads can call back into Python.
    library = ctypes.CDLL(str(found))
    library.path = str(found)  # type: ignore[attr-defined]
    declare(library, PROTOTYPES, "C API")
    return library


lib = _load()

_declared_streams: Set[str] = set()


def declare_streams(*groups: str) -> None:
    """Declares the functions of ``STREAM_PROTOTYPES[group]`` for each group ("logs", "stream",
    "exec", "port-forward") once; ``ImportError`` naming the missing ones on a library built
    without them."""
    for group in groups:
        if group not in _declared_streams:
            # (a literal table, as scripts/check-abi.py parses it; mypy infers its values as object)
            declare(lib, cast(Dict[str, Any], STREAM_PROTOTYPES[group]), f"{group} stream")
            _declared_streams.add(group)




def to_ms(seconds: float) -> int:
    """Seconds, the Python API's unit, as the C API's int64_t milliseconds: rounded up, so a short
    positive wait never becomes 0 ("do not wait"); clamped like the library clamps; NaN refused."""
    value = float(seconds)
    if math.isnan(value):
        raise _invalid("a duration is NaN")
    return int(max(-MAX_DURATION_MS, min(MAX_DURATION_MS, math.ceil(value * 1000)))) if math.isfinite(value) \
        else (MAX_DURATION_MS if value > 0 else -MAX_DURATION_MS)


def encode(value: Optional[str]) -> Optional[bytes]:
    """A Python string as the UTF-8 bytes a ``const char *`` parameter takes (None stays NULL).

    The one place Python strings become C strings. A C string ends at its first NUL, so a
    string containing one would reach the library cut short (``delete("prod-db\\x00-x")``
    deleted ``prod-db``): it is refused here with ``InvalidArgument`` (a ``ValueError``), as
    is a string that is not encodable as UTF-8 (a lone surrogate)."""
    if value is None:
        return None
    if "\x00" in value:
        raise _invalid(f"a string argument contains a NUL character: {value[:60]!r}")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise _invalid(f"a string argument is not valid UTF-8 ({error.reason}): {value[:60]!r}") from None


def encode_bytes(data: bytes) -> bytes:
    """Bytes for a ``const char *`` parameter (a JSON/YAML body): refused when they contain
    a NUL, which would end the C string early; JSON and YAML text never contains one."""
    if b"\x00" in data:
        raise _invalid("a body contains a NUL byte (JSON and YAML text cannot)")
    return data


def _invalid(message: str) -> Exception:
    from .errors import InvalidArgument
    return InvalidArgument(message, status=Status.INVALID_ARGUMENT)


def take_string(pointer: c_void_p) -> str:
    """Copies and frees a string the library returned through an out-parameter."""
    if not pointer.value:
        return ""
    try:
        return ctypes.string_at(pointer.value).decode("utf-8")
    except UnicodeDecodeError as error:
        from .errors import DecodeError
        raise DecodeError(f"the library's answer is not valid UTF-8: {error}", status=Status.DECODE) from None
    finally:
        lib.kc_free(pointer.value)
