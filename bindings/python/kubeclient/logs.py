"""Pod logs (``GET .../pods/NAME/log``): the whole log as text, or a stream of lines or bytes.

    for line in client.stream_pod_logs("web", "default", follow=True):   # kubectl logs -f
        print(line)

The body is plain text and never goes through the JSON path.
"""
from __future__ import annotations

import ctypes
import datetime
from collections import deque
from typing import Any, AsyncIterator, Deque, Iterator, Optional, Union

from ._status import Status
from ._call import check, last_error
from ._handle import NativeHandle
from ._native import POD_LOG_OPTIONS_VERSION, declare_streams, encode, kc_pod_log_options, lib
from ._stream import NativeStream, open_interruptibly
from .errors import InvalidArgument


SinceTime = Union[str, datetime.datetime]


def _since_time(value: Optional[SinceTime]) -> Optional[bytes]:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise InvalidArgument("since_time must be timezone-aware (e.g. datetime.now(timezone.utc))",
                                  status=Status.INVALID_ARGUMENT)
        utc = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return encode(utc.isoformat(timespec="seconds") + "Z")
    return encode(value)


def _whole(name: str, value: Optional[int], minimum: int) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidArgument(f"{name} must be an integer >= {minimum}, not {value!r}", status=Status.INVALID_ARGUMENT)
    return value


def log_options(*, container: Optional[str] = None, follow: bool = False, previous: bool = False,
                since_seconds: Optional[int] = None, since_time: Optional[SinceTime] = None,
                timestamps: bool = False, tail_lines: Optional[int] = None, limit_bytes: Optional[int] = None,
                insecure_skip_tls_verify_backend: bool = False, cancel: Optional[int] = None) -> kc_pod_log_options:
    """The ``kc_pod_log_options`` for the keyword arguments of ``Client.pod_logs``."""
    declare_streams("logs")
    options = kc_pod_log_options()
    check(lib.kc_pod_log_options_init(ctypes.byref(options), POD_LOG_OPTIONS_VERSION))
    options.container = encode(container)
    options.follow = 1 if follow else 0
    options.previous = 1 if previous else 0
    options.since_ms = _whole("since_seconds", since_seconds, 1) * 1000
    options.since_time = _since_time(since_time)
    options.timestamps = 1 if timestamps else 0
    options.has_tail_lines = 0 if tail_lines is None else 1
    options.tail_lines = _whole("tail_lines", tail_lines, 0)
    options.limit_bytes = _whole("limit_bytes", limit_bytes, 1)
    options.insecure_skip_tls_verify_backend = 1 if insecure_skip_tls_verify_backend else 0
    options.cancel = cancel
    return options


def read_pod_logs(client: Any, name: str, namespace: str, timeout: Optional[float], **options: Any) -> str:
    """``Client.pod_logs``: the log as one string (kc_pod_logs), Ctrl-C and ``timeout`` cancel it."""
    from .client import _CancelToken, _run_interruptibly

    token = _CancelToken()
    what = f"logs of pod {namespace}/{name}"

    def fetch() -> str:
        try:
            c_options = log_options(cancel=token._live(), **options)
            out = ctypes.c_void_p()
            length = ctypes.c_size_t()
            status = lib.kc_pod_logs(client.handle, encode(namespace), encode(name), ctypes.byref(c_options),
                                     ctypes.byref(out), ctypes.byref(length))
            if status != Status.OK:
                raise last_error(status)
            try:
                data = ctypes.string_at(out.value, length.value) if out.value else b""
            finally:
                lib.kc_free(out.value)
            return data.decode("utf-8", "replace")
        finally:
            token.close()

    return _run_interruptibly(fetch, timeout, what, cancel=token.cancel)


def open_pod_log_stream(client: Any, name: str, namespace: str, timeout: Optional[float] = None,
                        **options: Any) -> "PodLogStream":
    """``Client.stream_pod_logs``: opens the log in pull mode (kc_pod_logs_open)."""
    from .client import _CancelToken

    what = f"logs of pod {namespace}/{name}"
    token = _CancelToken()
    try:
        c_options = log_options(cancel=token._live(), **options)

        def open_call() -> int:
            out = ctypes.c_void_p()
            status = lib.kc_pod_logs_open(client.handle, encode(namespace), encode(name), ctypes.byref(c_options),
                                          ctypes.byref(out))
            if status != Status.OK:
                raise last_error(status)
            return out.value or 0

        handle = open_interruptibly(open_call, lib.kc_stream_free, what, token.cancel, timeout)
    except BaseException:
        token.close()
        raise
    return PodLogStream(NativeStream(handle, keep_alive=(token,)), client, what)


class PodLogStream(NativeHandle):
    """A pod's log as it arrives (``Client.stream_pod_logs``).

    Iterate for lines: ``str``, decoded as UTF-8 (undecodable bytes become U+FFFD), split at
    ``"\\n"`` with the ``"\\n"`` removed (as the official client's
    ``watch.Watch().stream(read_namespaced_pod_log, follow=True)`` yields them); a last line
    without a newline is yielded when the stream ends. ``iter_bytes()`` yields the raw chunks
    as they arrive instead (not aligned to lines). ``async for line in stream`` and
    ``stream.aiter_bytes()`` do the same on an asyncio loop, waiting on the stream's descriptor
    (no extra thread).

    Without ``follow`` the iteration ends with the log; with it, when the container ends or
    the stream is closed. ``close()`` (from any thread) ends it within 0.5 s, and so does Ctrl-C:
    a KeyboardInterrupt raised while the iteration waits closes the stream before it
    propagates. A failure of the stream is raised by the iteration. Use ``with`` (or
    ``async with``) to close it.
    """

    _what = "log stream"

    def __init__(self, stream: NativeStream, client: Any, what: str) -> None:
        self._stream = stream
        self._handle = 1  # NativeHandle's "open" marker; the handle itself is the NativeStream's
        self._client = client  # the client outlives its streams
        self.what = what
        self._lines: Deque[bytes] = deque()
        self._partial = b""
        self._ended = False

    # Shared by the sync and async forms ------------------------------------------------------

    def _take_buffered(self) -> bytes:
        """Everything split into lines but not yet consumed, as bytes again."""
        data = b"".join(line + b"\n" for line in self._lines) + self._partial
        self._lines.clear()
        self._partial = b""
        return data

    def _feed(self, chunk: bytes) -> None:
        if chunk:
            parts = (self._partial + chunk).split(b"\n")
            self._partial = parts.pop()
            self._lines.extend(parts)
        else:
            self._ended = True
            if self._partial:
                self._lines.append(self._partial)
                self._partial = b""

    def _read(self) -> bytes:
        """The next chunk, ``b""`` at the end; closes the stream on Ctrl-C or failure."""
        if self._ended:
            return b""
        try:
            chunk = self._stream.read_blocking()
        except BaseException:
            self.close()
            raise
        if not chunk:
            self._ended = True
        return chunk or b""

    async def _aread(self) -> bytes:
        if self._ended:
            return b""
        try:
            chunk = await self._stream.read_async()
        except BaseException:
            self.close()
            raise
        if not chunk:
            self._ended = True
        return chunk

    # Iteration ---------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        while not self._lines:
            if self._ended and not self._partial:
                raise StopIteration
            self._feed(self._read())
        return self._lines.popleft().decode("utf-8", "replace")

    def iter_bytes(self) -> Iterator[bytes]:
        """The log as raw chunks (``bytes``) as they arrive, not aligned to lines."""
        buffered = self._take_buffered()
        if buffered:
            yield buffered
        while True:
            chunk = self._read()
            if not chunk:
                return
            yield chunk

    def read(self) -> bytes:
        """The rest of the log (with ``follow``: until the stream ends)."""
        return b"".join(self.iter_bytes())

    def __aiter__(self) -> AsyncIterator[str]:
        return self

    async def __anext__(self) -> str:
        while not self._lines:
            if self._ended and not self._partial:
                raise StopAsyncIteration
            self._feed(await self._aread())
        return self._lines.popleft().decode("utf-8", "replace")

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """``iter_bytes`` for ``async for``."""
        buffered = self._take_buffered()
        if buffered:
            yield buffered
        while True:
            chunk = await self._aread()
            if not chunk:
                return
            yield chunk

    async def __aenter__(self) -> "PodLogStream":
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    # Lifetime ----------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._handle is None

    def _release(self, handle: int) -> None:
        self._ended = True
        self._stream.close()

    def __repr__(self) -> str:
        return f"<PodLogStream {self.what}{' closed' if self.closed else ''}>"
