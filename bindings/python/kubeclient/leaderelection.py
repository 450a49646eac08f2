"""Leader election on a coordination.k8s.io/v1 Lease (client-go's leaderelection), over
kc_leader_elector.

    def lead():                    # on a library thread of its own; may block
        controller.run()
    elector = LeaderElector(client, "default", "my-controller", identity=socket.gethostname(),
                            on_started_leading=lead, on_stopped_leading=controller.stop)
    elector.start()
    ...
    elector.stop()                 # releases the lease: another replica takes over at once

A lease is taken over only when this candidate has seen it unchanged for ``lease_duration``
seconds on its own clock (clock skew between machines is harmless), through an update guarded
by resourceVersion (never two leaders). A leader that cannot renew for ``renew_deadline``
stops leading. Defaults: 15 s, 10 s, retry every 2 s.

Threads: ``on_started_leading`` runs on its own library thread; ``on_stopped_leading`` and
``on_new_leader(identity)`` on the elector's thread. Exceptions raised by a callback are
logged ("kubeclient.leaderelection") and the first one is re-raised by ``stop``/``close``.
"""
from __future__ import annotations

import ctypes
import logging
import threading
from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_int64, c_uint, c_void_p
from typing import TYPE_CHECKING, Any, Callable, Optional

if TYPE_CHECKING:
    from .client import Client

from ._call import check
from ._native import declare, encode, lib, take_string, to_ms

HANDLE = c_void_p
OUT_HANDLE = POINTER(c_void_p)
OUT_STRING = POINTER(c_void_p)

LEADER_CALLBACKS_VERSION = 1
LEADER_ELECTION_OPTIONS_VERSION = 2

log = logging.getLogger("kubeclient.leaderelection")

LEADER_CB = CFUNCTYPE(None, c_void_p)
NEW_LEADER_CB = CFUNCTYPE(None, c_char_p, c_void_p)


class kc_leader_callbacks(Structure):
    _fields_ = [("version", c_uint), ("on_started_leading", LEADER_CB), ("on_stopped_leading", LEADER_CB),
                ("on_new_leader", NEW_LEADER_CB)]


class kc_leader_election_options(Structure):
    _fields_ = [("version", c_uint), ("lease_duration_ms", c_int64), ("renew_deadline_ms", c_int64),
                ("retry_period_ms", c_int64), ("keep_lease_on_stop", c_int)]


PROTOTYPES = {
    "kc_leader_election_options_init": (c_int, [POINTER(kc_leader_election_options), c_uint]),
    "kc_leader_elector_new": (c_int, [HANDLE, c_char_p, c_char_p, c_char_p, POINTER(kc_leader_election_options),
                                      POINTER(kc_leader_callbacks), c_void_p, OUT_HANDLE]),
    "kc_leader_elector_start": (c_int, [HANDLE]),
    "kc_leader_elector_stop": (c_int, [HANDLE]),
    "kc_leader_elector_is_leader": (c_int, [HANDLE]),
    "kc_leader_elector_leader": (c_int, [HANDLE, OUT_STRING]),
    "kc_leader_elector_free": (None, [HANDLE]),
}


declare(lib, PROTOTYPES, "leader election")


class LeaderElector:
    """One candidate (see the module docstring). Use as a context manager or call ``close``."""

    def __init__(self, client: "Client", lease_namespace: str, lease_name: str, identity: str, *,
                 on_started_leading: Optional[Callable[[], None]] = None,
                 on_stopped_leading: Optional[Callable[[], None]] = None,
                 on_new_leader: Optional[Callable[[str], None]] = None,
                 lease_duration: float = 15.0, renew_deadline: float = 10.0, retry_period: float = 2.0,
                 release_on_stop: bool = True) -> None:
        self._client = client  # the elector keeps the C client alive; keep the Python one too
        self._error: Optional[BaseException] = None
        self._lock = threading.Lock()
        user = (on_started_leading, on_stopped_leading, on_new_leader)

        def guard(function: Optional[Callable[..., None]], *args: Any) -> None:
            if function is None:
                return
            try:
                function(*args)
            except BaseException as error:  # never let an exception cross into C
                log.warning("leader election callback failed: %s", error)
                with self._lock:
                    if self._error is None:
                        self._error = error

        # Kept alive for as long as the library may call them (until close).
        self._callbacks = (
            LEADER_CB(lambda _ud: guard(user[0])),
            LEADER_CB(lambda _ud: guard(user[1])),
            NEW_LEADER_CB(lambda identity, _ud: guard(user[2], identity.decode("utf-8"))),
        )
        callbacks = kc_leader_callbacks(LEADER_CALLBACKS_VERSION, *self._callbacks)
        options = kc_leader_election_options()
        check(lib.kc_leader_election_options_init(ctypes.byref(options), LEADER_ELECTION_OPTIONS_VERSION))
        options.lease_duration_ms = to_ms(lease_duration)
        options.renew_deadline_ms = to_ms(renew_deadline)
        options.retry_period_ms = to_ms(retry_period)
        options.keep_lease_on_stop = 0 if release_on_stop else 1
        handle = c_void_p()
        check(lib.kc_leader_elector_new(client.handle, encode(lease_namespace), encode(lease_name), encode(identity),
                                        ctypes.byref(options), ctypes.byref(callbacks), None, ctypes.byref(handle)))
        self._handle: Optional[int] = handle.value
        self.identity = identity

    def start(self) -> None:
        """Starts competing on a library thread (idempotent)."""
        check(lib.kc_leader_elector_start(self._live()))

    def stop(self) -> None:
        """Stops competing (releasing the lease when leading) and joins the elector's threads.
        Re-raises the first exception a callback raised."""
        if self._handle:
            check(lib.kc_leader_elector_stop(self._handle))
        self._reraise()

    @property
    def is_leader(self) -> bool:
        return bool(lib.kc_leader_elector_is_leader(self._live()))

    @property
    def leader(self) -> Optional[str]:
        """The identity of the current leader as last observed, or None."""
        out = c_void_p()
        check(lib.kc_leader_elector_leader(self._live(), ctypes.byref(out)))
        return take_string(out) if out.value else None

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle:
            lib.kc_leader_elector_free(handle)
        self._reraise()

    def _reraise(self) -> None:
        with self._lock:
            error, self._error = self._error, None
        if error is not None:
            raise error

    def __enter__(self) -> "LeaderElector":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            handle, self._handle = self._handle, None
            if handle:
                lib.kc_leader_elector_free(handle)
        except Exception:
            pass

    def _live(self) -> int:
        if not self._handle:
            from .errors import Closed
            raise Closed("the leader elector is closed", status=16)
        return self._handle
