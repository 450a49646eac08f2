"""ctypes mirror of include/kubeclient/types.h: ``kc_status`` (``Status``), ``kc_error``, the
options structs of kubeclient.h's calls, the log/retry/watch callback types, their versions.

Declarations only: importing this module loads no library. ``kubeclient._native`` re-exports
every name (scripts/check-abi.py reads these tables from the source).
"""
from __future__ import annotations

from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint, c_void_p

from ._status import Status as Status  # kc_status, re-exported

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



CLIENT_OPTIONS_VERSION = 1
LIST_OPTIONS_VERSION = 2
DELETE_OPTIONS_VERSION = 2
APPLY_OPTIONS_VERSION = 2
WRITE_OPTIONS_VERSION = 1
WATCH_HANDLERS_VERSION = 1

HANDLE = c_void_p
OUT_HANDLE = POINTER(c_void_p)
OUT_STRING = POINTER(c_void_p)
STR = c_char_p

MAX_DURATION_MS = 10**12  # KC_MAX_DURATION_MS
