"""Config: where and how to connect (kc_config)."""
from __future__ import annotations

import ctypes
from typing import Optional

from ._call import check
from ._native import encode, lib
from ._handle import NativeHandle


class Config(NativeHandle):
    """Resolved connection settings. Immutable; create with ``load()`` or ``in_cluster()``."""

    def __init__(self, _handle: int) -> None:
        self._handle: Optional[int] = _handle

    @classmethod
    def load(cls, path: Optional[str] = None, context: Optional[str] = None, master: Optional[str] = None,
             namespace: Optional[str] = None) -> "Config":
        """Loads a kubeconfig: ``path``, else $KUBECONFIG (merged), else ~/.kube/config.

        ``context`` picks a context (default: current-context), ``master`` overrides the server
        URL, ``namespace`` the default namespace. Raises ``ConfigError``.
        """
        out = ctypes.c_void_p()
        check(lib.kc_config_load(encode(None if path is None else str(path)), encode(context), encode(master),
                                 encode(namespace), ctypes.byref(out)))
        return cls(out.value or 0)

    @classmethod
    def in_cluster(cls) -> "Config":
        """The pod's service-account configuration. Raises ``ConfigError`` outside a cluster."""
        out = ctypes.c_void_p()
        check(lib.kc_config_in_cluster(ctypes.byref(out)))
        return cls(out.value or 0)

    @property
    def handle(self) -> int:
        return self._live()

    @property
    def host(self) -> str:
        """The API server URL."""
        return (lib.kc_config_host(self.handle) or b"").decode("utf-8")

    @property
    def namespace(self) -> str:
        """The default namespace."""
        return (lib.kc_config_namespace(self.handle) or b"").decode("utf-8")

    _what = "config"

    def _release(self, handle: int) -> None:
        lib.kc_config_free(handle)

    def __repr__(self) -> str:
        return f"Config(host={self.host!r}, namespace={self.namespace!r})" if self._handle else "Config(closed)"
