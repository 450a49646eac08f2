"""A library thread that calls Python handlers keeps its Python thread state between calls
(informer.py, _pin_thread_state): ctypes would otherwise create and destroy one per callback,
which cost a fifth of the delivery thread's time (issue 17). Observable from Python: a
threading.local set in one callback is still there in the next one on the same thread."""
from __future__ import annotations

import threading
from typing import Any, Dict, List

import kubeclient
from kubeclient.informer import InformerFactory, LazyObject
from waiting import eventually


def configmap(namespace: str, name: str, value: str) -> Dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": namespace}, "data": {"v": value}}


def test_handler_and_index_threads_keep_their_thread_state(client: kubeclient.Client, namespace: str) -> None:
    configmaps = client.resource("v1", "configmaps", namespace=namespace)
    configmaps.create(configmap(namespace, "a", "0"))
    local = threading.local()
    seen: List[int] = []  # per callback: how many callbacks this thread's local had counted before
    index_seen: List[int] = []
    lock = threading.Lock()

    def count(into: List[int]) -> None:
        before = getattr(local, "calls", 0)
        local.calls = before + 1
        with lock:
            into.append(before)

    with InformerFactory(client) as factory:
        informer = factory.informer("v1", "configmaps", namespace)
        informer.add_index("v", lambda obj: (count(index_seen), obj["data"]["v"])[1])
        registration = informer.add_handler(on_add=lambda obj, initial: count(seen),
                                            on_update=lambda old, new: count(seen),
                                            on_delete=lambda obj, unknown: count(seen))
        factory.start()
        assert factory.wait_for_sync(timeout=10)
        for i in range(1, 6):
            configmaps.patch("a", {"data": {"v": str(i)}}, type="merge")
        configmaps.delete("a")
        assert eventually(lambda: len(seen) == 7)  # add, 5 updates, delete: in order, one thread
        assert seen == list(range(7))
        assert registration.has_synced
        # The index function runs on the processing thread, once per object version.
        assert eventually(lambda: len(index_seen) >= 6)
        with lock:
            assert index_seen == list(range(len(index_seen)))


def test_lazy_objects_stay_usable_across_callbacks(client: kubeclient.Client, namespace: str) -> None:
    """Objects kept from earlier callbacks (their own copies of the bytes) read correctly later."""
    configmaps = client.resource("v1", "configmaps", namespace=namespace)
    kept: List[LazyObject] = []
    with InformerFactory(client) as factory:
        informer = factory.informer("v1", "configmaps", namespace)
        informer.add_handler(on_add=lambda obj, initial: kept.append(obj),
                             on_update=lambda old, new: kept.append(new))
        factory.start()
        assert factory.wait_for_sync(timeout=10)
        configmaps.create(configmap(namespace, "b", "0"))
        for i in range(1, 4):
            configmaps.patch("b", {"data": {"v": str(i)}}, type="merge")
        assert eventually(lambda: len(kept) == 4)
        assert [o["data"]["v"] for o in kept] == ["0", "1", "2", "3"]
