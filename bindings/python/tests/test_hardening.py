"""Issue 11, the Python side: strings with NUL refused at the binding boundary, bodies that
are not JSON (or nest too deeply) raise DecodeError on every path, the interpreter exits in
bounded time when an informer handler never returns, and a Watch's queue stays bounded
(backpressure onto the stream) while close() still works."""
from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Iterator

import pytest

import kubeclient
from kubeclient.lazyobject import LazyObject
from waiting import eventually

BINDING = str(Path(__file__).resolve().parents[1])


def configmap(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": "v"}}


# ---- item 8: NUL -------------------------------------------------------------------------


def test_a_name_with_an_embedded_nul_is_refused_and_nothing_is_deleted(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    cms.create(configmap("prod-db"))
    with pytest.raises(kubeclient.InvalidArgument, match="NUL") as info:
        cms.delete("prod-db\x00-scratch")
    assert isinstance(info.value, ValueError)
    assert cms.get("prod-db")["metadata"]["name"] == "prod-db"  # still there


@pytest.mark.parametrize("call", [
    lambda c, ns: c.resource("v1", "configmaps", namespace=ns).get("a\x00b"),
    lambda c, ns: c.resource("v1", "configmaps", namespace=ns + "\x00x").list(),
    lambda c, ns: c.resource("v1", "configmaps\x00", namespace=ns).list(),
    lambda c, ns: c.resource("v1", "configmaps", namespace=ns).list(label_selector="a=b\x00"),
    lambda c, ns: c.resource("v1", "configmaps", namespace=ns).create('{"kind":"ConfigMap"}\x00'),
    lambda c, ns: c.resource("v1", "configmaps", namespace=ns).create(b'{"kind":"ConfigMap"}\x00'),
    lambda c, ns: c.resource("v1", "configmaps", namespace=ns).patch("a", {"x": 1}, patch_type="merge\x00"),
    lambda c, ns: c.resource("v1", "configmaps", namespace=ns).watch(field_selector="metadata.name=a\x00"),
    lambda c, ns: c.request("GET", "/api\x00/v1"),
    lambda c, ns: kubeclient.WorkQueue().add("key\x00"),
], ids=["name", "namespace", "resource", "selector", "str-body", "bytes-body", "patch-type", "watch",
        "request-path", "workqueue-key"])
def test_every_string_with_a_nul_is_refused_before_the_library_sees_it(client, namespace, call):
    with pytest.raises(ValueError):
        call(client, namespace)


def test_a_nul_inside_an_object_is_sent_escaped_not_cut(client, namespace):
    # Inside a dict body the NUL is JSON-escaped (\u0000): nothing is truncated, nothing refused.
    cms = client.resource("v1", "configmaps", namespace=namespace)
    created = cms.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "nul"},
                          "data": {"k": "a\x00b"}})
    assert created["data"]["k"] == "a\x00b"


# ---- item 10: DecodeError ----------------------------------------------------------------


class _FakeAPIServer(http.server.BaseHTTPRequestHandler):
    """Answers every GET with 200 and the body the test set (not JSON, or too deep)."""
    body = b""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_server(tmp_path) -> Iterator[tuple]:
    """A client of an HTTP server that answers 200 with ``_FakeAPIServer.body``."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakeAPIServer)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(textwrap.dedent(f"""\
        apiVersion: v1
        kind: Config
        clusters: [{{name: fake, cluster: {{server: "http://127.0.0.1:{httpd.server_address[1]}"}}}}]
        users: [{{name: nobody, user: {{}}}}]
        contexts: [{{name: fake, context: {{cluster: fake, user: nobody, namespace: default}}}}]
        current-context: fake
        """))
    try:
        with kubeclient.Client(kubeclient.Config.load(str(kubeconfig)), timeout=10) as client:
            yield client, _FakeAPIServer
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize("body", [b"<html>not json</html>", b"{\"kind\":", b"\xff\xfe",
                                  b"[" * 1500 + b"]" * 1500, b"[" * 200_000 + b"]" * 200_000,
                                  b'{"a":' * 100_000 + b"1" + b"}" * 100_000],
                         ids=["html", "truncated", "not-utf8", "deep-1500", "deep-200k", "deep-objects"])
def test_a_success_body_that_is_not_json_raises_decode_error(fake_server, body):
    client, handler = fake_server
    handler.body = body
    configmaps = client.resource("v1", "configmaps", namespace="default")
    for call in (lambda: configmaps.get("x"), configmaps.list, configmaps.list_all, client.server_version,
                 lambda: client.request("GET", "/api/v1/namespaces/default/configmaps").json()):
        with pytest.raises(kubeclient.DecodeError) as info:
            call()
        assert isinstance(info.value, ValueError) and info.value.status == 15


def test_depth_is_bounded_explicitly_when_the_recursion_limit_is_raised():
    # With a raised recursion limit the stdlib scanner would recurse until the C stack ends
    # (a crash); the binding checks the depth first. In a subprocess: a failure here must not
    # take the test run down with it.
    code = textwrap.dedent("""\
        import sys
        sys.setrecursionlimit(1_000_000)
        from kubeclient import _json, DecodeError
        deep = "[" * 300_000 + "]" * 300_000
        for text in (deep, deep.encode(), '{"a":"[[[[","b":' + deep + '}'):
            try:
                _json.loads(text)
            except DecodeError as error:
                assert "nested too deeply" in str(error), error
            else:
                raise SystemExit("decoded a 300,000-deep body")
        shallow = '{"items":[' + ",".join(['{"a":[1,{"b":"]]]]"}]}'] * 5000) + ']}'
        assert len(_json.loads(shallow)["items"]) == 5000
        print("ok")
        """)
    result = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=BINDING),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


def test_a_deep_object_in_a_handler_is_a_decode_error_not_a_recursion_error():
    deep = b'{"metadata":{"name":"x"},"spec":' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    obj = LazyObject(deep)
    assert obj.name == "x"  # the metadata scan stops before the deep part
    with pytest.raises(kubeclient.DecodeError):
        obj["spec"]


# ---- item 11: exit with a blocked handler -----------------------------------------------


def test_the_interpreter_exits_in_bounded_time_when_a_handler_never_returns(server, namespace):
    code = textwrap.dedent(f"""\
        import threading, kubeclient
        from kubeclient import informer as informer_module
        from kubeclient.informer import InformerFactory
        informer_module.EXIT_TIMEOUT = 1.0
        client = kubeclient.Client(kubeclient.Config.load({server.kubeconfig!r}))
        factory = InformerFactory(client)
        configmaps = factory.informer("v1", "configmaps", {namespace!r})
        entered = threading.Event()

        def stuck_forever(obj, is_initial_list):
            entered.set()
            threading.Event().wait()  # never returns

        configmaps.add_handler(on_add=stuck_forever)
        factory.start()
        client.resource("v1", "configmaps", namespace={namespace!r}).create(
            {{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {{"name": "stuck"}}}})
        assert entered.wait(30), "the handler never ran"
        print("handler blocked", flush=True)
        """)
    # The timeout is the hang guard: an exit that waited for the stuck handler never comes.
    result = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=BINDING),
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "handler blocked", result.stderr[-2000:]
    assert result.returncode == 0, result.stderr[-2000:]
    # It says what it abandoned: the informer and the handler still running.
    assert "exiting without stopping an informer factory" in result.stderr, result.stderr[-2000:]
    assert f"v1 configmaps in namespace {namespace}" in result.stderr
    assert "stuck_forever for" in result.stderr


def test_exit_with_informers_that_stop_is_quiet(server, namespace):
    code = textwrap.dedent(f"""\
        import kubeclient
        from kubeclient.informer import InformerFactory
        client = kubeclient.Client(kubeclient.Config.load({server.kubeconfig!r}))
        factory = InformerFactory(client)
        factory.informer("v1", "configmaps", {namespace!r}).add_handler(on_add=lambda o, i: None)
        factory.start()
        assert factory.wait_for_sync(timeout=30)
        print("synced", flush=True)
        """)
    result = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=BINDING),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "synced", result.stderr[-2000:]
    assert "abandoned" not in result.stderr


# ---- item 12: bounded watch queue ----------------------------------------------------------


@pytest.fixture
def fast_client(server) -> Iterator[kubeclient.Client]:
    """Without the client-side rate limit: the tests create hundreds of objects."""
    with kubeclient.Client(kubeclient.Config.load(server.kubeconfig), qps=-1) as c:
        yield c


def test_a_slow_watch_consumer_keeps_the_queue_bounded_and_loses_nothing(fast_client, namespace):
    cms = fast_client.resource("v1", "configmaps", namespace=namespace)
    with cms.watch(queue_size=10) as watch:
        for i in range(200):
            cms.create(configmap(f"cm-{i:03}"))
        # The library thread fills the queue and then waits for room.
        assert eventually(lambda: watch._queue.producer_waiting)
        assert watch.queued == 10
        names = []
        for event in watch:
            assert watch.queued <= 10
            names.append(event.object["metadata"]["name"])
            if len(names) == 200:
                break
    assert names == [f"cm-{i:03}" for i in range(200)]  # all of them, in order


def test_watch_close_works_while_the_library_thread_waits_for_room(fast_client, namespace):
    cms = fast_client.resource("v1", "configmaps", namespace=namespace)
    watch = cms.watch(queue_size=2)
    for i in range(20):
        cms.create(configmap(f"cm-{i}"))
    assert eventually(lambda: watch._queue.producer_waiting)
    closer = threading.Thread(target=watch.close)
    closer.start()
    closer.join(timeout=15)
    assert not closer.is_alive(), "close() hung while the watch thread waited for room"
    # What was queued before the close can still be read; then iteration ends.
    assert len(list(watch)) <= 2


def test_the_default_watch_queue_bound_is_documented_and_positive(client, namespace):
    from kubeclient.watch import DEFAULT_QUEUE_SIZE
    assert DEFAULT_QUEUE_SIZE == 1000 and "1000" in (kubeclient.Watch.__doc__ or "")
    with client.resource("v1", "configmaps", namespace=namespace).watch() as watch:
        assert watch._queue.maxsize == DEFAULT_QUEUE_SIZE
    with pytest.raises(ValueError):
        client.resource("v1", "configmaps", namespace=namespace).watch(queue_size=0)


def test_a_watch_event_that_nests_too_deeply_raises_decode_error_from_iteration(fake_server):
    # Decoded on the library's watch thread; the consumer gets the DecodeError.
    client, handler = fake_server
    deep = b'{"kind":"ConfigMap","metadata":{"name":"x"},"data":' + b"[" * 1500 + b"]" * 1500 + b"}"
    handler.body = b'{"type":"ADDED","object":' + deep + b"}\n"
    with client.resource("v1", "configmaps", namespace="default").watch() as watch:
        with pytest.raises(kubeclient.DecodeError):
            for _ in watch:
                pass
