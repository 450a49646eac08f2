"""Informers from Python against kubeclient-testserver: handlers (callables and decorators),
the objects they get (LazyObject, or dicts with lazy=False), listers, indexes, late
registration, resync, has-synced, handler exceptions, asyncio events, and a churn run with
three handlers (one slow)."""
from __future__ import annotations

import asyncio
import logging
import random
import threading
import time
from typing import Any, Dict, List

import pytest

import kubeclient
from kubeclient.events import EventRecorder
from kubeclient.informer import InformerEvent, InformerFactory, LazyObject
from waiting import eventually


def configmap(namespace: str, name: str, value: str, **labels: str) -> Dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": namespace, "labels": labels}, "data": {"v": value}}


class Recorder:
    """Collects events per handler and replays them into a state."""

    def __init__(self, delay: float = 0.0) -> None:
        self.lock = threading.Lock()
        self.events: List[InformerEvent] = []
        self.delay = delay
        self.regressions: List[str] = []
        self.unknown_deleted: set = set()
        self._last_rv: Dict[str, int] = {}
        # Set = deliveries flow; cleared, the handler's own thread waits (see close_gate).
        self._gate = threading.Event()
        self._gate.set()

    def close_gate(self) -> None:
        """Holds this handler's deliveries until open_gate(): "a slow handler does not hold
        back the others" becomes checkable without timing."""
        self._gate.clear()

    def open_gate(self) -> None:
        self._gate.set()

    def _record(self, event: InformerEvent) -> None:
        self._gate.wait()
        if self.delay:
            time.sleep(self.delay)
        meta = event.object["metadata"]
        key = f"{meta.get('namespace', '')}/{meta['name']}"
        rv = int(meta.get("resourceVersion", "0"))
        with self.lock:
            last = self._last_rv.get(key)
            if last is not None and rv < last:
                self.regressions.append(f"{key}: {last} -> {rv}")
            if event.type == "DELETED":
                self._last_rv.pop(key, None)
                if event.final_state_unknown:
                    self.unknown_deleted.add(key)
            else:
                self._last_rv[key] = rv
            self.events.append(event)

    def on_add(self, obj: LazyObject, initial: bool) -> None:
        self._record(InformerEvent("ADDED", obj, None, initial, False))

    def on_update(self, old: LazyObject, new: LazyObject) -> None:
        self._record(InformerEvent("UPDATED", new, old, False, False))

    def on_delete(self, obj: LazyObject, unknown: bool) -> None:
        self._record(InformerEvent("DELETED", obj, None, False, unknown))

    def register(self, informer: Any, **kwargs: Any) -> Any:
        return informer.add_handler(self.on_add, self.on_update, self.on_delete, **kwargs)

    def count(self) -> int:
        with self.lock:
            return len(self.events)

    def replayed(self) -> Dict[str, str]:
        state: Dict[str, str] = {}
        with self.lock:
            events = list(self.events)
        for event in events:
            meta = event.object["metadata"]
            key = f"{meta.get('namespace', '')}/{meta['name']}"
            if event.type == "DELETED":
                state.pop(key, None)
            else:
                state[key] = meta["resourceVersion"]
        return state


def server_state(client: kubeclient.Client, namespaces: List[str]) -> Dict[str, str]:
    state = {}
    for namespace in namespaces:
        for item in client.resource("v1", "configmaps", namespace=namespace).list()["items"]:
            state[f"{namespace}/{item['metadata']['name']}"] = item["metadata"]["resourceVersion"]
    return state


def test_handlers_listers_and_indexes(client: kubeclient.Client, namespace: str) -> None:
    configmaps = client.resource("v1", "configmaps", namespace=namespace)
    configmaps.create(configmap(namespace, "a", "1", tier="web"))
    with InformerFactory(client, drop_managed_fields=True) as factory:
        informer = factory.informer("v1", "configmaps", namespace)
        assert factory.informer("v1", "configmaps", namespace) is informer
        informer.add_index("tier", lambda obj: obj["metadata"].get("labels", {}).get("tier"))
        added: List[str] = []

        @informer.on_add
        def on_add(obj: LazyObject, is_initial_list: bool) -> None:
            added.append(obj["metadata"]["name"])

        rec = Recorder()
        registration = rec.register(informer)
        factory.start()
        assert factory.wait_for_sync(timeout=10)
        assert registration.has_synced
        assert added == ["a"]
        configmaps.create(configmap(namespace, "b", "1", tier="db"))
        configmaps.patch("a", {"data": {"v": "2"}}, type="merge")
        assert eventually(lambda: rec.count() >= 3)
        assert informer.get("a", namespace=namespace)["data"]["v"] == "2"
        assert "managedFields" not in informer.get("a", namespace=namespace)["metadata"]
        assert informer.get("missing", namespace=namespace) is None
        assert [o["metadata"]["name"] for o in informer.list(namespace, label_selector="tier=db")] == ["b"]
        assert informer.index_keys("tier", "web") == [f"{namespace}/a"]
        assert [o["metadata"]["name"] for o in informer.by_index("tier", "db")] == ["b"]
        with pytest.raises(kubeclient.InvalidArgument):
            informer.list(namespace, label_selector="tier in (")
        configmaps.delete("b")
        assert eventually(lambda: any(e.type == "DELETED" for e in rec.events))
        assert informer.get("b", namespace=namespace) is None


def test_streaming_list_metadata_only_and_backoff(client: kubeclient.Client, namespace: str) -> None:
    """Factory options: a streaming list (sendInitialEvents) syncs and follows changes; a
    metadata-only informer gets PartialObjectMetadata from the server; bad backoffs raise."""
    configmaps = client.resource("v1", "configmaps", namespace=namespace)
    configmaps.create(configmap(namespace, "s1", "1"))
    with pytest.raises(kubeclient.InvalidArgument):
        InformerFactory(client, backoff_initial=5, backoff_max=1)
    with InformerFactory(client, streaming_list=True, backoff_initial=0.1, backoff_max=2) as factory:
        informer = factory.informer("v1", "configmaps", namespace)
        meta = factory.informer("v1", "configmaps", namespace, metadata_only=True)
        assert meta is not informer
        factory.start()
        assert factory.wait_for_sync(timeout=10)
        assert informer.get("s1", namespace=namespace)["data"] == {"v": "1"}
        configmaps.create(configmap(namespace, "s2", "2"))
        assert eventually(lambda: informer.get("s2", namespace=namespace) is not None)
        assert eventually(lambda: meta.get("s2", namespace=namespace) is not None)
        partial = meta.get("s2", namespace=namespace)
        assert partial["kind"] == "PartialObjectMetadata"
        assert "data" not in partial


def test_watch_error_handler(client: kubeclient.Client, namespace: str) -> None:
    """List/watch failures reach on_watch_error as API exceptions, on a library thread."""
    errors: List[kubeclient.KubeClientError] = []
    seen = threading.Event()
    with InformerFactory(client, backoff_initial=0.01, backoff_max=0.05) as factory:
        informer = factory.informer("v1", "nosuchthings", namespace)

        @informer.on_watch_error
        def failed(error: kubeclient.KubeClientError) -> None:
            errors.append(error)
            seen.set()
            raise RuntimeError("a raising handler is logged, not fatal")

        factory.start()
        assert seen.wait(10)
        assert isinstance(errors[0], kubeclient.NotFound)
        assert eventually(lambda: len(errors) >= 2)  # it keeps retrying
        informer.on_watch_error(None)
        # The callback-exception policy: the first one comes back from the next stop, once.
        with pytest.raises(RuntimeError, match="logged, not fatal"):
            factory.shutdown()
        factory.shutdown()


def test_handler_objects(client: kubeclient.Client, namespace: str) -> None:
    """Handlers and index functions get LazyObjects that outlive the call and read like the
    dicts they got before (sending one back and recording an event about one too);
    lazy=False handlers get dicts; listers return dicts."""
    configmaps = client.resource("v1", "configmaps", namespace=namespace)
    configmaps.create(configmap(namespace, "a", "1", tier="web"))
    lazy: List[Any] = []
    eager: List[Any] = []
    indexed: List[Any] = []

    def by_namespace(obj: LazyObject) -> str:
        indexed.append(obj)
        return obj.namespace

    with InformerFactory(client) as factory:
        informer = factory.informer("v1", "configmaps", namespace)
        informer.add_index("by-namespace", by_namespace)
        informer.add_handler(lambda obj, initial: lazy.append(("add", obj)),
                             lambda old, new: lazy.append(("update", old, new)),
                             lambda obj, unknown: lazy.append(("delete", obj)))
        informer.add_handler(lambda obj, initial: eager.append(("add", obj)),
                             lambda old, new: eager.append(("update", old, new)),
                             lambda obj, unknown: eager.append(("delete", obj)), lazy=False)
        factory.start()
        assert factory.wait_for_sync(timeout=10)
        configmaps.patch("a", {"data": {"v": "2"}}, type="merge")
        assert eventually(lambda: len(lazy) == 2 and len(eager) == 2)

        (_, added), (_, old, new) = lazy
        assert all(isinstance(o, LazyObject) for o in (added, old, new))
        assert (added.key, added.name, added.namespace) == (f"{namespace}/a", "a", namespace)
        assert not added.is_decoded
        cached = informer.get("a", namespace=namespace)
        assert isinstance(cached, dict) and isinstance(informer.list()[0], dict)
        assert old.resource_version != new.resource_version == cached["metadata"]["resourceVersion"]
        assert old["data"] == {"v": "1"} and new.get("data") == {"v": "2"}
        assert new == cached and added == old
        assert indexed and all(isinstance(o, LazyObject) for o in indexed)
        assert informer.index_keys("by-namespace", namespace) == [f"{namespace}/a"]

        (_, added_dict), (_, old_dict, new_dict) = eager
        assert type(added_dict) is dict and type(old_dict) is dict and type(new_dict) is dict
        assert added_dict == added and old_dict == old and new_dict == new

        # What handlers do with objects: send one back, record an event about one.
        updated = configmaps.update(new)
        assert updated["data"] == {"v": "2"}
        with EventRecorder(client, "py-informer-test") as recorder:
            assert recorder.record(new, "Normal", "Seen", "a lazy object")
            recorder.flush()
        events = client.resource("v1", "events", namespace).list()["items"]
        assert [e["involvedObject"]["name"] for e in events] == ["a"]


def test_late_registration_resync_and_exceptions(client: kubeclient.Client, namespace: str,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    configmaps = client.resource("v1", "configmaps", namespace=namespace)
    for i in range(3):
        configmaps.create(configmap(namespace, f"c{i}", "x"))
    with InformerFactory(client) as factory:
        informer = factory.informer("v1", "configmaps", namespace)
        factory.start()
        assert factory.wait_for_sync(timeout=10)
        late = Recorder()
        registration = late.register(informer, resync_period=0.1)
        assert eventually(lambda: registration.has_synced)
        assert sorted(e.object["metadata"]["name"] for e in late.events[:3]) == ["c0", "c1", "c2"]
        assert all(e.is_initial_list for e in late.events[:3])
        assert eventually(lambda: any(e.type == "UPDATED" and e.old_object == e.object for e in late.events))

        calls: List[int] = []

        def failing(obj: LazyObject, initial: bool) -> None:
            calls.append(1)
            raise RuntimeError("boom")

        with caplog.at_level(logging.ERROR, logger="kubeclient.informer"):
            informer.add_handler(on_add=failing)
            configmaps.create(configmap(namespace, "after", "x"))
            assert eventually(lambda: len(calls) >= 4)  # deliveries go on after an exception
        assert "boom" in caplog.text
        registration.remove()
        registration.close()
        with pytest.raises(RuntimeError, match="boom"):
            informer.stop()  # the first exception, kept since it was logged
        informer.stop()  # once


def test_asyncio_events(client: kubeclient.Client, namespace: str) -> None:
    configmaps = client.resource("v1", "configmaps", namespace=namespace)
    configmaps.create(configmap(namespace, "first", "x"))

    async def consume(informer: Any) -> List[InformerEvent]:
        seen: List[InformerEvent] = []
        async for event in informer.events():
            seen.append(event)
            if event.type == "ADDED" and event.object["metadata"]["name"] == "first":
                await asyncio.get_running_loop().run_in_executor(
                    None, lambda: configmaps.create(configmap(namespace, "second", "x")))
            if event.type == "ADDED" and event.object["metadata"]["name"] == "second":
                break
        return seen

    with InformerFactory(client) as factory:
        informer = factory.informer("v1", "configmaps", namespace)
        factory.start()
        seen = asyncio.run(asyncio.wait_for(consume(informer), timeout=20))
        assert [e.object["metadata"]["name"] for e in seen] == ["first", "second"]
        assert seen[0].is_initial_list and not seen[1].is_initial_list
        assert all(isinstance(e.object, LazyObject) for e in seen) and seen[1].object.name == "second"


def test_stop_from_handler_and_context_manager(client: kubeclient.Client, namespace: str) -> None:
    client.resource("v1", "configmaps", namespace=namespace).create(configmap(namespace, "x", "x"))
    with InformerFactory(client) as factory:
        informer = factory.informer("v1", "configmaps", namespace)
        stopped = threading.Event()

        def stop(obj: LazyObject, initial: bool) -> None:
            informer.stop()
            stopped.set()

        informer.add_handler(on_add=stop)
        with informer:
            assert stopped.wait(10)
    with pytest.raises(kubeclient.Closed):
        factory.start()


def _fault(client: kubeclient.Client, body: Dict[str, Any]) -> None:
    assert client.request("POST", "/_testserver/faults", body).status_code == 200


def test_churn(server: Any) -> None:
    """Issue 5's acceptance test: three handlers (one slow) on configmaps across 50 namespaces
    while 5,000 seeded random creates, updates and deletes run and the server closes watch
    streams (clean and abrupt), stalls them, compacts history (410 relists) and fails the
    informer's requests with 429 and 500."""
    # Its own unthrottled client: the default 5 requests/s would make the churn crawl.
    client = kubeclient.Client(kubeclient.Config.load(server.kubeconfig), qps=-1)
    rng = random.Random(11)
    writes = 5000
    namespaces = [f"pychurn-{i}" for i in range(50)]
    names = [f"cm-{i}" for i in range(40)]
    for name in namespaces:
        try:
            client.resource("v1", "namespaces").create({"apiVersion": "v1", "kind": "Namespace",
                                                         "metadata": {"name": name}})
        except kubeclient.AlreadyExists:
            pass
    resources = {ns: client.resource("v1", "configmaps", namespace=ns) for ns in namespaces}

    def put(ns: str, name: str, value: str) -> None:
        try:
            resources[ns].create(configmap(ns, name, value, churn="yes"))
        except kubeclient.AlreadyExists:
            try:
                resources[ns].patch(name, {"data": {"v": value}}, type="merge")
            except kubeclient.NotFound:
                pass

    def delete(ns: str, name: str) -> None:
        try:
            resources[ns].delete(name)
        except kubeclient.NotFound:
            pass

    with client, InformerFactory(client, drop_managed_fields=True) as factory:
        informer = factory.informer("v1", "configmaps", label_selector="churn=yes")
        recorders = [Recorder(), Recorder(), Recorder(delay=0.00025)]
        for recorder in recorders:
            recorder.register(informer)
        factory.start()
        assert factory.wait_for_sync(timeout=20)
        # The slow handler is also held still during the churn: the others must not wait for it.
        recorders[2].close_gate()
        slow_before = recorders[2].count()

        # Faults the informer backs off from (an abrupt end, 429, 500) come once each, at the end
        # of the churn: its backoff (800 ms doubling, up to +100 % jitter, reset after 2 healthy
        # minutes; not configurable from Python) takes the watch away for seconds each time, which
        # would turn most of the churn into relists and soon outgrow the test. The cluster-wide
        # path is the informer's only: the writes go to namespaced paths and are never failed.
        scheduled = {
            writes * 95 // 100: {"action": "closeWatches", "abrupt": True},
            writes * 97 // 100: {"action": "fail", "status": 429, "count": 1, "path": "/api/v1/configmaps",
                                 "retryAfterSeconds": 0},
            writes * 99 // 100: {"action": "fail", "status": 500, "count": 1, "path": "/api/v1/configmaps",
                                 "retryAfterSeconds": 0},
        }
        gap_victims: set = set()
        gap_pending: set = set()

        def gap_delete(ns: str, name: str) -> None:
            # A deletion the informer can learn of only by relisting: stall, delete, compact, end
            # the streams (cleanly: the rewatch gets 410 and relists without backoff). Rare:
            # every relist re-delivers each cached object as an update to every handler.
            _fault(client, {"action": "stallWatches", "stalled": True})
            delete(ns, name)
            _fault(client, {"action": "compact"})
            _fault(client, {"action": "closeWatches", "abrupt": False})
            _fault(client, {"action": "stallWatches", "stalled": False})
            gap_victims.add(f"{ns}/{name}")
            gap_pending.add(f"{ns}/{name}")

        done = step = stalled_for = 0
        while done < writes:
            step += 1
            if stalled_for and (stalled_for := stalled_for - 1) == 0:
                _fault(client, {"action": "stallWatches", "stalled": False})
            if step in scheduled:
                _fault(client, scheduled[step])
            roll = rng.randrange(1000)
            ns, name = rng.choice(namespaces), rng.choice(names)
            key = f"{ns}/{name}"
            if step in (writes // 3, writes * 2 // 3):
                # At least two gap deletes whatever the timing: of some cached object.
                if stalled_for:
                    _fault(client, {"action": "stallWatches", "stalled": False})
                    stalled_for = 0
                victim = next(iter(informer.list(namespaces[step % 50])), None) or next(iter(informer.list()), None)
                if victim is not None:
                    gap_delete(victim["metadata"]["namespace"], victim["metadata"]["name"])
                    done += 1
            if roll < 600:
                if key in gap_pending:
                    # Recreated before the informer relisted, its delete would become an update:
                    # wait until the cache has dropped it.
                    assert eventually(lambda: informer.get(name, namespace=ns) is None, timeout=60)
                    gap_pending.discard(key)
                put(ns, name, str(step))
                done += 1
            elif roll < 970:
                delete(ns, name)
                done += 1
            elif roll < 978:
                _fault(client, {"action": "closeWatches", "abrupt": False})
            elif roll < 981:
                _fault(client, {"action": "compact"})
            elif roll < 994:
                if not stalled_for:
                    _fault(client, {"action": "stallWatches", "stalled": True})
                    stalled_for = 5 + rng.randrange(30)   # writes happen while the streams are stalled
            elif not stalled_for and informer.get(name, namespace=ns) is not None:
                gap_delete(ns, name)
                done += 1
        _fault(client, {"action": "stallWatches", "stalled": False})
        # One more reconnect, so that any injected failure still pending meets the informer.
        _fault(client, {"action": "closeWatches", "abrupt": False})
        assert eventually(lambda: client.request("GET", "/_testserver/faults").json()["failures"] == [],
                          timeout=60), "every injected failure was consumed"
        _fault(client, {"action": "reset"})

        final = server_state(client, namespaces)
        for recorder in recorders[:2]:
            assert eventually(lambda: recorder.replayed() == final, timeout=60)
        cache = {f"{o['metadata']['namespace']}/{o['metadata']['name']}": o["metadata"]["resourceVersion"]
                 for o in informer.list() if o["metadata"]["namespace"].startswith("pychurn-")}
        assert cache == final
        # The fast handlers got everything while the slow one sat on its first churn event.
        assert recorders[2].count() <= slow_before + 1
        recorders[2].open_gate()
        assert eventually(lambda: recorders[2].replayed() == final, timeout=60)
        assert gap_victims
        print(f"churn: {done} writes, {len(gap_victims)} gap deletes, {step} steps, {len(final)} objects live, "
              f"events {[r.count() for r in recorders]}, "
              f"unknown deletes {[len(r.unknown_deleted) for r in recorders]}")
        for i, recorder in enumerate(recorders):
            assert not recorder.regressions, f"handler {i}: {recorder.regressions[:3]}"
            missed = gap_victims - recorder.unknown_deleted
            assert not missed, f"handler {i}: gap deletes without final_state_unknown: {sorted(missed)[:5]}"
