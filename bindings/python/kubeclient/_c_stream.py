"""ctypes mirror of include/kubeclient/stream_types.h and stream.h: pod logs, exec, attach,
port-forward. Declarations only (``_native.declare_streams`` declares the functions on first use).
"""
from __future__ import annotations

from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_int64, c_size_t, c_uint, c_uint16, c_void_p

from ._c_types import HANDLE, OUT_HANDLE, OUT_STRING, STR, kc_error


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


POD_LOG_OPTIONS_VERSION = 2
EXEC_OPTIONS_VERSION = 1
EXEC_HANDLERS_VERSION = 1

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
