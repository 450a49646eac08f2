"""Issue 12: blocking Python calls stop on Ctrl-C and take ``timeout=``:
``InformerFactory.wait_for_sync()``, ``Informer.wait_for_sync()``, a followed pod log, and
every request made on the main thread.

Each blocking call runs in a child process that is sent SIGINT once it is waiting; the child
reports that KeyboardInterrupt reached it. Every call would block for good otherwise, so the
report is the proof; the parent's timeout only guards against a hang."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

import kubeclient
from kubeclient.informer import InformerFactory

BINDINGS = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent("""
    import sys, time
    import kubeclient
    from kubeclient.informer import InformerFactory

    kubeconfig, call, namespace = sys.argv[1:4]
    client = kubeclient.Client(kubeclient.Config.load(kubeconfig))
    factory = InformerFactory(client)
    # A resource the server does not serve: the informer's list fails and is retried forever,
    # so it never syncs and a wait without a timeout blocks until interrupted.
    informer = factory.informer("never.example.com/v1", "widgets", namespace)
    factory.start()
    # One token, no refill: the second request waits for the rate limiter without end.
    throttled = kubeclient.Client(kubeclient.Config.load(kubeconfig), qps=1e-9, burst=1)
    if call == "throttled-get":
        throttled.resource("v1", "namespaces").get(namespace)
    try:
        print("waiting", flush=True)
        if call == "throttled-get":
            throttled.resource("v1", "namespaces").get(namespace)
        elif call == "raw-follow":
            client.request("GET", f"/api/v1/namespaces/{namespace}/pods/talker/log?follow=true")
        elif call == "factory":
            factory.wait_for_sync()
        elif call == "informer":
            informer.wait_for_sync()
        else:
            client.pod_logs("talker", namespace, follow=True)
        print("returned", flush=True)
    except KeyboardInterrupt:
        print("interrupted", time.monotonic(), flush=True)
    factory.shutdown()
""")


def pod(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "main", "image": "busybox"}]}}


def append_log(client: kubeclient.Client, namespace: str, name: str, line: str) -> None:
    response = client.request("POST", "/_testserver/logs",
                              {"namespace": namespace, "pod": name, "container": "main", "lines": [line]})
    assert response.status_code < 300, response.body


@pytest.mark.parametrize("call", ["factory", "informer", "follow-logs", "throttled-get", "raw-follow"])
def test_a_blocking_call_stops_on_ctrl_c(server, client, namespace, call):
    """Also the plain verbs (a get waiting for the rate limiter) and raw requests (a followed
    log through ``Client.request``), which the main thread runs on a helper thread."""
    if call in ("follow-logs", "raw-follow"):
        client.resource("v1", "pods", namespace).create(pod("talker"))
        append_log(client, namespace, "talker", "hello")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(BINDINGS), os.environ.get("PYTHONPATH")])))
    child = subprocess.Popen([sys.executable, "-c", CHILD, server.kubeconfig, call, namespace], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "waiting"
        # The child is now inside (or about to enter) the blocking call; a signal that lands
        # just before it is a KeyboardInterrupt all the same.
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    words = out.split()
    assert words[:1] == ["interrupted"], f"stdout: {out!r}, stderr: {err[-2000:]!r}"
    assert child.returncode == 0, err[-2000:]


def test_wait_for_sync_with_a_timeout_returns_false_when_it_passes(client, namespace):
    with InformerFactory(client) as factory:
        informer = factory.informer("never.example.com/v1", "widgets", namespace)
        factory.start()
        started = time.monotonic()
        assert factory.wait_for_sync(timeout=0.3) is False
        assert informer.wait_for_sync(timeout=0.3) is False
        assert time.monotonic() - started >= 0.6
        with pytest.raises(kubeclient.InvalidArgument):
            factory.wait_for_sync(timeout=-1)


def test_wait_for_sync_returns_true_once_synced(client, namespace):
    with InformerFactory(client) as factory:
        informer = factory.informer("v1", "configmaps", namespace)
        factory.start()
        assert factory.wait_for_sync(timeout=30) is True
        assert informer.wait_for_sync() is True


def test_a_followed_log_with_a_timeout_raises_timeout(client, namespace):
    client.resource("v1", "pods", namespace).create(pod("talker"))
    append_log(client, namespace, "talker", "hello")
    # The followed log never ends by itself: only the timeout ends the call.
    with pytest.raises(kubeclient.Timeout):
        client.pod_logs("talker", namespace, follow=True, timeout=0.3)


def test_a_log_without_follow_returns_the_lines_so_far(client, namespace):
    client.resource("v1", "pods", namespace).create(pod("talker"))
    append_log(client, namespace, "talker", "first")
    append_log(client, namespace, "talker", "second")
    assert client.pod_logs("talker", namespace) == "first\nsecond\n"
    assert client.pod_logs("talker", namespace, tail_lines=1, timeout=10) == "second\n"


def test_logs_of_a_missing_pod_raise_not_found(client, namespace):
    with pytest.raises(kubeclient.NotFound):
        client.pod_logs("missing-" + uuid.uuid4().hex[:6], namespace)
