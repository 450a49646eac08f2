"""Watch: an iterator over watch events, fed by the library's watch thread."""
from __future__ import annotations

import atexit
import ctypes
import threading
import weakref
from collections import deque
from typing import TYPE_CHECKING, Any, Dict, Generic, Iterator, NamedTuple, Optional

from ._status import Status
from . import _json
from ._native import WATCH_DONE_CB, WATCH_EVENT_CB, WATCH_HANDLERS_VERSION, kc_watch_handlers, lib
from .errors import KubeClientError, from_record
from ._handle import NativeHandle
from ._typing import ObjectT

EVENT_TYPES = {1: "ADDED", 2: "MODIFIED", 3: "DELETED", 4: "BOOKMARK", 5: "ERROR"}


if TYPE_CHECKING:
    # For type checkers: generic, so that a Resource[Pod]'s watch yields WatchEvent[Pod]. (A
    # generic NamedTuple needs Python 3.11 at run time; the run-time class is the same tuple.)
    class WatchEvent(NamedTuple, Generic[ObjectT]):
        """One change: ``type`` is ADDED, MODIFIED, DELETED, BOOKMARK or ERROR; ``object`` the
        object (its last state for DELETED; for BOOKMARK only ``metadata.resourceVersion``)."""
        type: str
        object: ObjectT
else:
    class WatchEvent(NamedTuple):
        """One change: ``type`` is ADDED, MODIFIED, DELETED, BOOKMARK or ERROR; ``object`` a dict:
        the object (its last state for DELETED; for BOOKMARK only ``metadata.resourceVersion`` is
        meaningful, whatever its type says), a Status for ERROR. Typed as the resource's model
        (``WatchEvent[Pod]``) for type checkers."""
        type: str
        object: Dict[str, Any]


_DONE = object()
_EMPTY = object()

#: Events a ``Watch`` holds for its consumer before the library's watch thread waits.
DEFAULT_QUEUE_SIZE = 1000


class _EventQueue:
    """The FIFO between the library's watch thread (producer) and the iterating consumer,
    bounded at ``maxsize`` events.

    ``put`` blocks the producer while the queue is full: the watch thread then stops reading
    the stream, so TCP flow control slows the server down (backpressure), as an informer
    registration's queue does; nothing is dropped. ``close`` (from ``Watch.stop``/``close``)
    releases a blocked producer, whose event is then dropped: the watch is ending, and the
    library's stop waits for that callback to return. ``put_final`` (the failure and end
    markers) never blocks and may exceed the bound by those two items."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._items: "deque[Any]" = deque()
        self._changed = threading.Condition()
        self._closed = False
        #: True while the producer waits for room (tests and diagnostics).
        self.producer_waiting = False

    def __len__(self) -> int:
        return len(self._items)

    def put(self, item: Any) -> None:
        with self._changed:
            while len(self._items) >= self.maxsize and not self._closed:
                self.producer_waiting = True
                self._changed.wait()
            self.producer_waiting = False
            if not self._closed:
                self._items.append(item)
                self._changed.notify_all()

    def put_final(self, item: Any) -> None:
        with self._changed:
            self._items.append(item)
            self._changed.notify_all()

    def get(self, timeout: Optional[float]) -> Any:
        """The oldest item, or _EMPTY when ``timeout`` passed first."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._items, timeout):
                return _EMPTY
            item = self._items.popleft()
            self._changed.notify_all()  # room for a waiting producer
            return item

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()


# Watches still open. Their library threads call back into Python, so they are stopped and
# joined at exit, before interpreter finalisation makes such callbacks unsafe.
_open_watches: "weakref.WeakSet[Watch]" = weakref.WeakSet()


@atexit.register
def _close_open_watches() -> None:
    for watch in list(_open_watches):
        watch.close()


class Watch(NativeHandle, Generic[ObjectT]):
    """A running watch. Iterate to receive ``WatchEvent``s; iteration ends when the server
    closes the stream (``timeout_seconds``) or after ``stop()``/``close()``. A failure of the
    watch (e.g. ``Gone`` for a too-old resourceVersion) is raised by the iteration; an event
    that is not JSON raises ``DecodeError``.

    Events wait in a queue of at most ``queue_size`` events (default ``DEFAULT_QUEUE_SIZE``,
    1000). When a slow consumer lets it fill, the library's watch thread waits for room and
    stops reading the stream meanwhile (backpressure onto the connection; no event is lost),
    so memory stays bounded however far the consumer falls behind. The callbacks only copy,
    decode and enqueue. Use as a context manager, or call ``close()``: it stops the watch
    and joins its thread, also while that thread waits for room.
    """

    def __init__(self, client: Any, api_version: str, resource: str, namespace: Optional[str],
                 options: Any, queue_size: int = DEFAULT_QUEUE_SIZE, resume: bool = False) -> None:
        if queue_size < 1:
            raise ValueError(f"queue_size must be at least 1, not {queue_size}")
        self._client = client  # keeps the client alive while the watch runs
        self._queue = _EventQueue(queue_size)
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

        start = lib.kc_watch_start_resumable if resume else lib.kc_watch_start
        check(start(client.handle, encode(api_version), encode(resource), encode(namespace),
                    options, ctypes.byref(self._handlers), None, ctypes.byref(out)))
        self._handle = out.value
        _open_watches.add(self)

    # Library thread: copy, decode, enqueue. Never raise into C (ctypes would print and drop it).
    def _event(self, event_type: int, data: int, length: int, _user: int) -> None:
        try:
            raw = ctypes.string_at(data, length)
            item: Any = WatchEvent(EVENT_TYPES.get(event_type, str(event_type)),
                                   _json.loads(raw, "a watch event's object"))
        except BaseException as error:  # noqa: BLE001 - re-raised in the consumer
            item = error
        self._queue.put(item)  # blocks while the queue is full: backpressure

    def _done(self, status: int, error: Any, _user: int) -> None:
        try:
            if status != Status.OK:
                self._queue.put_final(from_record(error, status))
        except BaseException as failure:  # noqa: BLE001
            self._queue.put_final(failure)
        finally:
            self._queue.put_final(_DONE)

    def __iter__(self) -> Iterator[WatchEvent[ObjectT]]:
        return self

    def __next__(self) -> WatchEvent[ObjectT]:
        while not self._finished:
            # Short waits keep Ctrl-C responsive.
            item = self._queue.get(timeout=0.2)
            if item is _EMPTY:
                continue
            if item is _DONE:
                self._finished = True
                break
            if isinstance(item, BaseException):
                raise item
            event: WatchEvent[ObjectT] = item
            return event
        raise StopIteration

    def next(self, timeout: Optional[float] = None) -> Optional[WatchEvent[ObjectT]]:
        """The next event, waiting at most ``timeout`` seconds (None: no limit); None when the
        watch ended or the time ran out."""
        if self._finished:
            return None
        item = self._queue.get(timeout=timeout)
        if item is _EMPTY:
            return None
        if item is _DONE:
            self._finished = True
            return None
        if isinstance(item, BaseException):
            raise item
        event: WatchEvent[ObjectT] = item
        return event

    @property
    def queued(self) -> int:
        """Events waiting for the consumer (at most ``queue_size``, plus the end markers)."""
        return len(self._queue)

    def stop(self) -> None:
        """Ends the watch and waits for its thread; iteration then drains what was queued and
        stops. Safe to call from another thread and more than once."""
        handle = self._handle
        if handle:
            # First release a watch thread waiting for room, or the library's stop (which
            # waits for the running callback) would wait for the consumer forever.
            self._queue.close()
            lib.kc_watch_stop(handle)

    _what = "watch"

    def _release(self, handle: int) -> None:
        self._queue.close()
        lib.kc_watch_stop(handle)
        lib.kc_watch_free(handle)
