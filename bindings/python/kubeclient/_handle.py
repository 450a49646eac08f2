"""The lifetime every object that owns a library handle shares."""
from __future__ import annotations

from typing import Optional, TypeVar

from ._status import Status
from .errors import Closed

_Self = TypeVar("_Self", bound="NativeHandle")


class NativeHandle:
    """Owns one library handle (``_handle``): ``close()`` releases it once, through the
    subclass's ``_release`` (later calls do nothing); ``with`` closes on exit; garbage
    collection closes what was left open (except a ``Registration``, see there). ``_live()``
    is the handle, or raises ``Closed``.

    One meaning of ``with`` for every such object: entering does nothing, leaving closes (an
    object with ``start()``/``stop()`` is stopped by its close). Objects whose callbacks the
    library calls raise the first exception a callback raised from ``close()``; leaving a
    ``with`` block by an exception drops it instead (it was logged). The one object with
    another ``with`` is the borrowed ``Informer`` (starts, then stops): README "Lifetimes"."""

    _handle: Optional[int] = None
    #: Named in the ``Closed`` message: "the <what> is closed".
    _what = "object"

    def _release(self, handle: int) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Releases the library object. Idempotent."""
        handle, self._handle = self._handle, None
        if handle:
            self._release(handle)

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:
            # The block's own exception is the one to propagate; what a callback raised was
            # logged when it happened (kubeclient/_callback_errors.py).
            self._quiet_callback_errors = True
        self.close()

    def __del__(self) -> None:
        try:
            self._quiet_callback_errors = True  # nobody to raise it to; it was logged
            self.close()
        except Exception:
            pass

    #: Set when closing because a ``with`` block raised, or by garbage collection: ``close()``
    #: then drops the exception a callback raised instead of raising it.
    _quiet_callback_errors = False

    def _raise_kept(self, error: Optional[BaseException]) -> None:
        """Raises ``error``, the exception a callback raised, from ``stop()``/``close()``; not
        when closing quietly. Called after the library joined the callbacks' threads, so no
        callback can raise after it."""
        if error is not None and not self._quiet_callback_errors:
            raise error

    def _live(self) -> int:
        if not self._handle:
            raise Closed(f"the {self._what} is closed", status=Status.CLOSED)
        return self._handle
