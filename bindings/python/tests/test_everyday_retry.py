"""Issue 12: kubeclient.retry_on_conflict (client-go's retry.RetryOnConflict with DefaultRetry)
against the test server."""
from __future__ import annotations

import threading
import uuid
from typing import List

import pytest

import kubeclient
from kubeclient.retry import DEFAULT_RETRY, Backoff


def configmap(name: str, data: dict) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data}


def test_two_writers_racing_on_one_configmap_both_end_up_applied(client, namespace):
    configmaps = client.resource("v1", "configmaps", namespace)
    configmaps.create(configmap("shared", {"start": "yes"}))
    attempts_a: List[int] = []
    sleeps: List[float] = []

    def write_b() -> None:
        theirs = configmaps.get("shared")
        theirs["data"]["b"] = "from B"
        configmaps.update(theirs)

    def write_a() -> dict:
        attempts_a.append(1)
        mine = configmaps.get("shared")
        if len(attempts_a) == 1:
            # B's whole read-modify-write lands between A's read and A's write: A's first update
            # is stale. Forced, so the conflict happens on every run.
            kubeclient.retry_on_conflict(write_b)
        mine["data"]["a"] = "from A"
        return configmaps.update(mine)

    result = kubeclient.retry_on_conflict(write_a, sleep=sleeps.append)

    assert len(attempts_a) == 2
    assert len(sleeps) == 1
    assert result["data"] == {"start": "yes", "a": "from A", "b": "from B"}
    assert configmaps.get("shared")["data"] == {"start": "yes", "a": "from A", "b": "from B"}


def test_writers_on_threads_all_end_up_applied(client, namespace):
    configmaps = client.resource("v1", "configmaps", namespace)
    configmaps.create(configmap("counter", {}))
    # Generous steps: with DefaultRetry's five, a writer losing five races in a row is possible
    # (that is the point of the bound), and this test is about every write being applied.
    patient = Backoff(steps=50, duration=0.01, jitter=1.0)
    errors: List[BaseException] = []

    def writer(name: str) -> None:
        def add(key: str) -> None:
            current = configmaps.get("counter")
            current.setdefault("data", {})[key] = "done"
            configmaps.update(current)
        try:
            for round_ in range(5):
                kubeclient.retry_on_conflict(lambda: add(f"{name}-{round_}"), backoff=patient)
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert set(configmaps.get("counter")["data"]) == {f"w{i}-{r}" for i in range(3) for r in range(5)}


def test_an_error_other_than_conflict_is_not_retried(client, namespace):
    configmaps = client.resource("v1", "configmaps", namespace)
    attempts: List[int] = []
    sleeps: List[float] = []

    def read_missing() -> dict:
        attempts.append(1)
        return configmaps.get("missing-" + uuid.uuid4().hex[:6])

    with pytest.raises(kubeclient.NotFound):
        kubeclient.retry_on_conflict(read_missing, sleep=sleeps.append)
    assert len(attempts) == 1
    assert sleeps == []


def test_a_write_that_always_conflicts_stops_after_five_attempts(client, namespace):
    configmaps = client.resource("v1", "configmaps", namespace)
    stale = configmaps.create(configmap("contended", {"n": "0"}))
    configmaps.patch("contended", {"data": {"n": "1"}})
    stale["data"]["n"] = "2"
    attempts: List[int] = []
    sleeps: List[float] = []

    def write_stale() -> dict:
        attempts.append(1)
        return configmaps.update(stale)  # never re-read: conflicts every time

    with pytest.raises(kubeclient.Conflict):
        kubeclient.retry_on_conflict(write_stale, sleep=sleeps.append)
    assert len(attempts) == DEFAULT_RETRY.steps == 5
    assert len(sleeps) == 4
    # DefaultRetry: 10 ms, factor 1, jitter 0.1 -> every wait in [10 ms, 11 ms).
    assert all(0.010 <= s < 0.011 for s in sleeps)


def test_retry_on_error_retries_what_the_predicate_accepts_with_growing_waits():
    attempts: List[int] = []
    sleeps: List[float] = []

    def flaky() -> int:
        attempts.append(1)
        if len(attempts) < 4:
            raise kubeclient.TooManyRequests("slow down")
        return len(attempts)

    result = kubeclient.retry_on_error(flaky, lambda e: isinstance(e, kubeclient.TooManyRequests),
                                       backoff=Backoff(steps=4, duration=0.01, factor=5.0), sleep=sleeps.append)
    assert result == 4
    assert sleeps == pytest.approx([0.01, 0.05, 0.25])
