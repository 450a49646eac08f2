"""kubeclient: a Kubernetes client for Python over libkubeclient (ctypes).

    import kubeclient
    with kubeclient.Client(kubeclient.Config.load()) as client:
        print(client.resource("v1", "namespaces").list()["items"])

Threads: a Client may be shared between threads; each call blocks its thread (the GIL is
released meanwhile). Watches run on a library thread and hand events to the iterator.

Types: the package is typed (``py.typed``); ``kubeclient.models`` has a TypedDict for every
built-in type, and ``client.resource("v1", "pods")`` is a ``Resource[Pod]`` for type checkers
(``model=`` for custom resources). Values stay plain dicts: see kubeclient/models/__init__.py.

Streams: ``Client.pod_logs``/``stream_pod_logs`` (``kubectl logs [-f]``), ``exec``/
``exec_stream``/``attach`` (``kubectl exec``/``attach``), ``port_forward``/``port_forwarder``
(``kubectl port-forward``). Ctrl-C or ``close()`` ends any of them within 0.5 s.
"""
from __future__ import annotations

from ._native import lib as _lib
from . import _logging  # noqa: F401 - routes the library's log lines into `logging`
from .client import Client, Resource, Response
from .config import Config
from .errors import (AlreadyExists, ApiError, Cancelled, Closed, ConfigError, Conflict, DecodeError, Forbidden,
                     Gone, InternalError, Invalid, InvalidArgument, KubeClientError, NotFound, Timeout,
                     TooManyRequests, TransportError, Unauthorized)
from .lazyobject import LazyObject
from .retry import retry_on_conflict, retry_on_error
from .watch import Watch, WatchEvent
from .controller import REQUEUE, Controller, RequeueAfter
from .events import EventRecorder
from .leaderelection import LeaderElector
from .workqueue import WorkQueue
from .logs import PodLogStream
from .exec import ExecResult, ExecSession, ExecStdin
from .portforward import PortForwarder, PortForwardSocket

__all__ = [
    "Client", "Config", "Resource", "Response", "Watch", "WatchEvent", "version", "library_path",
    "KubeClientError", "ApiError", "NotFound", "AlreadyExists", "Conflict", "Gone", "Invalid", "Unauthorized",
    "Forbidden", "TooManyRequests", "Timeout", "Cancelled", "TransportError", "ConfigError", "InvalidArgument",
    "DecodeError", "Closed", "InternalError", "LazyObject",
]


def version() -> str:
    """The shared library's version."""
    text: bytes = _lib.kc_version()
    return text.decode()


def library_path() -> str:
    """The file the shared library was loaded from."""
    path: str = getattr(_lib, "path")
    return path


__all__ += ["retry_on_conflict", "retry_on_error"]
__all__ += ["WorkQueue", "Controller", "REQUEUE", "RequeueAfter", "LeaderElector", "EventRecorder"]
__all__ += ["PodLogStream", "ExecResult", "ExecSession", "ExecStdin", "PortForwardSocket", "PortForwarder"]
