"""The library's log lines in Python's ``logging``.

At import the binding installs a ``kc_log_set_handler`` callback that hands every line to
``logging.getLogger(component)`` ("kubeclient", "kubeclient.informer", "kubeclient.exec", ...),
so ``logging.getLogger("kubeclient")`` controls them like any Python library's logs. Lines
arrive on library threads; ``logging`` is thread-safe. At exit the library goes back to
stderr, so that no line is routed into a finalizing interpreter.
"""
from __future__ import annotations

import atexit
import logging
from typing import Optional

from ._native import LOG_CB, lib

# kc_log_level -> logging level (swift-log's notice has no Python twin: between INFO and WARNING).
_LEVELS = {0: 5, 1: logging.DEBUG, 2: logging.INFO, 3: 25, 4: logging.WARNING, 5: logging.ERROR, 6: logging.CRITICAL}
_KC_LOG_DEBUG = 1
_KC_LOG_INFO = 2


def _forward(level: int, component: Optional[bytes], message: Optional[bytes], _user: int) -> None:
    try:
        logger = logging.getLogger((component or b"kubeclient").decode("utf-8", "replace"))
        python_level = _LEVELS.get(level, logging.INFO)
        if logger.isEnabledFor(python_level):
            logger.log(python_level, "%s", (message or b"").decode("utf-8", "replace"))
    except BaseException:  # noqa: BLE001 - an exception must not cross into a library thread
        pass


_callback = LOG_CB(_forward)


def _install() -> None:
    lib.kc_log_set_handler(_callback, _KC_LOG_DEBUG, None)


def _restore_stderr() -> None:
    lib.kc_log_set_handler(LOG_CB(), _KC_LOG_INFO, None)


_install()
atexit.register(_restore_stderr)
