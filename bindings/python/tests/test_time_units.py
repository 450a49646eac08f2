"""The C API counts milliseconds; the Python API keeps seconds: the conversion at the ctypes
boundary rounds up, clamps like the library, refuses NaN, and metrics come back in seconds."""
from __future__ import annotations

import math
import time

import pytest

import kubeclient
from kubeclient._native import MAX_DURATION_MS, to_ms
from kubeclient.errors import InvalidArgument
from kubeclient.workqueue import WorkQueue


def test_seconds_become_milliseconds_rounded_up_and_clamped():
    assert to_ms(0) == 0
    assert to_ms(0.0001) == 1          # a short positive wait never becomes "do not wait"
    assert to_ms(1.5) == 1500
    assert to_ms(-1) == -1000          # negative keeps its meaning ("no limit" for waits)
    assert to_ms(math.inf) == MAX_DURATION_MS
    assert to_ms(1e300) == MAX_DURATION_MS
    with pytest.raises(InvalidArgument):
        to_ms(math.nan)


def test_workqueue_metrics_are_reported_in_seconds():
    with WorkQueue() as q:
        q.add("k")
        outer = time.monotonic()
        assert q.get(timeout=1) == "k"
        time.sleep(0.02)  # the work being measured, not a wait for a condition
        q.done("k")
        elapsed = time.monotonic() - outer
        work = q.metrics()["work_duration"]
        assert work["count"] == 1
        assert 0.0195 <= work["sum_seconds"] <= elapsed   # seconds: milliseconds would be 1000x larger
        assert work["max_seconds"] == work["sum_seconds"]


def configmap(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}


def test_delete_grace_period_seconds_zero_means_now_and_none_the_default(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    cms.create(configmap("default-grace"))
    cms.delete("default-grace")                       # None: the server's default
    cms.create(configmap("no-grace"))
    cms.delete("no-grace", grace_period_seconds=0)    # 0: immediately (has_grace_period set)
    for name in ("default-grace", "no-grace"):
        with pytest.raises(kubeclient.NotFound):
            cms.get(name)
    cms.create(configmap("negative"))
    with pytest.raises(InvalidArgument, match="grace_period_ms"):
        cms.delete("negative", grace_period_seconds=-1)
    assert cms.get("negative")["metadata"]["name"] == "negative"
