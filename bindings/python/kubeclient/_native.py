"""The C API of libkubeclient, declared once: library lookup, structs, and one prototype table.

Every function of include/kubeclient.h appears in ``PROTOTYPES``; loading fails loudly if the
library lacks any of them. Owned strings come back as ``c_void_p`` so they can be copied and
released with ``kc_free`` (``c_char_p`` would lose the pointer and leak).
"""
from __future__ import annotations

import ctypes
import math
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_double, c_int, c_int64, c_size_t,
                    c_uint, c_uint16, c_void_p)
from pathlib import Path
from typing import Any, Dict, Optional, Set, cast

LIBRARY_NAME = "libkubeclient.so"


class kc_error(Structure):
    _fields_ = [("status", c_int), ("http_code", c_int), ("reason", c_char_p), ("message", c_char_p),
                ("status_json", c_char_p)]


class kc_client_options(Structure):
    _fields_ = [("version", c_uint), ("qps", c_double), ("burst", c_int), ("timeout_ms", c_int64),
                ("user_agent", c_char_p)]


class kc_list_options(Structure):
    _fields_ = [("version", c_uint), ("label_selector", c_char_p), ("field_selector", c_char_p),
                ("limit", c_int64), ("continue_token", c_char_p), ("resource_version", c_char_p),
                ("resource_version_match", c_char_p), ("timeout_ms", c_int64),
                ("allow_watch_bookmarks", c_int)]


class kc_delete_options(Structure):
    _fields_ = [("version", c_uint), ("has_grace_period", c_int), ("grace_period_ms", c_int64),
                ("propagation_policy", c_char_p),
                ("precondition_uid", c_char_p), ("precondition_resource_version", c_char_p),
                ("dry_run", c_int)]


class kc_apply_options(Structure):
    _fields_ = [("version", c_uint), ("field_manager", c_char_p), ("force", c_int), ("dry_run", c_int),
                ("field_validation", c_char_p)]


class kc_write_options(Structure):
    _fields_ = [("version", c_uint), ("field_manager", c_char_p), ("dry_run", c_int),
                ("field_validation", c_char_p)]


# void (*)(kc_log_level, const char *component, const char *message, void *user_data)
LOG_CB = CFUNCTYPE(None, c_int, c_char_p, c_char_p, c_void_p)
# kc_status (*)(void *user_data) — kc_retry_on_conflict's attempt (Python uses kubeclient.retry instead)
RETRY_FN = CFUNCTYPE(c_int, c_void_p)
# void (*)(kc_event_type, const char *object, size_t len, void *user_data)
WATCH_EVENT_CB = CFUNCTYPE(None, c_int, c_void_p, c_size_t, c_void_p)
# void (*)(kc_status, const kc_error *, void *user_data)
WATCH_DONE_CB = CFUNCTYPE(None, c_int, POINTER(kc_error), c_void_p)


class kc_watch_handlers(Structure):
    _fields_ = [("version", c_uint), ("on_event", WATCH_EVENT_CB), ("on_done", WATCH_DONE_CB)]


class kc_pod_log_options(Structure):
    _fields_ = [("version", c_uint), ("container", c_char_p), ("follow", c_int), ("previous", c_int),
                ("since_ms", c_int64), ("since_time", c_char_p), ("timestamps", c_int),
                ("has_tail_lines", c_int), ("tail_lines", c_int64), ("limit_bytes", c_int64),
                ("insecure_skip_tls_verify_backend", c_int), ("cancel", c_void_p)]


class kc_exec_options(Structure):
    _fields_ = [("version", c_uint), ("container", c_char_p), ("stdin_enabled", c_int), ("tty", c_int),
                ("cancel", c_void_p)]


# void (*)(const char *data, size_t len, void *user_data) — data borrowed for the call
STREAM_DATA_CB = CFUNCTYPE(None, c_void_p, c_size_t, c_void_p)
# void (*)(kc_status, const kc_error *, void *user_data)
STREAM_DONE_CB = CFUNCTYPE(None, c_int, POINTER(kc_error), c_void_p)
# void (*)(kc_status, int exit_code, const kc_error *, void *user_data)
EXEC_DONE_CB = CFUNCTYPE(None, c_int, c_int, POINTER(kc_error), c_void_p)


class kc_exec_handlers(Structure):
    _fields_ = [("version", c_uint), ("on_stdout", STREAM_DATA_CB), ("on_stderr", STREAM_DATA_CB),
                ("on_done", EXEC_DONE_CB)]


CLIENT_OPTIONS_VERSION = 1
LIST_OPTIONS_VERSION = 2
DELETE_OPTIONS_VERSION = 2
APPLY_OPTIONS_VERSION = 2
WRITE_OPTIONS_VERSION = 1
WATCH_HANDLERS_VERSION = 1
POD_LOG_OPTIONS_VERSION = 2
EXEC_OPTIONS_VERSION = 1
EXEC_HANDLERS_VERSION = 1

HANDLE = c_void_p
OUT_HANDLE = POINTER(c_void_p)
OUT_STRING = POINTER(c_void_p)
STR = c_char_p

# name: (restype, [argtypes]) — the whole C API, in header order.
PROTOTYPES = {
    "kc_version": (c_char_p, []),
    "kc_status_str": (c_char_p, [c_int]),
    "kc_error_last": (POINTER(kc_error), []),
    "kc_error_clear": (None, []),
    "kc_free": (None, [c_void_p]),
    "kc_log_set_handler": (c_int, [LOG_CB, c_int, c_void_p]),
    "kc_config_load": (c_int, [STR, STR, STR, STR, OUT_HANDLE]),
    "kc_config_in_cluster": (c_int, [OUT_HANDLE]),
    "kc_config_host": (c_char_p, [HANDLE]),
    "kc_config_namespace": (c_char_p, [HANDLE]),
    "kc_config_free": (None, [HANDLE]),
    "kc_client_options_init": (c_int, [POINTER(kc_client_options), c_uint]),
    "kc_client_new": (c_int, [HANDLE, POINTER(kc_client_options), OUT_HANDLE]),
    "kc_client_free": (None, [HANDLE]),
    "kc_list_options_init": (c_int, [POINTER(kc_list_options), c_uint]),
    "kc_delete_options_init": (c_int, [POINTER(kc_delete_options), c_uint]),
    "kc_apply_options_init": (c_int, [POINTER(kc_apply_options), c_uint]),
    "kc_write_options_init": (c_int, [POINTER(kc_write_options), c_uint]),
    "kc_get": (c_int, [HANDLE, STR, STR, STR, STR, OUT_STRING]),
    "kc_list": (c_int, [HANDLE, STR, STR, STR, POINTER(kc_list_options), OUT_STRING]),
    "kc_list_all": (c_int, [HANDLE, STR, STR, STR, POINTER(kc_list_options), OUT_STRING]),
    "kc_create": (c_int, [HANDLE, STR, STR, STR, STR, OUT_STRING]),
    "kc_create_ext": (c_int, [HANDLE, STR, STR, STR, STR, POINTER(kc_write_options), OUT_STRING]),
    "kc_update": (c_int, [HANDLE, STR, STR, STR, STR, OUT_STRING]),
    "kc_update_ext": (c_int, [HANDLE, STR, STR, STR, STR, POINTER(kc_write_options), OUT_STRING]),
    "kc_update_status": (c_int, [HANDLE, STR, STR, STR, STR, OUT_STRING]),
    "kc_patch": (c_int, [HANDLE, STR, STR, STR, STR, c_int, STR, OUT_STRING]),
    "kc_patch_ext": (c_int, [HANDLE, STR, STR, STR, STR, c_int, STR, POINTER(kc_write_options), OUT_STRING]),
    "kc_apply": (c_int, [HANDLE, STR, STR, STR, STR, POINTER(kc_apply_options), OUT_STRING]),
    "kc_delete": (c_int, [HANDLE, STR, STR, STR, STR, POINTER(kc_delete_options), OUT_STRING]),
    "kc_delete_collection": (c_int, [HANDLE, STR, STR, STR, POINTER(kc_list_options),
                                     POINTER(kc_delete_options), OUT_STRING]),
    "kc_retry_on_conflict": (c_int, [RETRY_FN, c_void_p]),
    "kc_watch_start": (c_int, [HANDLE, STR, STR, STR, POINTER(kc_list_options), POINTER(kc_watch_handlers),
                               c_void_p, OUT_HANDLE]),
    "kc_watch_start_resumable": (c_int, [HANDLE, STR, STR, STR, POINTER(kc_list_options),
                                         POINTER(kc_watch_handlers), c_void_p, OUT_HANDLE]),
    "kc_watch_stop": (c_int, [HANDLE]),
    "kc_watch_wait": (c_int, [HANDLE, c_int64]),
    "kc_watch_free": (None, [HANDLE]),
    "kc_server_version": (c_int, [HANDLE, OUT_STRING]),
    "kc_server_groups": (c_int, [HANDLE, OUT_STRING]),
    "kc_server_resources": (c_int, [HANDLE, STR, OUT_STRING]),
    "kc_server_preferred_resources": (c_int, [HANDLE, OUT_STRING]),
    "kc_discovery_invalidate": (c_int, [HANDLE]),
    "kc_apply_manifest": (c_int, [HANDLE, STR, STR, POINTER(kc_apply_options), OUT_STRING]),
    "kc_request": (c_int, [HANDLE, STR, STR, c_char_p, c_size_t, STR, POINTER(c_int), OUT_STRING,
                           POINTER(c_size_t)]),
    "kc_request_ext": (c_int, [HANDLE, STR, STR, c_char_p, c_size_t, STR, HANDLE, POINTER(c_int), OUT_STRING,
                               POINTER(c_size_t)]),
    "kc_cancel_new": (c_int, [OUT_HANDLE]),
    "kc_cancel_cancel": (c_int, [HANDLE]),
    "kc_cancel_is_cancelled": (c_int, [HANDLE]),
    "kc_cancel_free": (None, [HANDLE]),
    "kc_cancel_bind": (c_int, [HANDLE]),
}


ARGV = POINTER(c_char_p)

# include/kubeclient/stream.h (pod logs, exec, attach, port-forward), in header order. Declared
# on first use, per group (``declare_streams``), so that a library built before these functions
# existed still serves everything else; a stream call on such a library fails naming them.
STREAM_PROTOTYPES = {
    "logs": {
        "kc_pod_log_options_init": (c_int, [POINTER(kc_pod_log_options), c_uint]),
        "kc_pod_logs": (c_int, [HANDLE, STR, STR, POINTER(kc_pod_log_options), OUT_STRING, POINTER(c_size_t)]),
        "kc_pod_logs_start": (c_int, [HANDLE, STR, STR, POINTER(kc_pod_log_options), STREAM_DATA_CB, STREAM_DONE_CB,
                                      c_void_p, OUT_HANDLE]),
        "kc_pod_logs_open": (c_int, [HANDLE, STR, STR, POINTER(kc_pod_log_options), OUT_HANDLE]),
    },
    "stream": {
        "kc_stream_read": (c_int, [HANDLE, c_void_p, c_size_t, c_int64, POINTER(c_size_t)]),
        "kc_stream_fd": (c_int, [HANDLE, POINTER(c_int)]),
        "kc_stream_write": (c_int, [HANDLE, c_char_p, c_size_t]),
        "kc_stream_close_write": (c_int, [HANDLE]),
        "kc_stream_stop": (c_int, [HANDLE]),
        "kc_stream_wait": (c_int, [HANDLE, c_int64]),
        "kc_stream_free": (None, [HANDLE]),
    },
    "exec": {
        "kc_exec_options_init": (c_int, [POINTER(kc_exec_options), c_uint]),
        "kc_exec_start": (c_int, [HANDLE, STR, STR, ARGV, c_size_t, POINTER(kc_exec_options),
                                  POINTER(kc_exec_handlers), c_void_p, OUT_HANDLE]),
        "kc_attach_start": (c_int, [HANDLE, STR, STR, POINTER(kc_exec_options), POINTER(kc_exec_handlers), c_void_p,
                                    OUT_HANDLE]),
        "kc_exec_run": (c_int, [HANDLE, STR, STR, ARGV, c_size_t, POINTER(kc_exec_options), c_char_p, c_size_t,
                                POINTER(c_int), OUT_STRING, POINTER(c_size_t), OUT_STRING, POINTER(c_size_t)]),
        "kc_exec_write_stdin": (c_int, [HANDLE, c_char_p, c_size_t]),
        "kc_exec_close_stdin": (c_int, [HANDLE]),
        "kc_exec_resize": (c_int, [HANDLE, c_uint16, c_uint16]),
        "kc_exec_wait": (c_int, [HANDLE, c_int64, POINTER(c_int)]),
        "kc_exec_stop": (c_int, [HANDLE]),
        "kc_exec_free": (None, [HANDLE]),
    },
    "port-forward": {
        "kc_port_forward_open": (c_int, [HANDLE, STR, STR, c_uint16, HANDLE, OUT_HANDLE]),
        "kc_port_forwarder_start": (c_int, [HANDLE, STR, STR, STR, c_uint16, c_uint16, OUT_HANDLE]),
        "kc_port_forwarder_local_port": (c_int, [HANDLE, POINTER(c_uint16)]),
        "kc_port_forwarder_stop": (c_int, [HANDLE]),
        "kc_port_forwarder_free": (None, [HANDLE]),
    },
}

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


KC_ERR_INVALID_ARGUMENT = 14


MAX_DURATION_MS = 10**12  # KC_MAX_DURATION_MS


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
    return InvalidArgument(message, status=KC_ERR_INVALID_ARGUMENT)


def take_string(pointer: c_void_p) -> str:
    """Copies and frees a string the library returned through an out-parameter."""
    if not pointer.value:
        return ""
    try:
        return ctypes.string_at(pointer.value).decode("utf-8")
    except UnicodeDecodeError as error:
        from .errors import DecodeError
        raise DecodeError(f"the library's answer is not valid UTF-8: {error}", status=15) from None
    finally:
        lib.kc_free(pointer.value)
