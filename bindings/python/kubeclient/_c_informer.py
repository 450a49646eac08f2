"""ctypes mirror of include/kubeclient/informer_types.h and informer.h: options, handler and
event structs, callback types, and the prototype table (declared by kubeclient.informer, which
re-exports every name). Declarations only: importing this module loads no library.
"""
from __future__ import annotations

from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_int64, c_size_t, c_uint, c_void_p

from ._c_types import HANDLE, OUT_HANDLE, OUT_STRING, STR, kc_error

FACTORY_OPTIONS_VERSION = 2
INFORMER_OPTIONS_VERSION = 1
HANDLERS_VERSION = 1


class kc_informer_factory_options(Structure):
    _fields_ = [("version", c_uint), ("drop_managed_fields", c_int), ("page_size", c_int64),
                ("idle_timeout_ms", c_int64), ("streaming_list", c_int), ("backoff_initial_ms", c_int64),
                ("backoff_max_ms", c_int64)]


class kc_informer_options(Structure):
    _fields_ = [("version", c_uint), ("label_selector", c_char_p), ("field_selector", c_char_p),
                ("metadata_only", c_int)]


# void (*)(const char *object, size_t len, int is_initial_list, void *user_data)
ADD_CB = CFUNCTYPE(None, c_void_p, c_size_t, c_int, c_void_p)
# void (*)(const char *old, size_t old_len, const char *new, size_t new_len, void *user_data)
UPDATE_CB = CFUNCTYPE(None, c_void_p, c_size_t, c_void_p, c_size_t, c_void_p)
# void (*)(const char *object, size_t len, int final_state_unknown, void *user_data)
DELETE_CB = CFUNCTYPE(None, c_void_p, c_size_t, c_int, c_void_p)
# void (*)(void *emit_context, const char *value)
INDEX_EMIT = CFUNCTYPE(None, c_void_p, c_char_p)
# void (*)(const char *object, size_t len, kc_index_emit_fn emit, void *emit_context, void *user_data)
INDEX_FN = CFUNCTYPE(None, c_void_p, c_size_t, INDEX_EMIT, c_void_p, c_void_p)
# void (*)(const kc_error *error, void *user_data)
WATCH_ERROR_CB = CFUNCTYPE(None, POINTER(kc_error), c_void_p)


class kc_informer_handlers(Structure):
    _fields_ = [("version", c_uint), ("on_add", ADD_CB), ("on_update", UPDATE_CB), ("on_delete", DELETE_CB),
                ("resync_period_ms", c_int64)]


class kc_informer_event(Structure):
    _fields_ = [("type", c_int), ("object", c_void_p), ("object_len", c_size_t), ("old_object", c_void_p),
                ("old_object_len", c_size_t), ("is_initial_list", c_int), ("final_state_unknown", c_int)]


PROTOTYPES = {
    "kc_informer_factory_options_init": (c_int, [POINTER(kc_informer_factory_options), c_uint]),
    "kc_informer_options_init": (c_int, [POINTER(kc_informer_options), c_uint]),
    "kc_informer_factory_new": (c_int, [HANDLE, POINTER(kc_informer_factory_options), OUT_HANDLE]),
    "kc_informer_factory_informer": (c_int, [HANDLE, STR, STR, STR, POINTER(kc_informer_options), OUT_HANDLE]),
    "kc_informer_factory_start": (c_int, [HANDLE]),
    "kc_informer_factory_wait_for_sync": (c_int, [HANDLE, c_int64]),
    "kc_informer_factory_shutdown": (c_int, [HANDLE]),
    "kc_informer_factory_free": (None, [HANDLE]),
    "kc_informer_start": (c_int, [HANDLE]),
    "kc_informer_stop": (c_int, [HANDLE]),
    "kc_informer_wait_for_sync": (c_int, [HANDLE, c_int64]),
    "kc_informer_has_synced": (c_int, [HANDLE]),
    "kc_informer_add_index": (c_int, [HANDLE, STR, INDEX_FN, c_void_p]),
    "kc_informer_set_watch_error_handler": (c_int, [HANDLE, WATCH_ERROR_CB, c_void_p]),
    "kc_informer_add_handlers": (c_int, [HANDLE, POINTER(kc_informer_handlers), c_void_p, OUT_HANDLE]),
    "kc_informer_add_pull": (c_int, [HANDLE, c_int64, OUT_HANDLE]),
    "kc_informer_registration_has_synced": (c_int, [HANDLE]),
    "kc_informer_registration_fd": (c_int, [HANDLE, POINTER(c_int)]),
    "kc_informer_registration_next": (c_int, [HANDLE, POINTER(kc_informer_event)]),
    "kc_informer_registration_remove": (c_int, [HANDLE]),
    "kc_informer_registration_free": (None, [HANDLE]),
    "kc_informer_get": (c_int, [HANDLE, STR, STR, OUT_STRING]),
    "kc_informer_list": (c_int, [HANDLE, STR, STR, OUT_STRING]),
    "kc_informer_by_index": (c_int, [HANDLE, STR, STR, OUT_STRING]),
    "kc_informer_index_keys": (c_int, [HANDLE, STR, STR, OUT_STRING]),
}
