"""Turning a kc_status into a Python exception, right after the failing call."""
from __future__ import annotations

import ctypes
import queue
import threading
from typing import Any, Callable, List, Optional

from ._status import Status
from ._native import lib
from .errors import KubeClientError, from_record


def last_error(status: int) -> KubeClientError:
    """The exception for ``status``, read from this thread's kc_error_last()."""
    return from_record(lib.kc_error_last(), status)


def check(status: int) -> None:
    """Raises the matching exception when ``status`` is not KC_OK."""
    if status != Status.OK:
        raise last_error(status)


def call_string(function: Callable[..., int], *args: Any) -> str:
    """Calls a C function whose last parameter is a ``char **`` out-string; returns the copy.

    On the main thread the call runs on a helper thread (see ``_MainThreadCalls``) so that
    Ctrl-C interrupts it at once, however long the request blocks."""
    if threading.current_thread() is threading.main_thread():
        text: str = _main_thread_calls.run(lambda: _call_string(function, *args))
        return text
    return _call_string(function, *args)


def call_string_local(function: Callable[..., int], *args: Any) -> str:
    """``call_string`` for calls that never wait on the network (cache reads): on the
    calling thread, whichever it is."""
    return _call_string(function, *args)


def call_on_helper_if_main(call: Callable[[], Any]) -> Any:
    """Runs ``call`` (which blocks on the network) so that Ctrl-C interrupts it on the main thread."""
    if threading.current_thread() is threading.main_thread():
        return _main_thread_calls.run(call)
    return call()


def _call_string(function: Callable[..., int], *args: Any) -> str:
    from ._native import take_string

    out = ctypes.c_void_p()
    status = function(*args, ctypes.byref(out))
    if status != Status.OK:
        error = last_error(status)
        take_string(out)  # NULL on failure by contract; freed anyway, defensively
        raise error
    return take_string(out)


class _Job:
    __slots__ = ("call", "done", "outcome")

    def __init__(self, call: Callable[[], Any]) -> None:
        self.call = call
        self.done = threading.Event()
        self.outcome: List[Any] = []

    def run(self) -> None:
        try:
            self.outcome.append((True, self.call()))
        except BaseException as error:  # re-raised on the main thread
            self.outcome.append((False, error))
        finally:
            self.done.set()


class _MainThreadCalls:
    """Runs the main thread's blocking library calls on one helper thread.

    Python delivers Ctrl-C only to the main thread, and only between bytecodes: a thread
    blocked inside a C call (a request to a server that does not answer, a wait for the rate
    limiter or an exec plugin) would not see KeyboardInterrupt until the call returned. The
    main thread instead waits for the helper on an Event, which Ctrl-C interrupts at once.
    Main-thread calls are sequential, so one helper serves them all, and handing a call over
    costs a queue put and an Event, not a thread start.

    An interrupted call is abandoned: it finishes on its helper (bounded by the client's
    ``timeout``) and its result is dropped; that helper then exits and the next call gets a
    new one, so it never waits behind a call that may hang.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: Optional["queue.SimpleQueue[Optional[_Job]]"] = None

    def _queue(self) -> "queue.SimpleQueue[Optional[_Job]]":
        with self._lock:
            if self._jobs is None:
                jobs: "queue.SimpleQueue[Optional[_Job]]" = queue.SimpleQueue()
                threading.Thread(target=self._serve, args=(jobs,), name="kubeclient main-thread calls",
                                 daemon=True).start()
                self._jobs = jobs
            return self._jobs

    @staticmethod
    def _serve(jobs: "queue.SimpleQueue[Optional[_Job]]") -> None:
        while True:
            job = jobs.get()
            if job is None:
                return
            job.run()

    def run(self, call: Callable[[], Any]) -> Any:
        jobs = self._queue()
        job = _Job(call)
        jobs.put(job)
        try:
            job.done.wait()
        except BaseException:
            with self._lock:
                if self._jobs is jobs:
                    self._jobs = None
            jobs.put(None)
            raise
        ok, value = job.outcome[0]
        if ok:
            return value
        raise value


_main_thread_calls = _MainThreadCalls()
