"""ctypes mirror of include/kubeclient.h's functions: one prototype table, in header order.

``_native`` declares every one of them when it loads the library, and fails loudly when the
library lacks any (tests/test_client.py checks the table against the header).
"""
from __future__ import annotations

from ctypes import POINTER, c_char_p, c_int, c_int64, c_size_t, c_uint, c_void_p

from ._c_types import (HANDLE, LOG_CB, OUT_HANDLE, OUT_STRING, RETRY_FN, STR, kc_apply_options,
                       kc_client_options, kc_delete_options, kc_error, kc_list_options, kc_watch_handlers,
                       kc_write_options)

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
