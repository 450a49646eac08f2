"""A rate-limited work queue of string keys (client-go's workqueue), over kc_workqueue.

    queue = WorkQueue(name="networks")
    queue.add("default/net-a")
    for key in queue:                 # blocks; ends when the queue is shut down and empty
        try:
            reconcile(key)
            queue.forget(key)         # success: reset the key's backoff
        except Exception:
            queue.add_rate_limited(key)   # failure: retry after the backoff
        finally:
            queue.done(key)           # always

Guarantees (client-go's): keys come out in the order they were added; a key added several
times while waiting comes out once; a key is never handed to two workers at once, and a key
added while a worker holds it comes out again after ``done``. ``shut_down()`` wakes every
blocked ``get``; ``shut_down_with_drain()`` also waits for the keys in flight.

Threads: every method may be called from any Python thread at once; ``get`` releases the GIL
while it waits. The calls that never wait (``add``, ``forget``, ``done``, ``len``, a ``get``
that finds a key at once, …) keep the GIL: they only take the queue's lock for a moment, and
releasing and re-taking the GIL four times per key cost more than the queue itself (see
benchmarks/NOTES.md, item 5). Delayed keys wait in one heap served by one library thread.
"""
from __future__ import annotations

import ctypes
import queue as _queue
from ctypes import POINTER, Structure, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint, c_uint64, c_void_p
from typing import Any, Dict, Iterator, Optional

from ._call import check
from ._native import declare, encode, lib, to_ms
from ._handle import NativeHandle

HANDLE = c_void_p
OUT_HANDLE = POINTER(c_void_p)
OUT_STRING = POINTER(c_void_p)
STR = c_char_p

WORKQUEUE_OPTIONS_VERSION = 2
WORKQUEUE_METRICS_VERSION = 2
HISTOGRAM_BUCKETS = 13

RATE_LIMITERS = {"default": 0, "exponential": 1, "fast_slow": 2, "bucket": 3}


class kc_workqueue_options(Structure):
    _fields_ = [("version", c_uint), ("name", c_char_p), ("rate_limiter", c_int),
                ("base_delay_ms", c_int64), ("max_delay_ms", c_int64), ("qps", c_double),
                ("burst", c_int), ("fast_delay_ms", c_int64), ("slow_delay_ms", c_int64),
                ("max_fast_attempts", c_int)]


class kc_duration_histogram(Structure):
    _fields_ = [("count", c_uint64), ("sum_ms", c_double), ("max_ms", c_double),
                ("buckets", c_uint64 * HISTOGRAM_BUCKETS)]


class kc_workqueue_metrics(Structure):
    _fields_ = [("version", c_uint), ("depth", c_int64), ("processing", c_int64), ("waiting_for_delay", c_int64),
                ("adds", c_uint64), ("retries", c_uint64), ("queue_latency", kc_duration_histogram),
                ("work_duration", kc_duration_histogram), ("unfinished_work_ms", c_double),
                ("longest_running_processor_ms", c_double)]


PROTOTYPES = {
    "kc_workqueue_options_init": (c_int, [POINTER(kc_workqueue_options), c_uint]),
    "kc_workqueue_new": (c_int, [POINTER(kc_workqueue_options), OUT_HANDLE]),
    "kc_workqueue_free": (None, [HANDLE]),
    "kc_workqueue_add": (c_int, [HANDLE, STR]),
    "kc_workqueue_add_after": (c_int, [HANDLE, STR, c_int64]),
    "kc_workqueue_add_rate_limited": (c_int, [HANDLE, STR]),
    "kc_workqueue_forget": (c_int, [HANDLE, STR]),
    "kc_workqueue_num_requeues": (c_int, [HANDLE, STR]),
    "kc_workqueue_get": (c_int, [HANDLE, c_int64, OUT_STRING, POINTER(c_int)]),
    "kc_workqueue_done": (c_int, [HANDLE, STR]),
    "kc_workqueue_len": (c_size_t, [HANDLE]),
    "kc_workqueue_is_shutting_down": (c_int, [HANDLE]),
    "kc_workqueue_shutdown": (c_int, [HANDLE]),
    "kc_workqueue_shutdown_drain": (c_int, [HANDLE]),
    "kc_workqueue_get_metrics": (c_int, [HANDLE, POINTER(kc_workqueue_metrics)]),
}


declare(lib, PROTOTYPES, "workqueue")

# The same library through a PyDLL handle: its calls keep the GIL (no release and re-take per
# call). Only for the functions include/kubeclient.h lists under "Never blocks, never calls
# back" (kc_workqueue_get only with timeout 0): they take the queue's (or the handle table's)
# lock briefly, and no library thread holds those locks while it waits for the GIL.
_NON_BLOCKING = ("kc_workqueue_add", "kc_workqueue_add_after", "kc_workqueue_add_rate_limited",
                 "kc_workqueue_forget", "kc_workqueue_num_requeues", "kc_workqueue_get", "kc_workqueue_done",
                 "kc_workqueue_len", "kc_workqueue_is_shutting_down")
_keep_gil = ctypes.PyDLL(str(getattr(lib, "path")))
declare(_keep_gil, {name: PROTOTYPES[name] for name in _NON_BLOCKING}, "workqueue")
declare(_keep_gil, {"kc_free": (None, [c_void_p])}, "workqueue")

# A blocking get without a timeout waits in slices so that Ctrl-C reaches the main thread.
_GET_SLICE_SECONDS = 0.25


def make_options(name: str = "", rate_limiter: str = "default", base_delay: float = 0.0, max_delay: float = 0.0,
                 qps: float = 0.0, burst: int = 0, fast_delay: float = 0.0, slow_delay: float = 0.0,
                 max_fast_attempts: int = 0) -> kc_workqueue_options:
    """The C options struct; zeros mean client-go's defaults."""
    if rate_limiter not in RATE_LIMITERS:
        raise ValueError(f"rate_limiter must be one of {sorted(RATE_LIMITERS)}, not {rate_limiter!r}")
    options = kc_workqueue_options()
    check(lib.kc_workqueue_options_init(ctypes.byref(options), WORKQUEUE_OPTIONS_VERSION))
    options.name = encode(name)
    options.rate_limiter = RATE_LIMITERS[rate_limiter]
    options.base_delay_ms = to_ms(base_delay)
    options.max_delay_ms = to_ms(max_delay)
    options.qps = qps
    options.burst = burst
    options.fast_delay_ms = to_ms(fast_delay)
    options.slow_delay_ms = to_ms(slow_delay)
    options.max_fast_attempts = max_fast_attempts
    return options


def _histogram(h: kc_duration_histogram) -> Dict[str, Any]:
    return {"count": h.count, "sum_seconds": h.sum_ms / 1000, "max_seconds": h.max_ms / 1000,
            "buckets": list(h.buckets)}


class WorkQueue(NativeHandle):
    """A rate-limited, delaying work queue of string keys (see the module docstring).

    ``rate_limiter`` is "default" (client-go's: max of per-key exponential backoff from
    ``base_delay`` (5 ms) doubling up to ``max_delay`` (1000 s) and a ``qps`` (10) / ``burst``
    (100) token bucket), "exponential", "fast_slow" (``fast_delay``, ``slow_delay``,
    ``max_fast_attempts``) or "bucket". Zero means the default.
    """

    def __init__(self, name: str = "", rate_limiter: str = "default", *, base_delay: float = 0.0,
                 max_delay: float = 0.0, qps: float = 0.0, burst: int = 0, fast_delay: float = 0.0,
                 slow_delay: float = 0.0, max_fast_attempts: int = 0, _borrowed: Optional[int] = None,
                 _owner: object = None) -> None:
        self._owner = _owner  # keeps a controller alive while its borrowed queue is used
        if _borrowed is not None:
            self._handle: Optional[int] = _borrowed
            self._owned = False
            return
        options = make_options(name, rate_limiter, base_delay, max_delay, qps, burst, fast_delay, slow_delay,
                               max_fast_attempts)
        handle = c_void_p()
        check(lib.kc_workqueue_new(ctypes.byref(options), ctypes.byref(handle)))
        self._handle = handle.value
        self._owned = True

    # -- keys -----------------------------------------------------------------------------

    def add(self, key: str) -> None:
        """Marks ``key`` as needing processing (ignored after shutdown)."""
        status = _keep_gil.kc_workqueue_add(self._handle or self._live(), encode(key))
        if status:  # the hot path of a worker: no call when all went well
            check(status)

    def add_after(self, key: str, delay: float) -> None:
        """Adds ``key`` after ``delay`` seconds; a waiting key keeps the earlier time."""
        check(_keep_gil.kc_workqueue_add_after(self._live(), encode(key), to_ms(delay)))

    def add_rate_limited(self, key: str) -> None:
        """Adds ``key`` after the rate limiter's backoff for it (a retry)."""
        check(_keep_gil.kc_workqueue_add_rate_limited(self._live(), encode(key)))

    def forget(self, key: str) -> None:
        """Resets the backoff of ``key`` (after a success)."""
        status = _keep_gil.kc_workqueue_forget(self._handle or self._live(), encode(key))
        if status:
            check(status)

    def num_requeues(self, key: str) -> int:
        """Failures recorded for ``key`` since it was last forgotten."""
        return int(_keep_gil.kc_workqueue_num_requeues(self._live(), encode(key)))

    def get(self, timeout: Optional[float] = None) -> Optional[str]:
        """The next key (call ``done`` with it), or None once the queue is shut down and empty.

        Blocks up to ``timeout`` seconds (None: no limit) and raises ``queue.Empty`` when
        nothing came in time.
        """
        handle = self._handle or self._live()
        out = c_void_p()
        shutdown = c_int(0)
        # First without waiting, keeping the GIL: a busy queue hands a key out at once.
        status = _keep_gil.kc_workqueue_get(handle, 0, ctypes.byref(out), ctypes.byref(shutdown))
        if status:
            check(status)
        if out.value:
            try:
                return ctypes.string_at(out.value).decode("utf-8")
            finally:
                _keep_gil.kc_free(out.value)
        if shutdown.value:
            return None
        if timeout is not None and timeout <= 0:
            raise _queue.Empty()
        remaining = timeout
        while True:
            wait = _GET_SLICE_SECONDS if remaining is None else min(max(remaining, 0.0), _GET_SLICE_SECONDS)
            check(lib.kc_workqueue_get(handle, to_ms(wait), ctypes.byref(out), ctypes.byref(shutdown)))
            if out.value:
                try:
                    return ctypes.string_at(out.value).decode("utf-8")
                finally:
                    lib.kc_free(out.value)
            if shutdown.value:
                return None
            if remaining is not None:
                remaining -= wait
                if remaining <= 0:
                    raise _queue.Empty()

    def done(self, key: str) -> None:
        """Marks ``key`` (from ``get``) as finished; it comes back if it was added meanwhile."""
        status = _keep_gil.kc_workqueue_done(self._handle or self._live(), encode(key))
        if status:
            check(status)

    def __iter__(self) -> Iterator[str]:
        """Yields keys until the queue is shut down and empty. Call ``done`` for each."""
        while True:
            key = self.get()
            if key is None:
                return
            yield key

    def __len__(self) -> int:
        """Keys waiting for a worker."""
        return int(_keep_gil.kc_workqueue_len(self._live()))

    # -- shutdown and metrics -------------------------------------------------------------

    @property
    def shutting_down(self) -> bool:
        return bool(_keep_gil.kc_workqueue_is_shutting_down(self._live()))

    def shut_down(self) -> None:
        """Stops accepting keys and wakes blocked getters; queued keys are still handed out."""
        check(lib.kc_workqueue_shutdown(self._live()))

    def shut_down_with_drain(self) -> None:
        """Like ``shut_down``, then waits until every key handed out is done."""
        check(lib.kc_workqueue_shutdown_drain(self._live()))

    def metrics(self) -> Dict[str, Any]:
        """A snapshot: depth, processing, waiting_for_delay, adds, retries, queue_latency and
        work_duration histograms (count, sum_seconds, max_seconds, buckets with upper bounds
        1e-8 … 1e3 s plus overflow), unfinished_work_seconds, longest_running_processor_seconds."""
        m = kc_workqueue_metrics()
        m.version = WORKQUEUE_METRICS_VERSION
        check(lib.kc_workqueue_get_metrics(self._live(), ctypes.byref(m)))
        return {"depth": m.depth, "processing": m.processing, "waiting_for_delay": m.waiting_for_delay,
                "adds": m.adds, "retries": m.retries, "queue_latency": _histogram(m.queue_latency),
                "work_duration": _histogram(m.work_duration), "unfinished_work_seconds": m.unfinished_work_ms / 1000,
                "longest_running_processor_seconds": m.longest_running_processor_ms / 1000}

    # -- lifetime -------------------------------------------------------------------------

    _what = "work queue"

    def _release(self, handle: int) -> None:
        # A controller's queue is borrowed: the controller releases it.
        if self._owned:
            lib.kc_workqueue_free(handle)
