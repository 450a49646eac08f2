"""Issue 12: a timed-out or interrupted ``pod_logs(follow=True)`` cancels its request for real
(the library's kc_cancel token through kc_request_ext) instead of leaving it open on a daemon
thread until the server ends the response."""
from __future__ import annotations

import threading

import pytest

import kubeclient
from kubeclient.client import _CancelToken
from streams_support import await_blocked
from waiting import eventually


def pod(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "main", "image": "busybox"}]}}


def talker(client: kubeclient.Client, namespace: str) -> str:
    client.resource("v1", "pods", namespace).create(pod("talker"))
    response = client.request("POST", "/_testserver/logs",
                              {"namespace": namespace, "pod": "talker", "container": "main", "lines": ["hello"]})
    assert response.status_code < 300, response.body
    return f"/api/v1/namespaces/{namespace}/pods/talker/log?follow=true"


def test_a_timed_out_followed_log_ends_its_request_thread(client, namespace):
    talker(client, namespace)
    name = f"kubeclient logs of pod {namespace}/talker"
    with pytest.raises(kubeclient.Timeout):
        client.pod_logs("talker", namespace, follow=True, timeout=0.3)
    # Before kc_cancel the request stayed open (its thread alive) as long as the pod existed.
    assert eventually(lambda: not any(t.name == name for t in threading.enumerate()), 3.0)


def test_cancelling_a_token_from_another_thread_ends_a_followed_request(client, namespace):
    path = talker(client, namespace)
    token = _CancelToken()
    outcome: list = []
    done = threading.Event()

    def follow() -> None:
        try:
            outcome.append(client._request("GET", path, cancel=token))
        except BaseException as error:
            outcome.append(error)
        finally:
            done.set()

    thread = threading.Thread(target=follow, daemon=True)
    thread.start()
    # The followed log never ends by itself: once the request blocks, only the cancel ends it
    # (the socket is shut down at once; see Tests/c/cancel_test.c).
    assert await_blocked(thread.ident or 0, ["_request"]), "the request never blocked"
    assert not done.is_set()
    token.cancel()
    assert done.wait(10)
    assert isinstance(outcome[0], kubeclient.Cancelled), outcome
    token.cancel()  # idempotent
    token.close()
    token.cancel()  # a no-op once closed
    with pytest.raises(kubeclient.Closed):
        client._request("GET", path, cancel=token)


def test_a_cancelled_token_fails_the_next_request_at_once(client, namespace):
    path = talker(client, namespace)
    with _CancelToken() as token:
        token.cancel()
        # A followed log never ends by itself: only the token can end this call.
        with pytest.raises(kubeclient.Cancelled):
            client._request("GET", path, cancel=token)
