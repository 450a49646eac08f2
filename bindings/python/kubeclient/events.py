"""Recording core/v1 Events (client-go's EventRecorder), over kc_event_recorder.

    recorder = EventRecorder(client, "network-controller")
    recorder.record(network, "Normal", "Synced", "ConfigMap net-a-config updated")

``record`` does not wait for the server: a library thread writes events in order. A repeat
of an earlier event (same object, type, reason, message) increments that Event's ``count``.
Each object has a token bucket (``burst`` 25, refilled one per 5 minutes by default); events
over it are dropped and ``record`` returns False. Thread-safe.
"""
from __future__ import annotations

import ctypes
from collections.abc import Mapping
from ctypes import POINTER, Structure, c_char_p, c_double, c_int, c_int64, c_uint, c_void_p
from typing import TYPE_CHECKING, Any, Optional, Tuple, Union

if TYPE_CHECKING:
    from .client import Client

from ._call import check
from ._native import declare, encode, lib, to_ms
from .errors import TooManyRequests
from ._handle import NativeHandle

HANDLE = c_void_p
OUT_HANDLE = POINTER(c_void_p)

EVENT_RECORDER_OPTIONS_VERSION = 1
_TYPES = {"Normal": 0, "Warning": 1}


class kc_object_reference(Structure):
    _fields_ = [("api_version", c_char_p), ("kind", c_char_p), ("namespace_name", c_char_p), ("name", c_char_p),
                ("uid", c_char_p)]


class kc_event_recorder_options(Structure):
    _fields_ = [("version", c_uint), ("host", c_char_p), ("qps", c_double), ("burst", c_int)]


PROTOTYPES = {
    "kc_event_recorder_options_init": (c_int, [POINTER(kc_event_recorder_options), c_uint]),
    "kc_event_recorder_new": (c_int, [HANDLE, c_char_p, POINTER(kc_event_recorder_options), OUT_HANDLE]),
    "kc_event_recorder_record": (c_int, [HANDLE, POINTER(kc_object_reference), c_int, c_char_p, c_char_p]),
    "kc_event_recorder_flush": (c_int, [HANDLE, c_int64]),
    "kc_event_recorder_free": (None, [HANDLE]),
}


declare(lib, PROTOTYPES, "event recorder")


class EventRecorder(NativeHandle):
    """Writes Events with source component ``component`` (see the module docstring)."""

    def __init__(self, client: "Client", component: str, *, host: Optional[str] = None, qps: float = 0.0,
                 burst: int = 0) -> None:
        self._client = client
        options = kc_event_recorder_options()
        check(lib.kc_event_recorder_options_init(ctypes.byref(options), EVENT_RECORDER_OPTIONS_VERSION))
        options.host = encode(host)
        options.qps = qps
        options.burst = burst
        handle = c_void_p()
        check(lib.kc_event_recorder_new(client.handle, encode(component), ctypes.byref(options), ctypes.byref(handle)))
        self._handle: Optional[int] = handle.value

    def record(self, obj: Union[Mapping[str, Any], Tuple[Optional[str], ...]], type: str, reason: str, message: str) -> bool:
        """Records an event about ``obj`` (an object dict with apiVersion, kind and metadata, or
        a tuple (api_version, kind, namespace, name[, uid])). ``type`` is "Normal" or "Warning".
        Returns False when the rate limit dropped it."""
        if type not in _TYPES:
            raise ValueError(f"type must be 'Normal' or 'Warning', not {type!r}")
        if isinstance(obj, Mapping):  # a dict, or an informer's LazyObject
            meta = obj.get("metadata", {})
            fields: Tuple[Any, ...] = (obj.get("apiVersion"), obj.get("kind"), meta.get("namespace"), meta.get("name"),
                                       meta.get("uid"))
        else:
            fields = tuple(obj) + (None,) * (5 - len(obj))
        ref = kc_object_reference(*(encode(f) for f in fields))
        status = lib.kc_event_recorder_record(self._live(), ctypes.byref(ref), _TYPES[type], encode(reason),
                                              encode(message))
        try:
            check(status)
        except TooManyRequests:
            return False
        return True

    def flush(self, timeout: float = 10.0) -> None:
        """Waits until every recorded event was written; raises kubeclient.Timeout otherwise."""
        check(lib.kc_event_recorder_flush(self._live(), to_ms(timeout)))

    _what = "event recorder"

    def _release(self, handle: int) -> None:
        # Writes what is queued first.
        lib.kc_event_recorder_free(handle)
