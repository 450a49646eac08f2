"""Retrying a read-modify-write that lost an optimistic-concurrency race (client-go's
``k8s.io/client-go/util/retry``).

    def set_mode():
        configmap = configmaps.get("settings")      # read afresh on every attempt
        configmap["data"]["mode"] = "fast"
        return configmaps.update(configmap)

    kubeclient.retry_on_conflict(set_mode)
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Callable, Iterator, TypeVar

from .errors import Conflict

T = TypeVar("T")

__all__ = ["Backoff", "DEFAULT_RETRY", "DEFAULT_BACKOFF", "retry_on_conflict", "retry_on_error"]


@dataclass(frozen=True)
class Backoff:
    """How often and how long to retry (client-go's ``wait.Backoff``).

    The function runs at most ``steps`` times. The first wait is ``duration`` seconds, each next
    one ``factor`` times the previous, and each is stretched by a random fraction in
    ``[0, jitter)`` of itself.
    """

    steps: int
    duration: float
    factor: float = 1.0
    jitter: float = 0.0

    def delays(self) -> Iterator[float]:
        """The ``steps - 1`` waits between attempts, in seconds."""
        current = self.duration
        for _ in range(max(self.steps, 1) - 1):
            yield current * (1 + self.jitter * random.random()) if self.jitter > 0 else current
            current *= self.factor


#: client-go's ``retry.DefaultRetry``: 5 attempts 10 ms apart, jitter 0.1 (for conflicts,
#: which clear up quickly).
DEFAULT_RETRY = Backoff(steps=5, duration=0.010, factor=1.0, jitter=0.1)
#: client-go's ``retry.DefaultBackoff``: 4 attempts from 10 ms growing 5-fold, jitter 0.1 (for
#: errors that take longer to clear).
DEFAULT_BACKOFF = Backoff(steps=4, duration=0.010, factor=5.0, jitter=0.1)


def retry_on_error(fn: Callable[[], T], is_retriable: Callable[[BaseException], bool], *,
                   backoff: Backoff = DEFAULT_BACKOFF,
                   sleep: Callable[[float], None] = time.sleep) -> T:
    """Calls ``fn`` again while it raises an ``Exception`` that ``is_retriable`` accepts,
    waiting between attempts as ``backoff`` says (client-go's ``retry.OnError``).

    Returns what ``fn`` returns. Any other exception propagates at once; after
    ``backoff.steps`` attempts the last error propagates. ``sleep`` is injectable for tests.
    """
    delays = backoff.delays()
    while True:
        try:
            return fn()
        except Exception as error:
            if not is_retriable(error):
                raise
            delay = next(delays, None)
            if delay is None:
                raise
        sleep(delay)


def retry_on_conflict(fn: Callable[[], T], *, backoff: Backoff = DEFAULT_RETRY,
                      sleep: Callable[[float], None] = time.sleep) -> T:
    """Calls ``fn`` again while it raises ``Conflict`` (HTTP 409: an update carried a stale
    resourceVersion), waiting between attempts as ``backoff`` says (client-go's
    ``retry.RetryOnConflict(retry.DefaultRetry, fn)``).

    ``fn`` must read the object afresh, change it and write it on every call, so that each
    retry starts from the latest resourceVersion. Returns what ``fn`` returns. Other
    exceptions propagate at once; after ``backoff.steps`` attempts (5 by default) the last
    ``Conflict`` propagates.
    """
    return retry_on_error(fn, lambda error: isinstance(error, Conflict), backoff=backoff, sleep=sleep)
