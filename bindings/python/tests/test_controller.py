"""Controller: reconcile results, exceptions retried with backoff, graceful stop."""
from __future__ import annotations

import threading

from kubeclient.controller import REQUEUE, Controller, RequeueAfter
from waiting import eventually


def test_an_exception_is_retried_until_success_and_the_worker_survives():
    attempts: dict[str, int] = {}
    lock = threading.Lock()

    def reconcile(key):
        with lock:
            attempts[key] = attempts.get(key, 0) + 1
            n = attempts[key]
        if key == "flaky" and n < 3:
            raise RuntimeError("injected")
        if key == "again" and n == 1:
            return REQUEUE
        if key == "later" and n == 1:
            return RequeueAfter(0.01)
        return None

    with Controller(reconcile, name="pytest", workers=2, rate_limiter="exponential", base_delay=0.001) as c:
        c.start()
        for key in ("flaky", "again", "later", "plain"):
            c.queue.add(key)
        assert eventually(lambda: attempts == {"flaky": 3, "again": 2, "later": 2, "plain": 1})
        assert c.errors == 2
        c.stop()
        assert c.queue.shutting_down


def test_max_retries_drops_a_key_that_keeps_failing():
    calls = []

    def reconcile(key):
        calls.append(key)
        raise ValueError("always")

    with Controller(reconcile, workers=1, max_retries=2, rate_limiter="exponential", base_delay=0.001) as c:
        c.start()
        c.queue.add("bad")
        assert eventually(lambda: len(calls) == 3)  # the positive control: it was retried
        # Dropped: neither waiting, nor queued, nor in a worker. A requeued key is always in
        # one of the three, so this never holds while retries go on.
        assert eventually(lambda: _settled(c.queue.metrics()))
        assert len(calls) == 3 and c.queue.num_requeues("bad") == 0


def _settled(metrics):
    return metrics["depth"] == 0 and metrics["processing"] == 0 and metrics["waiting_for_delay"] == 0


def test_run_returns_after_stop_from_another_thread():
    c = Controller(lambda key: None, workers=1)
    threading.Timer(0.05, c.stop).start()
    c.run()
    assert c.queue.shutting_down
    c.close()


def test_a_reconcile_failure_logs_the_key_as_text_not_bytes(caplog):
    failed = threading.Event()

    def reconcile(key):
        failed.set()
        raise RuntimeError("injected")

    with caplog.at_level("WARNING", logger="kubeclient.controller"):
        with Controller(reconcile, workers=1, max_retries=1, rate_limiter="exponential", base_delay=0.001) as c:
            c.start()
            c.queue.add("default/world")
            assert failed.wait(5)
            assert eventually(lambda: any("default/world" in r.getMessage() for r in caplog.records))
    messages = [r.getMessage() for r in caplog.records if r.name == "kubeclient.controller"]
    assert any(m.startswith("reconcile of default/world failed: injected") for m in messages), messages
    assert not any("b'" in m for m in messages), messages
