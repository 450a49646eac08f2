"""The pull side of a ``kc_stream`` (a pod log, or one port-forward connection), shared by
``PodLogStream`` and ``PortForwardSocket``: reads that Ctrl-C and ``close()`` interrupt, and a
free that never pulls the stream from under a reader on another thread."""
from __future__ import annotations

import asyncio
import ctypes
import threading
import time
from typing import Any, Callable, List, Optional, Tuple

from ._status import Status
from ._call import last_error
from ._native import declare_streams, lib
from .errors import Closed

#: Bytes asked for per kc_stream_read.
CHUNK_SIZE = 64 * 1024
#: The longest a read waits inside the library at a time: Python runs signal handlers only
#: between bytecodes of the main thread, so short slices let Ctrl-C through within 0.1 s.
READ_SLICE_MS = 100



class SharedHandle:
    """Owns one library handle that several threads may use at once.

    ``call(function, ...)`` holds a use of the handle for the length of the C call;
    ``close()`` marks it closing and frees it (with ``free``) once the last use ended, so a
    call blocked on another thread (which the owner's stop function ends) never finds it freed.
    """

    _what = "stream"

    def __init__(self, handle: int, free: Callable[[int], None], keep_alive: Tuple[Any, ...] = ()) -> None:
        self._handle: Optional[int] = handle
        self._free_function = free
        # Objects the library holds on to while the handle lives (a cancel token), closed after it.
        self._keep_alive = keep_alive
        self._lock = threading.Lock()
        self._users = 0
        self._closing = False

    def _acquire(self) -> int:
        with self._lock:
            if self._handle is None or self._closing:
                raise Closed(f"the {self._what} is closed", status=Status.CLOSED)
            self._users += 1
            return self._handle

    def _release(self) -> None:
        with self._lock:
            self._users -= 1
            handle = self._take_if_unused()
        self._free(handle)

    def _take_if_unused(self) -> Optional[int]:
        if self._closing and self._users == 0 and self._handle is not None:
            handle, self._handle = self._handle, None
            return handle
        return None

    def _free(self, handle: Optional[int]) -> None:
        if handle:
            self._free_function(handle)
            for kept in self._keep_alive:
                kept.close()
            self._keep_alive = ()

    def call(self, function: Callable[..., int], *args: Any) -> int:
        """``function(handle, *args)`` while holding a use of the handle; returns its status.
        ``Closed`` once ``close()`` was called."""
        handle = self._acquire()
        try:
            return function(handle, *args)
        finally:
            self._release()

    def close(self) -> None:
        """Frees the handle now, or when the last call using it returns. Idempotent."""
        with self._lock:
            self._closing = True
            handle = self._take_if_unused()
        self._free(handle)


class NativeStream(SharedHandle):
    """A ``kc_stream``: reads that Ctrl-C and ``stop()`` interrupt.

    ``stop()`` may come from any thread and ends a read blocked on another; ``close()`` stops
    and frees (see ``SharedHandle``; an asyncio loop watching the descriptor also holds a use).
    Reads are serialised (one shared buffer): a stream has one reader at a time.
    """

    def __init__(self, handle: int, keep_alive: Tuple[Any, ...] = ()) -> None:
        declare_streams("stream")
        super().__init__(handle, lib.kc_stream_free, keep_alive)
        self._stopped = False
        self._read_lock = threading.Lock()
        self._buffer = ctypes.create_string_buffer(CHUNK_SIZE)
        self._wakers: List[Callable[[], None]] = []

    @property
    def stopped(self) -> bool:
        """True once ``stop()`` or ``close()`` was called."""
        return self._stopped

    def read(self, timeout_ms: int) -> Optional[bytes]:
        """One chunk: bytes, ``b""`` at the end, None when ``timeout_ms`` (at most one slice)
        passed first. A failure of the stream is raised; after ``stop()``/``close()`` the
        stream just ends (``b""``)."""
        with self._read_lock:
            if self._stopped:
                return b""
            length = ctypes.c_size_t()
            try:
                status = self.call(lib.kc_stream_read, self._buffer, CHUNK_SIZE, timeout_ms, ctypes.byref(length))
            except Closed:
                return b""
            if status == Status.OK:
                return ctypes.string_at(self._buffer, length.value) if length.value else b""
            if status == Status.TIMEOUT:
                return None
            if self._stopped and status in (Status.CANCELLED, Status.CLOSED):
                return b""
            raise last_error(status)

    def read_blocking(self, timeout: Optional[float] = None) -> Optional[bytes]:
        """The next chunk (``b""`` at the end), waiting in slices so Ctrl-C is seen at once;
        None when ``timeout`` seconds (None: no limit) passed without one."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            slice_ms = READ_SLICE_MS
            if deadline is not None:
                slice_ms = max(0, min(slice_ms, int((deadline - time.monotonic()) * 1000)))
            chunk = self.read(slice_ms)
            if chunk is not None:
                return chunk
            if deadline is not None and time.monotonic() >= deadline:
                return None

    async def read_async(self) -> bytes:
        """The next chunk (``b""`` at the end), awaiting the stream's descriptor on the running
        loop (``add_reader``): no thread of its own."""
        loop = asyncio.get_running_loop()
        while True:
            chunk = self.read(0)
            if chunk is not None:
                return chunk
            woken = loop.create_future()

            def wake() -> None:
                if not woken.done():
                    woken.set_result(None)

            def wake_threadsafe() -> None:
                try:
                    loop.call_soon_threadsafe(wake)
                except RuntimeError:  # the loop is closed: nobody waits any more
                    pass

            try:
                handle = self._acquire()  # the descriptor stays valid while the loop watches it
            except Closed:  # closed from another thread meanwhile: the end, as for read()
                return b""
            try:
                fd = ctypes.c_int(-1)
                status = lib.kc_stream_fd(handle, ctypes.byref(fd))
                if status != Status.OK:
                    raise last_error(status)
                with self._lock:
                    self._wakers.append(wake_threadsafe)
                loop.add_reader(fd.value, wake)
                try:
                    if not self._stopped:
                        await woken
                finally:
                    loop.remove_reader(fd.value)
                    with self._lock:
                        self._wakers.remove(wake_threadsafe)
            finally:
                self._release()

    def stop(self) -> None:
        """Ends the stream: a blocked read returns the end at once. Any thread; idempotent."""
        self._stopped = True
        with self._lock:
            wakers = list(self._wakers)
        for wake in wakers:
            wake()
        try:
            self.call(lib.kc_stream_stop)
        except Closed:
            pass

    def close(self) -> None:
        """Stops the stream and frees it (once no reader uses it). Idempotent."""
        self.stop()
        super().close()


def open_interruptibly(open_call: Callable[[], int], free: Callable[[int], None], what: str,
                       cancel: Callable[[], None], timeout: Optional[float] = None) -> int:
    """Runs a constructor (``open_call`` returns the new handle or raises) so that Ctrl-C and
    ``timeout`` end the caller's wait (see ``client._run_interruptibly``, which calls ``cancel``).
    A handle that arrives after the caller gave up is freed, not leaked."""
    from .client import _run_interruptibly

    lock = threading.Lock()
    abandoned = [False]
    opened: List[int] = []  # the handle, until the caller has it

    def run() -> int:
        handle = open_call()
        with lock:
            if not abandoned[0]:
                opened.append(handle)
                return handle
        free(handle)
        raise Closed(f"{what}: abandoned", status=Status.CLOSED)

    try:
        return _run_interruptibly(run, timeout, what, cancel=cancel)
    except BaseException:
        with lock:
            abandoned[0] = True
            leftover = opened.pop() if opened else None
        if leftover:
            free(leftover)
        raise
