"""The one policy for exceptions raised by callbacks the library calls (kubeclient/_callback_errors.py,
README "Exceptions in callbacks"): logged at once with the traceback, deliveries go on, the first
one is raised again once by the owner's next stop()/close(), and a ``with`` block left by its own
exception lets that one propagate."""
from __future__ import annotations

import logging
import threading
import uuid
from typing import Any, Dict, List

import pytest

import kubeclient
from kubeclient._callback_errors import CallbackErrors
from kubeclient.informer import InformerFactory
from kubeclient.leaderelection import LeaderElector
from waiting import eventually


def configmap(namespace: str, name: str) -> Dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}}


def test_the_helper_logs_keeps_the_first_and_reraises_once(caplog: pytest.LogCaptureFixture) -> None:
    errors = CallbackErrors(logging.getLogger("kubeclient.test"))
    errors.reraise()  # positive control: nothing kept, nothing raised
    with caplog.at_level(logging.ERROR, logger="kubeclient.test"):
        for error in (KeyError("first"), ValueError("second")):
            try:
                raise error
            except BaseException as caught:
                errors.record(caught, "a test callback")
    assert [r.levelno for r in caplog.records] == [logging.ERROR, logging.ERROR]
    assert caplog.records[0].exc_info is not None  # the traceback is logged
    assert "a test callback raised KeyError" in caplog.records[0].getMessage()
    with pytest.raises(KeyError, match="first"):
        errors.reraise()
    errors.reraise()  # once


def test_informer_handler_exception_is_raised_by_leaving_with(client: kubeclient.Client, namespace: str,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    configmaps = client.resource("v1", "configmaps", namespace=namespace)
    names: List[str] = []

    def handler(obj: Any, initial: bool) -> None:
        names.append(obj.name)
        if obj.name == "bad":
            raise RuntimeError("handler failed on bad")

    with caplog.at_level(logging.ERROR, logger="kubeclient.informer"):
        with pytest.raises(RuntimeError, match="handler failed on bad"):
            with InformerFactory(client) as factory:
                informer = factory.informer("v1", "configmaps", namespace)
                informer.add_handler(on_add=handler)
                factory.start()
                assert factory.wait_for_sync(timeout=10)
                configmaps.create(configmap(namespace, "bad"))
                configmaps.create(configmap(namespace, "good"))
                assert eventually(lambda: "good" in names)  # deliveries went on
    assert "handler failed on bad" in caplog.text


def test_a_with_block_left_by_its_own_exception_keeps_that_one(client: kubeclient.Client, namespace: str) -> None:
    configmaps = client.resource("v1", "configmaps", namespace=namespace)
    raised = threading.Event()

    def handler(obj: Any, initial: bool) -> None:
        raised.set()
        raise RuntimeError("from the handler")

    with pytest.raises(LookupError, match="from the block"):
        with InformerFactory(client) as factory:
            factory.informer("v1", "configmaps", namespace).add_handler(on_add=handler)
            factory.start()
            configmaps.create(configmap(namespace, "x"))
            assert raised.wait(10)
            raise LookupError("from the block")


def test_leader_callback_exception_is_raised_by_close_once(client: kubeclient.Client) -> None:
    ran = threading.Event()

    def lead() -> None:
        ran.set()
        raise ValueError("leading failed")

    elector = LeaderElector(client, "default", "py-" + uuid.uuid4().hex[:8], "solo", on_started_leading=lead,
                            lease_duration=1.0, renew_deadline=0.6, retry_period=0.2)
    elector.start()
    assert ran.wait(10)
    with pytest.raises(ValueError, match="leading failed"):
        elector.close()
    elector.close()  # once; closed
    with pytest.raises(kubeclient.Closed, match="the leader elector is closed"):
        elector.start()
