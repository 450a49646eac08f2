"""The one policy for exceptions raised by user callbacks that the library calls (informer
handlers, index functions and watch-error handlers, leader-election callbacks).

An exception must never cross into C (ctypes would print it and drop it), and a callback runs on
a library thread, where nobody would see it. So, for every such callback:

- it is logged at once, with its traceback, at ERROR on the object's logger
  (``kubeclient.informer``, ``kubeclient.leaderelection``);
- deliveries go on (the next event still reaches the handler);
- the first one is kept and raised again, once, by the next ``stop()``/``close()`` (or
  ``shutdown()``) of the object the callback was given to, so a test or a program that stops
  cleanly learns that its callback failed. Later ones are logged only. When a ``with`` block
  is left by an exception of its own, that exception is the one that propagates: the kept
  callback exception was logged and is dropped.

A controller's ``reconcile`` is not a notification but a function with a result: raising is
its way to fail (the key is requeued with backoff, counted in ``Controller.errors`` and
logged), so it is never re-raised. See bindings/python/README.md, "Exceptions in callbacks".
"""
from __future__ import annotations

import logging
import threading
from typing import Optional


class CallbackErrors:
    """The first exception the callbacks of one object raised, until ``reraise`` hands it over."""

    __slots__ = ("_log", "_lock", "_first")

    def __init__(self, log: logging.Logger) -> None:
        self._log = log
        self._lock = threading.Lock()
        self._first: Optional[BaseException] = None

    def record(self, error: BaseException, what: str) -> None:
        """Called from the callback's ``except BaseException``: logs and keeps ``error``."""
        self._log.error("%s raised %s: %s", what, type(error).__name__, error, exc_info=error)
        with self._lock:
            if self._first is None:
                self._first = error

    def take(self) -> Optional[BaseException]:
        """The kept exception, now forgotten (None when every callback returned normally)."""
        with self._lock:
            error, self._first = self._first, None
        return error

    def reraise(self) -> None:
        """Raises the kept exception, once."""
        error = self.take()
        if error is not None:
            raise error
