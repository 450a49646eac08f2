"""LeaderElector and EventRecorder against the test server (short durations)."""
from __future__ import annotations

import threading
import uuid

from kubeclient.events import EventRecorder
from kubeclient.leaderelection import LeaderElector
from waiting import eventually


def test_two_candidates_one_leader_and_takeover(client):
    lease = "py-" + uuid.uuid4().hex[:8]
    leading: dict[str, bool] = {}
    leaders_seen: list[str] = []
    lock = threading.Lock()

    def make(identity):
        def started():
            with lock:
                leading[identity] = True

        def stopped():
            with lock:
                leading[identity] = False

        return LeaderElector(client, "default", lease, identity, on_started_leading=started,
                             on_stopped_leading=stopped, on_new_leader=leaders_seen.append,
                             lease_duration=1.0, renew_deadline=0.6, retry_period=0.2)

    a, b = make("a"), make("b")
    a.start()
    assert eventually(lambda: leading.get("a"))
    b.start()
    assert eventually(lambda: b.leader == "a")
    assert not leading.get("b")
    assert a.is_leader and not b.is_leader
    a.stop()
    assert leading["a"] is False
    # a released the lease on stop (holder cleared), so b's takeover does not wait for the
    # lease to expire: asserted on the lease itself, not on a wall-clock window.
    holder = client.resource("coordination.k8s.io/v1", "leases", namespace="default").get(lease)["spec"].get(
        "holderIdentity", "")
    assert holder in ("", "b")
    assert eventually(lambda: leading.get("b"), timeout=10)
    assert "b" in leaders_seen
    b.close()
    a.close()


def test_callback_exception_is_reraised_by_stop(client):
    ran = threading.Event()

    def boom():
        ran.set()
        raise RuntimeError("in callback")

    elector = LeaderElector(client, "default", "py-" + uuid.uuid4().hex[:8], "solo", on_started_leading=boom,
                            lease_duration=1.0, renew_deadline=0.6, retry_period=0.2)
    elector.start()
    assert eventually(lambda: elector.is_leader)
    assert ran.wait(10)
    try:
        elector.stop()
        raised = False
    except RuntimeError:
        raised = True
    assert raised
    elector.close()


def test_events_aggregate_and_rate_limit(client, namespace):
    with EventRecorder(client, "py-controller", burst=2) as recorder:
        obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"namespace": namespace, "name": "cm"}}
        assert recorder.record(obj, "Normal", "Synced", "ok")
        assert recorder.record(obj, "Normal", "Synced", "ok")
        assert not recorder.record(obj, "Warning", "Failed", "dropped")
        recorder.flush()
    events = client.resource("v1", "events", namespace).list()["items"]
    assert len(events) == 1
    assert events[0]["count"] == 2
    assert events[0]["source"]["component"] == "py-controller"
