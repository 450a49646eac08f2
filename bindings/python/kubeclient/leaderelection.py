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
``on_new_leader(identity)`` on the elector's thread. An exception raised by a callback is
logged at once (ERROR, "kubeclient.leaderelection", with its traceback) and the first one is
re-raised by the next ``stop``/``close`` (kubeclient/_callback_errors.py).
"""
from __future__ import annotations

import ctypes
import logging
from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_int64, c_uint, c_void_p
from typing import TYPE_CHECKING, Any, Callable, Optional

if TYPE_CHECKING:
    from .client import Client

from ._call import check
from ._callback_errors import CallbackErrors
from ._handle import NativeHandle
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


class LeaderElector(NativeHandle):
    """One candidate (see the module docstring).

    Lifetime: owns one kc_leader_elector, created here, not competing until ``start()``.
    ``stop()`` stops competing (releasing the lease when leading, unless
    ``release_on_stop=False``) and joins the elector's threads; it may be started again.
    ``close()`` (also on leaving a ``with`` block, or at garbage collection) stops it the same
    way and frees it: afterwards ``start``, ``is_leader`` and ``leader`` raise ``Closed``, and
    ``stop``/``close`` do nothing. The elector keeps its ``Client`` alive until then; callbacks
    are never called after ``stop()`` or ``close()`` returned."""

    _what = "leader elector"

    def __init__(self, client: "Client", lease_namespace: str, lease_name: str, identity: str, *,
                 on_started_leading: Optional[Callable[[], None]] = None,
                 on_stopped_leading: Optional[Callable[[], None]] = None,
                 on_new_leader: Optional[Callable[[str], None]] = None,
                 lease_duration: float = 15.0, renew_deadline: float = 10.0, retry_period: float = 2.0,
                 release_on_stop: bool = True) -> None:
        self._client = client  # the elector keeps the C client alive; keep the Python one too
        errors = self._callback_errors = CallbackErrors(log)
        user = (on_started_leading, on_stopped_leading, on_new_leader)

        def guard(function: Optional[Callable[..., None]], *args: Any) -> None:
            if function is None:
                return
            try:
                function(*args)
            except BaseException as error:  # never let an exception cross into C
                errors.record(error, f"leader election callback {getattr(function, '__name__', function)!r}")

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
        self._raise_kept(self._callback_errors.take())

    @property
    def is_leader(self) -> bool:
        return bool(lib.kc_leader_elector_is_leader(self._live()))

    @property
    def leader(self) -> Optional[str]:
        """The identity of the current leader as last observed, or None."""
        out = c_void_p()
        check(lib.kc_leader_elector_leader(self._live(), ctypes.byref(out)))
        return take_string(out) if out.value else None

    def _release(self, handle: int) -> None:
        lib.kc_leader_elector_free(handle)

    def close(self) -> None:
        """Stops (as ``stop``) and frees the elector. Idempotent. Then raises the first
        exception a callback raised, if ``stop`` did not already."""
        super().close()
        self._raise_kept(self._callback_errors.take())
