"""Exceptions, one class per kc_status code (``STATUS_TO_EXCEPTION``).

Every exception carries ``status`` (the kc_status code), ``http_code`` (0 without an HTTP
answer), ``reason`` (the server's Status reason, e.g. "NotFound", else "") and ``message``;
API errors also carry the server's ``api_status`` (the Status object as a dict), its
``causes`` (``[{"reason", "message", "field"}]``, e.g. which fields were invalid) and
``retry_after_seconds``.
"""
from __future__ import annotations

import ctypes
import json
from typing import Any, Dict, List, Optional

from ._status import Status


class KubeClientError(Exception):
    """Base of every error the library reports."""

    def __init__(self, message: str, *, status: int = 0, http_code: int = 0, reason: str = "",
                 api_status: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = int(status)  # a plain int, also when given a Status
        self.http_code = http_code
        self.reason = reason
        self.api_status = api_status

    @property
    def causes(self) -> List[Dict[str, Any]]:
        """The Status's details.causes: ``[{"reason", "message", "field"}]`` (may be empty)."""
        details = (self.api_status or {}).get("details") or {}
        causes = details.get("causes") or []
        return [c for c in causes if isinstance(c, dict)] if isinstance(causes, list) else []

    @property
    def retry_after_seconds(self) -> Optional[int]:
        """The Status's details.retryAfterSeconds, when the server sent one."""
        details = (self.api_status or {}).get("details") or {}
        value = details.get("retryAfterSeconds")
        return value if isinstance(value, int) else None

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(message={self.message!r}, status={self.status}, "
                f"http_code={self.http_code}, reason={self.reason!r})")


class ApiError(KubeClientError):
    """The API server answered with an error Status."""


class NotFound(ApiError, LookupError):
    """HTTP 404."""


class AlreadyExists(ApiError):
    """HTTP 409 AlreadyExists: create of an existing name."""


class Conflict(ApiError):
    """HTTP 409 Conflict: the object changed since it was read, or an apply conflict."""


class Gone(ApiError):
    """HTTP 410 Gone/Expired: a resourceVersion too old to list or watch from."""


class Invalid(ApiError, ValueError):
    """HTTP 422: the server rejected the object."""


class Unauthorized(ApiError):
    """HTTP 401."""


class Forbidden(ApiError, PermissionError):
    """HTTP 403."""


class TooManyRequests(ApiError):
    """HTTP 429, still failing after the client's retries."""


class Timeout(KubeClientError, TimeoutError):
    """A client-side timeout, or a server Timeout/504."""


class Cancelled(KubeClientError):
    """The call or watch was cancelled."""


class TransportError(KubeClientError, ConnectionError):
    """No complete HTTP answer: DNS, connection, TLS or protocol failure."""


class ConfigError(KubeClientError):
    """The kubeconfig, in-cluster config or credentials could not be used."""


class InvalidArgument(KubeClientError, ValueError):
    """The call's arguments were rejected before anything was sent."""


class DecodeError(KubeClientError, ValueError):
    """The server's answer, or a manifest, was not the JSON/YAML expected."""


class Closed(KubeClientError):
    """The client, config or watch was already closed."""


class InternalError(KubeClientError):
    """A bug in the library."""


# kc_status -> exception class (include/kubeclient/types.h).
STATUS_TO_EXCEPTION: dict[int, type[KubeClientError]] = {
    Status.NOT_FOUND: NotFound,
    Status.ALREADY_EXISTS: AlreadyExists,
    Status.CONFLICT: Conflict,
    Status.GONE: Gone,
    Status.INVALID: Invalid,
    Status.UNAUTHORIZED: Unauthorized,
    Status.FORBIDDEN: Forbidden,
    Status.TOO_MANY_REQUESTS: TooManyRequests,
    Status.TIMEOUT: Timeout,
    Status.CANCELLED: Cancelled,
    Status.API: ApiError,
    Status.TRANSPORT: TransportError,
    Status.CONFIG: ConfigError,
    Status.INVALID_ARGUMENT: InvalidArgument,
    Status.DECODE: DecodeError,
    Status.CLOSED: Closed,
    Status.INTERNAL: InternalError,
}


def error_for(status: int, http_code: int, reason: str, message: str,
              api_status: Optional[Dict[str, Any]] = None) -> KubeClientError:
    cls: Optional[type[KubeClientError]] = STATUS_TO_EXCEPTION.get(status)
    if cls is None:
        cls = ApiError if http_code else KubeClientError
    return cls(message or f"kubeclient status {status}", status=status, http_code=http_code, reason=reason,
               api_status=api_status)


def _text(value: Optional[bytes]) -> str:
    return (value or b"").decode("utf-8", "replace")


def from_record(record: Any, status: Optional[int] = None) -> KubeClientError:
    """The exception for a ``kc_error`` record, or a ``POINTER(kc_error)`` to one (the one place a
    record becomes an exception: right after a call, from ``kc_error_last()``, and in the
    callbacks that hand one over). ``status`` overrides the record's; a NULL pointer gives the
    bare ``status``'s exception."""
    if isinstance(record, ctypes._Pointer):
        if not record:
            return error_for(Status.INTERNAL if status is None else status, 0, "", "")
        record = record.contents
    api_status = None
    text = _text(getattr(record, "status_json", None))
    if text:
        try:
            decoded = json.loads(text)
            api_status = decoded if isinstance(decoded, dict) else None
        except ValueError:
            api_status = None
    return error_for(record.status if status is None else status, record.http_code, _text(record.reason),
                     _text(record.message), api_status)
