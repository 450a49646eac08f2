"""Exec and attach (``pods/exec``, ``pods/attach`` over WebSocket, v5.channel.k8s.io).

    result = client.exec("web", "default", ["cat"], stdin=b"hello")      # ExecResult
    with client.exec_stream("web", "default", ["sh"], stdin=True, text=True) as session:
        session.stdin.write("echo hi\\n"); session.stdin.close()
        print(session.stdout.read(), session.wait())
"""
from __future__ import annotations

import atexit
import ctypes
import io
import threading
import time
import weakref
from collections import deque
from typing import IO, Any, Callable, Deque, List, NamedTuple, Optional, Sequence, Union

from ._status import Status
from ._call import check, last_error
from ._handle import NativeHandle
from ._native import (EXEC_DONE_CB, EXEC_HANDLERS_VERSION, EXEC_OPTIONS_VERSION, STREAM_DATA_CB, declare_streams,
                      encode, kc_exec_handlers, kc_exec_options, lib)
from ._stream import SharedHandle, open_interruptibly
from .errors import Cancelled, Closed, InvalidArgument, Timeout, from_record


#: Output a session holds for its reader per stream before the library's thread waits for
#: room (and so stops reading the connection): memory stays bounded, nothing is dropped.
PIPE_LIMIT = 4 * 1024 * 1024
#: Bytes handed to kc_exec_write_stdin at a time.
WRITE_CHUNK = 64 * 1024
#: The longest a blocking wait lasts at a time, so Ctrl-C is seen between slices.
WAIT_SLICE = 0.1

Command = Union[str, Sequence[str]]
StdinData = Union[bytes, bytearray, memoryview, str]


class ExecResult(NamedTuple):
    """What ``Client.exec`` returns: the command's exit status (a non-zero one is a result,
    not an error) and its output (``str`` by default, ``bytes`` with ``text=False``; with a
    TTY stderr is merged into stdout and ``stderr`` is empty)."""
    exit_code: int
    stdout: Any
    stderr: Any


def _argv(command: Command) -> Any:
    try:
        words = [command] if isinstance(command, str) else list(command)
    except TypeError:
        words = [command]  # type: ignore[list-item]  # refused below
    if not words:
        raise InvalidArgument("the command is empty", status=Status.INVALID_ARGUMENT)
    if not all(isinstance(word, str) for word in words):
        raise InvalidArgument(f"the command must be a string or a sequence of strings, not {command!r}",
                              status=Status.INVALID_ARGUMENT)
    encoded = [encode(word) for word in words]
    return (ctypes.c_char_p * len(encoded))(*encoded), len(encoded)


def _as_bytes(data: StdinData) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    return bytes(data)


def _exec_options(container: Optional[str], stdin: bool, tty: bool, cancel: Optional[int]) -> kc_exec_options:
    declare_streams("exec")
    options = kc_exec_options()
    check(lib.kc_exec_options_init(ctypes.byref(options), EXEC_OPTIONS_VERSION))
    options.container = encode(container)
    options.stdin_enabled = 1 if stdin else 0
    options.tty = 1 if tty else 0
    options.cancel = cancel
    return options


def run_exec(client: Any, name: str, namespace: str, command: Command, *, container: Optional[str],
             stdin: Optional[StdinData], tty: bool, timeout: Optional[float], text: bool) -> ExecResult:
    """``Client.exec``: kc_exec_run on a worker thread that Ctrl-C and ``timeout`` cancel."""
    from .client import _CancelToken, _run_interruptibly

    argv, argc = _argv(command)
    data = None if stdin is None else _as_bytes(stdin)
    token = _CancelToken()
    what = f"exec in pod {namespace}/{name}"

    def run() -> ExecResult:
        try:
            options = _exec_options(container, data is not None, tty, token._live())
            exit_code = ctypes.c_int(-1)
            outputs = [ctypes.c_void_p(), ctypes.c_void_p()]
            lengths = [ctypes.c_size_t(), ctypes.c_size_t()]
            status = lib.kc_exec_run(client.handle, encode(namespace), encode(name), argv, argc,
                                     ctypes.byref(options), data, len(data or b""), ctypes.byref(exit_code),
                                     ctypes.byref(outputs[0]), ctypes.byref(lengths[0]),
                                     ctypes.byref(outputs[1]), ctypes.byref(lengths[1]))
            if status != Status.OK:
                raise last_error(status)
            texts: List[Any] = []
            for out, length in zip(outputs, lengths):
                try:
                    raw = ctypes.string_at(out.value, length.value) if out.value else b""
                finally:
                    lib.kc_free(out.value)
                texts.append(raw.decode("utf-8", "replace") if text else raw)
            return ExecResult(exit_code.value, texts[0], texts[1])
        finally:
            token.close()

    return _run_interruptibly(run, timeout, what, cancel=token.cancel)


class _Pipe:
    """The bytes of one output stream, from the library's session thread to the reader.

    ``put`` (library thread) waits while ``PIPE_LIMIT`` bytes are unread, which stops the
    session reading the connection (backpressure) rather than dropping output; ``discard``
    (closing the session) releases it. ``finish`` marks the end."""

    def __init__(self) -> None:
        self._chunks: Deque[bytes] = deque()
        self._size = 0
        self._changed = threading.Condition()
        self._ended = False
        self._discarded = False

    def put(self, data: bytes) -> None:
        with self._changed:
            while self._size >= PIPE_LIMIT and not self._discarded:
                self._changed.wait()
            if not self._discarded:
                self._chunks.append(data)
                self._size += len(data)
                self._changed.notify_all()

    def finish(self) -> None:
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def discard(self) -> None:
        with self._changed:
            self._discarded = self._ended = True
            self._chunks.clear()
            self._size = 0
            self._changed.notify_all()

    def readinto(self, buffer: Any) -> int:
        """Waits for bytes (in slices, for Ctrl-C) and copies what fits; 0 at the end."""
        view = memoryview(buffer).cast("B")
        with self._changed:
            while not self._chunks and not self._ended:
                self._changed.wait(WAIT_SLICE)
            filled = 0
            while self._chunks and filled < len(view):
                chunk = self._chunks[0]
                take = min(len(chunk), len(view) - filled)
                view[filled:filled + take] = chunk[:take]
                filled += take
                if take == len(chunk):
                    self._chunks.popleft()
                else:
                    self._chunks[0] = chunk[take:]
            self._size -= filled
            self._changed.notify_all()
            return filled


class _Output(io.RawIOBase):
    """The raw reader under ``ExecSession.stdout``/``stderr``; Ctrl-C in a read ends the session."""

    def __init__(self, pipe: _Pipe, on_interrupt: Callable[[], None]) -> None:
        super().__init__()
        self._pipe = pipe
        self._on_interrupt = on_interrupt

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            return self._pipe.readinto(buffer)
        except BaseException:
            self._on_interrupt()
            raise


class ExecStdin:
    """``ExecSession.stdin``: ``write(data)`` sends bytes (a ``str`` is sent as UTF-8) to the
    command, ``close()`` ends its input (it reads end-of-file). File-like: ``writelines``,
    ``flush`` (a no-op: writes are not buffered), ``closed``, ``with``."""

    def __init__(self, shared: SharedHandle) -> None:
        self._shared = shared
        self.closed = False

    def writable(self) -> bool:
        return True

    def write(self, data: StdinData) -> int:
        """Sends all of ``data``; returns its length (in characters for a ``str``).
        ``Closed`` once stdin or the session is closed (or the command ended)."""
        if self.closed:
            raise Closed("stdin is closed", status=Status.CLOSED)
        raw = _as_bytes(data)
        view = memoryview(raw)
        for start in range(0, len(raw), WRITE_CHUNK):
            piece = bytes(view[start:start + WRITE_CHUNK])
            check(self._shared.call(lib.kc_exec_write_stdin, piece, len(piece)))
        return len(data)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        """Closes the command's stdin (end-of-file). Idempotent; a no-op once the session ended.
        ``InvalidArgument`` from a server that only speaks v4.channel.k8s.io, which cannot
        signal it (close the session instead)."""
        if self.closed:
            return
        self.closed = True
        try:
            check(self._shared.call(lib.kc_exec_close_stdin))
        except Closed:
            pass

    def __enter__(self) -> "ExecStdin":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Sessions still open. Their library threads call back into Python, so they are stopped and
# joined at exit, before interpreter finalisation makes such callbacks unsafe.
_open_sessions: "weakref.WeakSet[ExecSession]" = weakref.WeakSet()


@atexit.register
def _close_open_sessions() -> None:
    for session in list(_open_sessions):
        session.close()


def _reader(pipe: _Pipe, on_interrupt: Callable[[], None], text: bool) -> IO[Any]:
    buffered = io.BufferedReader(_Output(pipe, on_interrupt), buffer_size=64 * 1024)
    if text:
        return io.TextIOWrapper(buffered, encoding="utf-8", errors="replace")
    return buffered


class _SessionState:
    """What the session's library thread writes: output into the pipes, then the outcome.
    Kept apart from ``ExecSession`` (which only points to it) so that the callbacks do not
    keep the session alive: a session nobody references is closed by garbage collection at once."""

    def __init__(self, tty: bool) -> None:
        self.done = threading.Event()
        self.exit_code: Optional[int] = None
        self.error: Optional[BaseException] = None
        self.pipes = [_Pipe(), _Pipe()]
        # The CFUNCTYPE objects must outlive every call the library may make: kept here.
        self.on_stdout = STREAM_DATA_CB(self._stdout_data)
        self.on_stderr = STREAM_DATA_CB(self._stderr_data) if not tty else STREAM_DATA_CB()
        self.on_done = EXEC_DONE_CB(self._finished)
        self.handlers = kc_exec_handlers(EXEC_HANDLERS_VERSION, self.on_stdout, self.on_stderr, self.on_done)

    # Library thread: copy and hand over. Never raise into C (ctypes would print and drop it).
    def _stdout_data(self, data: int, length: int, _user: int) -> None:
        try:
            self.pipes[0].put(ctypes.string_at(data, length))
        except BaseException as error:  # noqa: BLE001 - re-raised by wait()
            self.error = self.error or error

    def _stderr_data(self, data: int, length: int, _user: int) -> None:
        try:
            self.pipes[1].put(ctypes.string_at(data, length))
        except BaseException as error:  # noqa: BLE001
            self.error = self.error or error

    def _finished(self, status: int, exit_code: int, error: Any, _user: int) -> None:
        try:
            if status == Status.OK:
                self.exit_code = exit_code
            elif self.error is None:
                self.error = from_record(error, status)
        except BaseException as failure:  # noqa: BLE001
            self.error = self.error or failure
        finally:
            for pipe in self.pipes:
                pipe.finish()
            self.done.set()


class ExecSession(NativeHandle):
    """A running exec or attach session (``Client.exec_stream`` / ``Client.attach``).

    ``stdin`` (with ``stdin=True``, else None) is an ``ExecStdin``; ``stdout`` and ``stderr``
    are read-only files (``read``, ``read1``, ``readline``, iteration by line), of bytes, or of
    ``str`` with ``text=True``; with ``tty=True`` stderr is merged into stdout and ``stderr``
    is None. They reach end-of-file when the command ends. ``resize(width, height)`` tells a
    TTY its size; ``wait()`` returns the exit code.

    Output waits for its reader in a bounded buffer (``PIPE_LIMIT`` per stream); when a
    stream's buffer is full the session stops reading the connection until it is read, as an
    OS pipe would. So, as with ``subprocess``, read both stdout and stderr (or use
    ``Client.exec``) when a command writes much to both.

    Ctrl-C while a read or ``wait()`` blocks ends the session (then raises
    KeyboardInterrupt), as does ``close()`` from any thread, within 0.5 s; ``with`` closes it.
    The session's library thread only copies output into the buffers.
    """

    _what = "exec session"

    def __init__(self, client: Any, start: Callable[[Any, Any, Any], int], what: str, *,
                 container: Optional[str], stdin: bool, tty: bool, text: bool,
                 timeout: Optional[float] = None) -> None:
        from .client import _CancelToken

        self._handle: Optional[int] = None
        self._client = client  # the client outlives its sessions
        self.what = what
        self._state = state = _SessionState(tty)
        token = _CancelToken()
        try:
            options = _exec_options(container, stdin, tty, token._live())

            def open_call() -> int:
                out = ctypes.c_void_p()
                status = start(ctypes.byref(options), ctypes.byref(state.handlers), ctypes.byref(out))
                if status != Status.OK:
                    raise last_error(status)
                return out.value or 0

            handle = open_interruptibly(open_call, _stop_and_free, what, token.cancel, timeout)
        except BaseException:
            token.close()
            raise
        # The options (and the token they point to) live as long as the handle.
        self._shared = SharedHandle(handle, _stop_and_free, keep_alive=(token, _Kept(options)))
        self._shared._what = "exec session"
        self._handle = handle
        _open_sessions.add(self)
        self.stdin: Optional[ExecStdin] = ExecStdin(self._shared) if stdin else None
        close = _weak_close(self)
        self.stdout: IO[Any] = _reader(state.pipes[0], close, text)
        self.stderr: Optional[IO[Any]] = None if tty else _reader(state.pipes[1], close, text)

    # Control -----------------------------------------------------------------------------------

    def resize(self, width: int, height: int) -> None:
        """Tells the TTY its new size in columns and rows (``InvalidArgument`` without ``tty``)."""
        check(self._shared.call(lib.kc_exec_resize, int(width), int(height)))

    @property
    def exit_code(self) -> Optional[int]:
        """The command's exit status once it ended, else None."""
        return self._state.exit_code

    def wait(self, timeout: Optional[float] = None) -> int:
        """Waits for the command to end and returns its exit status. ``Timeout`` when
        ``timeout`` seconds (None: no limit) pass first (the session goes on); the session's
        failure (``TransportError``, ``Cancelled`` after ``close()``...) is raised."""
        state = self._state
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while not state.done.is_set():
                remaining = WAIT_SLICE if deadline is None else deadline - time.monotonic()
                if remaining <= 0:
                    raise Timeout(f"{self.what}: still running after {timeout:g} s", status=Status.TIMEOUT)
                state.done.wait(min(WAIT_SLICE, remaining))
        except Timeout:
            raise
        except BaseException:
            self.close()
            raise
        if state.error is not None:
            raise state.error
        return state.exit_code if state.exit_code is not None else -1

    def _release(self, handle: int) -> None:
        # First release a session thread waiting for room, or the library's stop (which waits
        # for the running callback) would wait for a reader forever.
        state = self._state
        for pipe in state.pipes:
            pipe.discard()
        self._shared.call(lib.kc_exec_stop)
        self._shared.close()
        if not state.done.is_set():
            state.error = Cancelled(f"{self.what}: the session was closed", status=Status.CANCELLED)
            state.done.set()

    def close(self) -> None:
        """Ends the session (the command is not waited for) and releases it; from any thread.
        Reads then return end-of-file and ``wait()`` raises ``Cancelled`` unless the command
        had already ended. Idempotent."""
        try:
            super().close()
        except Closed:
            pass

    def __repr__(self) -> str:
        state = ("closed" if self._handle is None else
                 f"exited {self._state.exit_code}" if self._state.done.is_set() else "running")
        return f"<ExecSession {self.what} {state}>"


class _Kept:
    """Holds a ctypes object for the handle's lifetime (``SharedHandle`` closes what it keeps)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def close(self) -> None:
        self.value = None


def _weak_close(session: "ExecSession") -> Callable[[], None]:
    """``session.close`` without keeping the session alive (its readers hold this)."""
    reference = weakref.ref(session)

    def close() -> None:
        alive = reference()
        if alive is not None:
            alive.close()

    return close


def _stop_and_free(handle: int) -> None:
    lib.kc_exec_stop(handle)
    lib.kc_exec_free(handle)


def start_exec(client: Any, name: str, namespace: str, command: Command, *, container: Optional[str], stdin: bool,
               tty: bool, text: bool, timeout: Optional[float]) -> ExecSession:
    """``Client.exec_stream``."""
    argv, argc = _argv(command)

    def start(options: Any, handlers: Any, out: Any) -> int:
        status: int = lib.kc_exec_start(client.handle, encode(namespace), encode(name), argv, argc, options,
                                        handlers, None, out)
        return status

    return ExecSession(client, start, f"exec in pod {namespace}/{name}", container=container, stdin=stdin, tty=tty,
                       text=text, timeout=timeout)


def start_attach(client: Any, name: str, namespace: str, *, container: Optional[str], stdin: bool, tty: bool,
                 text: bool, timeout: Optional[float]) -> ExecSession:
    """``Client.attach``."""
    declare_streams("exec")

    def start(options: Any, handlers: Any, out: Any) -> int:
        status: int = lib.kc_attach_start(client.handle, encode(namespace), encode(name), options, handlers, None,
                                          out)
        return status

    return ExecSession(client, start, f"attach to pod {namespace}/{name}", container=container, stdin=stdin, tty=tty,
                       text=text, timeout=timeout)
