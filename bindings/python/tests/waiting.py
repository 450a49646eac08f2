"""One way for the tests to await a condition: poll it until it holds or a bound passes.

The bound only limits how long a failing test hangs; a passing test never waits for it, and no
test asserts how long something took (the same rule as the Swift tests' ``eventually``)."""
from __future__ import annotations

import time
from typing import Callable, Tuple, Type


def eventually(condition: Callable[[], object], timeout: float = 10.0,
               ignoring: Tuple[Type[BaseException], ...] = (), interval: float = 0.005) -> bool:
    """True once ``condition()`` is truthy, polling every ``interval`` seconds; False after
    ``timeout`` seconds. Exceptions of the ``ignoring`` types count as "not yet"."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return True
        except ignoring:
            pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
