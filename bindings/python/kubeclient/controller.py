"""A controller runner over kc_controller: worker threads calling a reconcile function for
each key of a rate-limited work queue.

    def reconcile(key: str):
        ...                        # return None (success), REQUEUE, or RequeueAfter(seconds)
                                   # raise to retry with backoff

    with Controller(reconcile, name="networks", workers=2) as controller:
        informer_handlers_add_to(controller.queue)
        controller.run()           # until Ctrl-C / SIGTERM (or controller.stop() from another thread)

Per key: success forgets its backoff; REQUEUE and exceptions add it back rate-limited (an
exception drops it after ``max_retries`` failures when that is set); RequeueAfter(s) adds it
back after s seconds. An exception never stops a worker: it is logged ("kubeclient.controller")
and counted in ``errors``. One key is never reconciled by two workers at once.

Threads: ``reconcile`` runs on library worker threads (holding the GIL while it runs, as any
Python code). ``stop`` must not be called from ``reconcile``.
"""
from __future__ import annotations

import ctypes
import logging
import math
import threading
from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_int64, c_uint, c_void_p
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union

from ._call import check
from ._native import declare, encode, lib, to_ms
from .workqueue import WorkQueue, kc_workqueue_options, make_options
from ._handle import NativeHandle

HANDLE = c_void_p
OUT_HANDLE = POINTER(c_void_p)

CONTROLLER_OPTIONS_VERSION = 2
_SUCCESS, _REQUEUE, _REQUEUE_AFTER, _ERROR = 0, 1, 2, 3

log = logging.getLogger("kubeclient.controller")


class _Requeue:
    def __repr__(self) -> str:
        return "REQUEUE"


#: Return it from reconcile to process the key again after the rate limiter's backoff.
REQUEUE = _Requeue()


@dataclass(frozen=True)
class RequeueAfter:
    """Return it from reconcile to process the key again after ``seconds``."""
    seconds: float


ReconcileResult = Union[None, bool, _Requeue, RequeueAfter]

# kc_reconcile_result (*)(const char *key, int64_t *requeue_after_ms, void *user_data)
RECONCILE_CB = CFUNCTYPE(c_int, c_char_p, POINTER(c_int64), c_void_p)


class kc_controller_options(Structure):
    _fields_ = [("version", c_uint), ("name", c_char_p), ("workers", c_int), ("max_retries", c_int),
                ("queue", kc_workqueue_options)]


PROTOTYPES = {
    "kc_controller_options_init": (c_int, [POINTER(kc_controller_options), c_uint]),
    "kc_controller_new": (c_int, [POINTER(kc_controller_options), RECONCILE_CB, c_void_p, OUT_HANDLE]),
    "kc_controller_queue": (HANDLE, [HANDLE]),
    "kc_controller_start": (c_int, [HANDLE]),
    "kc_controller_stop": (c_int, [HANDLE]),
    "kc_controller_free": (None, [HANDLE]),
}


declare(lib, PROTOTYPES, "controller")


class Controller(NativeHandle):
    """Worker threads reconciling the keys of ``self.queue`` (see the module docstring).

    Queue options (``rate_limiter``, ``base_delay``, ``max_delay``, ``qps``, ``burst``, …) are
    those of ``WorkQueue``.
    """

    def __init__(self, reconcile: Callable[[str], ReconcileResult], *, name: str = "controller", workers: int = 2,
                 max_retries: int = 0, **queue_options: object) -> None:
        self._reconcile = reconcile
        self.name = name
        self.errors = 0
        self._errors_lock = threading.Lock()
        self._stopped = threading.Event()
        options = kc_controller_options()
        check(lib.kc_controller_options_init(ctypes.byref(options), CONTROLLER_OPTIONS_VERSION))
        self._name_bytes = encode(name)
        options.name = self._name_bytes
        options.workers = workers
        options.max_retries = max_retries
        options.queue = make_options(name=name, **queue_options)  # type: ignore[arg-type]
        # Kept alive for as long as the library may call it (until close).
        self._callback = RECONCILE_CB(self._trampoline)
        handle = c_void_p()
        check(lib.kc_controller_new(ctypes.byref(options), self._callback, None, ctypes.byref(handle)))
        self._handle: Optional[int] = handle.value
        self.queue = WorkQueue(_borrowed=lib.kc_controller_queue(self._handle), _owner=self)

    def _trampoline(self, raw_key: bytes, after: Any, _user_data: Any) -> int:
        # Decoded before anything else so every log line shows the key as text
        # ("default/world"), never as the bytes ctypes hands over (b'default/world').
        key = (raw_key or b"").decode("utf-8", "replace")
        try:
            result = self._reconcile(key)
        except BaseException as error:  # never let an exception cross into C
            with self._errors_lock:
                self.errors += 1
            log.warning("reconcile of %s failed: %s", key, error, exc_info=not isinstance(error, Exception))
            return _ERROR
        if result is None or result is True:
            return _SUCCESS
        if result is REQUEUE:
            return _REQUEUE
        if isinstance(result, RequeueAfter):
            seconds = float(result.seconds)
            after[0] = 0 if math.isnan(seconds) else to_ms(seconds)
            return _REQUEUE_AFTER
        if result is False:
            return _ERROR
        log.warning("reconcile of %s returned %r; treated as success", key, result)
        return _SUCCESS

    def start(self) -> None:
        """Starts the worker threads (idempotent)."""
        check(lib.kc_controller_start(self._live()))

    def stop(self) -> None:
        """Graceful stop: no new keys, queued and in-flight keys finish, workers are joined."""
        self._stopped.set()
        if self._handle:
            check(lib.kc_controller_stop(self._handle))

    def run(self) -> None:
        """Starts and blocks until Ctrl-C (KeyboardInterrupt), SIGTERM turned into one by the
        caller, or ``stop()`` from another thread; then stops gracefully."""
        self.start()
        try:
            while not self._stopped.wait(0.25):
                pass
        except KeyboardInterrupt:
            log.info("controller %s: interrupted, stopping", self.name)
        finally:
            self.stop()

    _what = "controller"

    def _release(self, handle: int) -> None:
        self._stopped.set()
        lib.kc_controller_free(handle)
        self.queue._handle = None
