"""Turning a kc_status into a Python exception, right after the failing call."""
from __future__ import annotations

import ctypes
from typing import Any, Callable

from ._native import lib
from .errors import from_record


def last_error(status: int):
    """The exception for ``status``, read from this thread's kc_error_last()."""
    return from_record(lib.kc_error_last().contents, status)


def check(status: int) -> None:
    """Raises the matching exception when ``status`` is not KC_OK."""
    if status != 0:
        raise last_error(status)


def call_string(function: Callable[..., int], *args: Any) -> str:
    """Calls a C function whose last parameter is a ``char **`` out-string; returns the copy."""
    from ._native import take_string

    out = ctypes.c_void_p()
    status = function(*args, ctypes.byref(out))
    if status != 0:
        error = last_error(status)
        take_string(out)  # NULL on failure by contract; freed anyway, defensively
        raise error
    return take_string(out)
