"""``kc_status`` of include/kubeclient/types.h, as an ``IntEnum``.

Its own module, free of ctypes and of the library, so that ``errors`` can name statuses without
loading libkubeclient.so; ``_native`` re-exports it. tests/test_status.py checks every member
against the header.
"""
from __future__ import annotations

from enum import IntEnum


class Status(IntEnum):
    """What a C API call returned: ``OK``, or which kind of failure (one exception class each,
    see ``errors.STATUS_TO_EXCEPTION``)."""

    OK = 0
    NOT_FOUND = 1
    ALREADY_EXISTS = 2
    CONFLICT = 3
    GONE = 4
    INVALID = 5
    UNAUTHORIZED = 6
    FORBIDDEN = 7
    TOO_MANY_REQUESTS = 8
    TIMEOUT = 9
    CANCELLED = 10
    API = 11
    TRANSPORT = 12
    CONFIG = 13
    INVALID_ARGUMENT = 14
    DECODE = 15
    CLOSED = 16
    INTERNAL = 17
