"""Watch: an iterator over watch events, fed by the library's watch thread."""
from __future__ import annotations

import atexit
import ctypes
import json
import queue
import weakref
from typing import Any, Iterator, NamedTuple, Optional

from ._native import WATCH_DONE_CB, WATCH_EVENT_CB, WATCH_HANDLERS_VERSION, kc_watch_handlers, lib
from .errors import KubeClientError, error_for
from ._handle import NativeHandle

EVENT_TYPES = {1: "ADDED", 2: "MODIFIED", 3: "DELETED", 4: "BOOKMARK", 5: "ERROR"}


class WatchEvent(NamedTuple):
    """One change: ``type`` is ADDED, MODIFIED, DELETED, BOOKMARK or ERROR; ``object`` a dict
    (a Status for ERROR)."""
    type: str
    object: dict


_DONE = object()

# Watches still open. Their library threads call back into Python, so they are stopped and
# joined at exit, before interpreter finalisation makes such callbacks unsafe.
_open_watches: "weakref.WeakSet[Watch]" = weakref.WeakSet()


@atexit.register
def _close_open_watches() -> None:
    for watch in list(_open_watches):
        watch.close()


class Watch(NativeHandle):
    """A running watch. Iterate to receive ``WatchEvent``s; iteration ends when the server
    closes the stream (``timeout_seconds``) or after ``stop()``/``close()``. A failure of the
    watch (e.g. ``Gone`` for a too-old resourceVersion) is raised by the iteration.

    Events are queued by the library thread (the callbacks only copy and enqueue), so a slow
    consumer never blocks the library inside Python code. Use as a context manager, or call
    ``close()``: it stops the watch and joins its thread.
    """

    def __init__(self, client: Any, api_version: str, resource: str, namespace: Optional[str],
                 options: Any) -> None:
        self._client = client  # keeps the client alive while the watch runs
        self._queue: "queue.Queue[Any]" = queue.Queue()
        self._handle: Optional[int] = None
        self._finished = False
        self._error: Optional[KubeClientError] = None
        # The CFUNCTYPE objects must outlive every call the library may make: kept on self.
        self._on_event = WATCH_EVENT_CB(self._event)
        self._on_done = WATCH_DONE_CB(self._done)
        self._handlers = kc_watch_handlers(WATCH_HANDLERS_VERSION, self._on_event, self._on_done)
        out = ctypes.c_void_p()
        from ._call import check
        from ._native import encode

        check(lib.kc_watch_start(client.handle, encode(api_version), encode(resource), encode(namespace),
                                 options, ctypes.byref(self._handlers), None, ctypes.byref(out)))
        self._handle = out.value
        _open_watches.add(self)

    # Library thread: copy, decode, enqueue. Never raise into C (ctypes would print and drop it).
    def _event(self, event_type: int, data: int, length: int, _user: int) -> None:
        try:
            raw = ctypes.string_at(data, length)
            self._queue.put(WatchEvent(EVENT_TYPES.get(event_type, str(event_type)), json.loads(raw)))
        except BaseException as error:  # noqa: BLE001 - re-raised in the consumer
            self._queue.put(error)

    def _done(self, status: int, error: Any, _user: int) -> None:
        try:
            if status != 0:
                record = error.contents
                self._queue.put(error_for(status, record.http_code, (record.reason or b"").decode(),
                                          (record.message or b"").decode()))
        except BaseException as failure:  # noqa: BLE001
            self._queue.put(failure)
        finally:
            self._queue.put(_DONE)

    def __iter__(self) -> Iterator[WatchEvent]:
        return self

    def __next__(self) -> WatchEvent:
        while not self._finished:
            try:
                # Short waits keep Ctrl-C responsive.
                item = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            if item is _DONE:
                self._finished = True
                break
            if isinstance(item, BaseException):
                raise item
            return item
        raise StopIteration

    def next(self, timeout: Optional[float] = None) -> Optional[WatchEvent]:
        """The next event, waiting at most ``timeout`` seconds (None: no limit); None when the
        watch ended or the time ran out."""
        if self._finished:
            return None
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if item is _DONE:
            self._finished = True
            return None
        if isinstance(item, BaseException):
            raise item
        return item

    def stop(self) -> None:
        """Ends the watch and waits for its thread; iteration then drains and stops. Safe to
        call from another thread and more than once."""
        handle = self._handle
        if handle:
            lib.kc_watch_stop(handle)

    _what = "watch"

    def _release(self, handle: int) -> None:
        lib.kc_watch_stop(handle)
        lib.kc_watch_free(handle)
