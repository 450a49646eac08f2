"""JSON decoding for large responses."""
from __future__ import annotations

import gc
import json
from typing import Any


def loads(text: str | bytes) -> Any:
    """``json.loads`` with the cyclic garbage collector paused.

    Decoding a 10,000-pod list allocates millions of containers; each allocation burst
    triggers a GC pass over all of them, which made decoding 2.5× slower than the parse
    itself (benchmarks/RESULTS.md). The objects json builds hold no cycles, so pausing
    collection loses nothing; it is re-enabled (if it was on) before returning. Other
    threads see the collector paused for the duration of the call.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return json.loads(text)
    finally:
        if was_enabled:
            gc.enable()
