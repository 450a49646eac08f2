"""Port-forward (``pods/portforward`` over WebSocket, portforward.k8s.io): one connection to a
pod's port as a socket-like object, or a local listener like ``kubectl port-forward``.

    with client.port_forward("db", "default", 5432) as conn:
        conn.sendall(b"ping"); print(conn.recv(4096))
    with client.port_forwarder("web", "default", 8080) as forwarder:
        urllib.request.urlopen(f"http://127.0.0.1:{forwarder.local_port}/")
"""
from __future__ import annotations

import ctypes
import socket
import threading
import time
from typing import Any, Optional

from ._status import Status
from ._call import check, last_error
from ._handle import NativeHandle
from ._native import declare_streams, encode, lib
from ._stream import NativeStream, open_interruptibly
from .errors import Closed, InvalidArgument

WAIT_SLICE = 0.1


def _port(name: str, value: int, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= 65535:
        raise InvalidArgument(f"{name} must be a port number ({minimum}-65535), not {value!r}",
                              status=Status.INVALID_ARGUMENT)
    return value


class PortForwardSocket(NativeHandle):
    """One port-forward connection to a pod's port (``Client.port_forward``), used like a
    connected TCP socket: ``send``/``sendall``, ``recv``/``recv_into`` (``b""`` at the end),
    ``shutdown(socket.SHUT_WR)`` (the pod's side reads end-of-file; receiving goes on),
    ``settimeout`` (``recv`` then raises ``socket.timeout``, i.e. ``TimeoutError``),
    ``close()`` and ``with``.

    The pod refusing the connection (nothing listens on the port) is raised by the first
    ``recv`` as ``ApiError`` with the server's message. Ctrl-C while ``recv`` waits closes the
    connection before KeyboardInterrupt propagates; ``close()`` from another thread ends a
    waiting ``recv`` (with ``b""``) within 0.5 s. ``fileno()`` is a descriptor that polls
    readable when ``recv`` has bytes or the end to return (for ``select``; do not read it).
    """

    _what = "port-forward connection"

    def __init__(self, stream: NativeStream, client: Any, what: str) -> None:
        self._stream = stream
        self._handle = 1  # NativeHandle's "open" marker; the handle itself is the NativeStream's
        self._client = client  # the client outlives its connections
        self.what = what
        self._timeout: Optional[float] = None
        self._read_shut = False
        self._pending = b""  # bytes read beyond what recv's bufsize took

    def settimeout(self, timeout: Optional[float]) -> None:
        """Seconds ``recv`` waits before ``socket.timeout`` (None: no limit; 0: do not wait)."""
        if timeout is not None and (timeout != timeout or timeout < 0):
            raise ValueError("Timeout value out of range")
        self._timeout = timeout

    def gettimeout(self) -> Optional[float]:
        return self._timeout

    def setblocking(self, flag: bool) -> None:
        self.settimeout(None if flag else 0.0)

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        """Up to ``bufsize`` bytes (fewer when fewer arrived; ``b""`` at the end)."""
        if bufsize < 0:
            raise ValueError("negative buffersize in recv")
        if flags:
            raise InvalidArgument("recv flags are not supported", status=Status.INVALID_ARGUMENT)
        if self._handle is None:
            raise Closed("the port-forward connection is closed", status=Status.CLOSED)
        if self._read_shut or bufsize == 0:
            return b""
        pending = self._pending
        if not pending:
            try:
                chunk = self._stream.read_blocking(self._timeout)
            except BaseException:
                self.close()
                raise
            if chunk is None:
                raise socket.timeout("timed out")
            pending = chunk
        data, self._pending = pending[:bufsize], pending[bufsize:]
        return data

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        view = memoryview(buffer).cast("B")
        data = self.recv(nbytes or len(view), flags)
        view[:len(data)] = data
        return len(data)

    def send(self, data: Any, flags: int = 0) -> int:
        """Sends all of ``data`` (blocks while the pod is slow to take it); returns its length.
        ``Closed`` after ``shutdown(SHUT_WR)`` or ``close()``."""
        if flags:
            raise InvalidArgument("send flags are not supported", status=Status.INVALID_ARGUMENT)
        payload = bytes(data)
        if self._handle is None:
            raise Closed("the port-forward connection is closed", status=Status.CLOSED)
        check(self._stream.call(lib.kc_stream_write, payload, len(payload)))
        return len(payload)

    def sendall(self, data: Any, flags: int = 0) -> None:
        self.send(data, flags)

    def shutdown(self, how: int) -> None:
        """``socket.SHUT_WR``: the pod's side reads end-of-file, receiving goes on;
        ``SHUT_RD``: ``recv`` returns ``b""`` from now on; ``SHUT_RDWR``: both."""
        if how not in (socket.SHUT_RD, socket.SHUT_WR, socket.SHUT_RDWR):
            raise ValueError(f"invalid shutdown mode {how!r}")
        if how in (socket.SHUT_RD, socket.SHUT_RDWR):
            self._read_shut = True
        if how in (socket.SHUT_WR, socket.SHUT_RDWR):
            check(self._stream.call(lib.kc_stream_close_write))

    def fileno(self) -> int:
        fd = ctypes.c_int(-1)
        check(self._stream.call(lib.kc_stream_fd, ctypes.byref(fd)))
        return fd.value

    @property
    def closed(self) -> bool:
        return self._handle is None

    def _release(self, handle: int) -> None:
        self._stream.close()

    def __repr__(self) -> str:
        return f"<PortForwardSocket {self.what}{' closed' if self.closed else ''}>"


def open_port_forward(client: Any, name: str, namespace: str, port: int,
                      timeout: Optional[float] = None) -> PortForwardSocket:
    """``Client.port_forward``."""
    from .client import _CancelToken

    declare_streams("stream", "port-forward")
    remote = _port("port", port, 1)
    what = f"port-forward to pod {namespace}/{name}:{remote}"
    token = _CancelToken()
    try:
        def open_call() -> int:
            out = ctypes.c_void_p()
            status = lib.kc_port_forward_open(client.handle, encode(namespace), encode(name), remote, token._live(),
                                              ctypes.byref(out))
            if status != Status.OK:
                raise last_error(status)
            return out.value or 0

        handle = open_interruptibly(open_call, lib.kc_stream_free, what, token.cancel, timeout)
    except BaseException:
        token.close()
        raise
    return PortForwardSocket(NativeStream(handle, keep_alive=(token,)), client, what)


class PortForwarder(NativeHandle):
    """A local listener forwarding ``address:local_port`` to a pod's port, one port-forward
    connection per accepted client, like ``kubectl port-forward`` (``Client.port_forwarder``).

    It runs on library threads from the moment it is returned: ``local_port`` is the port it
    listens on (chosen by the system when 0 was asked for). ``stop()`` (from any thread) stops
    listening and closes every forwarded connection within 0.5 s; ``wait()`` blocks until then
    (Ctrl-C stops the forwarder and raises KeyboardInterrupt); ``close()`` and ``with`` stop and
    release it.
    """

    _what = "port forwarder"

    def __init__(self, client: Any, name: str, namespace: str, remote_port: int, local_port: int,
                 address: str) -> None:
        declare_streams("port-forward")
        self._handle: Optional[int] = None
        self._client = client  # the client outlives its forwarders
        remote = _port("remote_port", remote_port, 1)
        local = _port("local_port", local_port, 0)
        self.address = address
        self.remote_port = remote
        self.what = f"port-forward {address}:{local or '*'} -> pod {namespace}/{name}:{remote}"
        self._stopped = threading.Event()
        self._lock = threading.Lock()  # stop() from another thread never meets a freed handle
        out = ctypes.c_void_p()
        check(lib.kc_port_forwarder_start(client.handle, encode(namespace), encode(name), encode(address), local,
                                          remote, ctypes.byref(out)))
        self._handle = out.value
        port = ctypes.c_uint16()
        check(lib.kc_port_forwarder_local_port(self._handle, ctypes.byref(port)))
        self.local_port: int = port.value

    def stop(self) -> None:
        """Stops listening and closes every forwarded connection. Any thread; idempotent."""
        with self._lock:
            if self._handle:
                check(lib.kc_port_forwarder_stop(self._handle))
        self._stopped.set()

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Blocks until ``stop()`` or ``close()`` (True) or ``timeout`` seconds (False)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while not self._stopped.is_set():
                remaining = WAIT_SLICE if deadline is None else deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._stopped.wait(min(WAIT_SLICE, remaining))
        except BaseException:
            self.close()
            raise
        return True

    def close(self) -> None:
        with self._lock:
            super().close()

    def _release(self, handle: int) -> None:
        lib.kc_port_forwarder_stop(handle)
        lib.kc_port_forwarder_free(handle)
        self._stopped.set()

    def __repr__(self) -> str:
        state = f"{self.address}:{self.local_port}" if self._handle else "closed"
        return f"<PortForwarder {self.what} {state}>"
