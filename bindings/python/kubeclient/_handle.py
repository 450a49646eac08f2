"""The lifetime every object that owns a library handle shares."""
from __future__ import annotations

from typing import Optional, TypeVar

from .errors import Closed

_Self = TypeVar("_Self", bound="NativeHandle")


class NativeHandle:
    """Owns one library handle (``_handle``): ``close()`` releases it once, through the
    subclass's ``_release`` (later calls do nothing); ``with`` closes on exit; garbage
    collection closes what was left open. ``_live()`` is the handle, or raises ``Closed``."""

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

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def _live(self) -> int:
        if not self._handle:
            raise Closed(f"the {self._what} is closed", status=16)
        return self._handle
