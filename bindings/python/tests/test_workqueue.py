"""WorkQueue: client-go's guarantees from several Python threads, delays, rate limits, metrics."""
from __future__ import annotations

import queue as stdqueue
import threading
import time

import pytest

from kubeclient.errors import Closed
from kubeclient.workqueue import WorkQueue


def test_duplicates_collapse_and_order_is_kept():
    with WorkQueue() as q:
        for key in ["a", "b", "a", "c", "b"]:
            q.add(key)
        assert len(q) == 3
        assert [q.get(timeout=0), q.get(timeout=0), q.get(timeout=0)] == ["a", "b", "c"]


def test_a_key_added_while_processing_comes_back_after_done():
    with WorkQueue() as q:
        q.add("a")
        assert q.get() == "a"
        q.add("a")
        with pytest.raises(stdqueue.Empty):
            q.get(timeout=0.01)
        q.done("a")
        assert q.get(timeout=1) == "a"


def test_shut_down_wakes_every_blocked_get():
    q = WorkQueue()
    results = []
    threads = [threading.Thread(target=lambda: results.append(q.get())) for _ in range(3)]
    for t in threads:
        t.start()
    q.shut_down()
    for t in threads:
        t.join(5)
    assert results == [None, None, None]
    assert q.shutting_down
    q.add("late")
    assert len(q) == 0
    q.close()


def test_iteration_ends_at_shutdown_and_drain_waits_for_in_flight_keys():
    q = WorkQueue()
    for i in range(5):
        q.add(f"k{i}")
    seen = []

    def worker():
        for key in q:
            time.sleep(0.001)
            seen.append(key)
            q.done(key)

    t = threading.Thread(target=worker)
    t.start()
    q.shut_down_with_drain()
    t.join(5)
    assert sorted(seen) == [f"k{i}" for i in range(5)]
    assert q.metrics()["processing"] == 0
    q.close()


def test_workers_on_several_threads_never_share_a_key():
    q = WorkQueue()
    lock = threading.Lock()
    in_flight: set[str] = set()
    clashes = []

    def worker():
        for key in q:
            with lock:
                if key in in_flight:
                    clashes.append(key)
                in_flight.add(key)
            with lock:
                in_flight.discard(key)
            q.forget(key)
            q.done(key)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for n in range(5000):
        q.add(f"k{n % 25}")
    q.shut_down_with_drain()
    for t in threads:
        t.join(10)
    assert clashes == []
    q.close()


def test_add_after_and_rate_limited_retries_follow_the_backoff():
    with WorkQueue(rate_limiter="exponential", base_delay=0.01, max_delay=1.0) as q:
        start = time.monotonic()
        q.add_rate_limited("x")
        assert q.num_requeues("x") == 1
        assert q.get(timeout=5) == "x"
        assert time.monotonic() - start >= 0.009
        q.forget("x")
        assert q.num_requeues("x") == 0
        q.done("x")
        q.add_after("y", 0.02)
        with pytest.raises(stdqueue.Empty):
            q.get(timeout=0)
        assert q.get(timeout=5) == "y"
        m = q.metrics()
        assert m["retries"] == 2
        assert m["processing"] == 1
        assert len(m["queue_latency"]["buckets"]) == 13


def test_bad_options_and_closed_queue_raise():
    with pytest.raises(ValueError):
        WorkQueue(rate_limiter="nope")
    q = WorkQueue()
    q.close()
    with pytest.raises(Closed):
        q.add("a")
