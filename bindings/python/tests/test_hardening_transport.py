"""Hardening of the transport as Python users meet it: hung exec plugins, header injection,
redacted URLs, TLS material checked up front, dot-segment names (each found from Python)."""
from __future__ import annotations

import os
import textwrap
import threading
from pathlib import Path

import pytest

import kubeclient
from kubeclient import Client, Config


def _kubeconfig(tmp_path: Path, server: str, user: str, cluster_extra: str = "") -> str:
    """A one-context kubeconfig; ``user`` and ``cluster_extra`` are YAML lines of those maps."""
    def indent(text: str, spaces: int) -> str:
        return "".join(" " * spaces + line + "\n" for line in text.splitlines())

    path = tmp_path / "kubeconfig"
    path.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
        "clusters:\n- name: c\n  cluster:\n    server: " + server + "\n" + indent(cluster_extra, 4)
        + "contexts:\n- name: c\n  context: {cluster: c, user: u}\n"
        + "users:\n- name: u\n  user:\n" + indent(user, 4))
    return str(path)


def _hung_plugin(tmp_path: Path) -> str:
    plugin = tmp_path / "plugin.sh"
    plugin.write_text(f"#!/bin/sh\ntouch {tmp_path}/started\nsleep 1000\n")
    plugin.chmod(0o755)
    return textwrap.dedent(f"""\
        exec:
          apiVersion: client.authentication.k8s.io/v1
          command: {plugin}
          interactiveMode: Never
        """)


def _run_bounded(target, seconds: float = 30.0):
    """Runs ``target`` on a thread; returns (finished, result or exception)."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(target())
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    return (not thread.is_alive()), (outcome[0] if outcome else None)


def test_a_hung_exec_plugin_times_out_with_the_request(tmp_path: Path) -> None:
    config = Config.load(_kubeconfig(tmp_path, "https://127.0.0.1:1", _hung_plugin(tmp_path)))
    with Client(config, timeout=1) as client:
        finished, result = _run_bounded(lambda: client.resource("v1", "namespaces").list())
    config.close()
    assert finished, "the request waited for the hung plugin beyond its timeout"
    assert isinstance(result, kubeclient.Timeout), result


def test_client_close_ends_a_request_waiting_for_a_hung_plugin(tmp_path: Path) -> None:
    config = Config.load(_kubeconfig(tmp_path, "https://127.0.0.1:1", _hung_plugin(tmp_path)))
    client = Client(config)
    started = threading.Event()
    outcome: list = []

    def request() -> None:
        started.set()
        try:
            client.resource("v1", "namespaces").list()
        except kubeclient.KubeClientError as error:
            outcome.append(error)

    thread = threading.Thread(target=request, daemon=True)
    thread.start()
    started.wait()
    # The plugin is running once it has touched its marker; closing must not wait for it.
    for _ in range(3000):
        if (tmp_path / "started").exists():
            break
        threading.Event().wait(0.01)
    finished, _ = _run_bounded(client.close)
    assert finished, "Client.close() blocked on the hung plugin"
    thread.join(30)
    assert not thread.is_alive()
    assert outcome and isinstance(outcome[0], (kubeclient.Closed, kubeclient.Cancelled)), outcome
    config.close()


def test_a_token_with_a_line_break_is_refused_and_not_echoed(tmp_path: Path, server) -> None:
    config = Config.load(_kubeconfig(tmp_path, server.url, 'token: "secret\\r\\nX-Evil: 1"\n',
                                     "insecure-skip-tls-verify: true\n"))
    with Client(config) as client, pytest.raises(kubeclient.InvalidArgument) as caught:
        client.resource("v1", "namespaces").list()
    assert "secret" not in str(caught.value)
    config.close()


def test_a_password_in_the_server_url_is_redacted(tmp_path: Path) -> None:
    with Config.load(_kubeconfig(tmp_path, "https://admin:hunter2@127.0.0.1:6443", "token: t\n")) as config:
        assert config.host == "https://admin:xxxxx@127.0.0.1:6443"
        assert "hunter2" not in repr(config)


def test_a_bad_ca_is_refused_when_the_client_is_built(tmp_path: Path) -> None:
    bad = "certificate-authority-data: " + __import__("base64").b64encode(b"not a certificate").decode() + "\n"
    with Config.load(_kubeconfig(tmp_path, "https://127.0.0.1:6443", "token: t\n", bad)) as config:
        with pytest.raises(kubeclient.ConfigError, match="certificate authority"):
            Client(config)


def test_dot_segment_names_are_refused_and_reach_nothing(client) -> None:
    namespace = "tenant-" + os.urandom(4).hex()
    client.resource("v1", "namespaces").create({"apiVersion": "v1", "kind": "Namespace",
                                                "metadata": {"name": namespace}})
    pods = client.resource("v1", "pods", namespace)
    for name in ("..", ".", "a/b"):
        with pytest.raises(kubeclient.InvalidArgument):
            pods.delete(name)
    with pytest.raises(kubeclient.InvalidArgument):
        client.resource("v1", "secrets", "..").list()
    assert client.resource("v1", "namespaces").get(namespace)["metadata"]["name"] == namespace


def test_a_410_error_event_raises_gone_from_watch_iteration(client) -> None:
    configmaps = client.resource("v1", "configmaps", "default")
    start = configmaps.list()["metadata"]["resourceVersion"]
    configmaps.create({"apiVersion": "v1", "kind": "ConfigMap",
                       "metadata": {"name": "gone-" + os.urandom(4).hex()}})
    assert client.request("POST", "/_testserver/faults", {"action": "compact"}).status_code == 200
    seen = []
    with pytest.raises(kubeclient.Gone):
        with configmaps.watch(resource_version=start, timeout_seconds=5) as watch:
            for event in watch:
                seen.append(event)
    assert all(getattr(event, "type", None) != "ERROR" for event in seen)
    # Positive control: from the current resourceVersion the same watch ends quietly.
    current = configmaps.list()["metadata"]["resourceVersion"]
    with configmaps.watch(resource_version=current, timeout_seconds=1) as watch:
        assert list(watch) == []


def test_a_missing_manifest_file_says_file_not_found(client, tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(FileNotFoundError, match="manifest file not found"):
        client.apply_manifest(str(missing))
    with pytest.raises(FileNotFoundError, match="manifest file not found"):
        client.apply_manifest(missing)
    # Positive control: the same file, once written, applies.
    missing.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-file-" + os.urandom(3).hex()
                       + "\n  namespace: default\n")
    assert len(client.apply_manifest(str(missing), field_manager="pytest")) == 1


def test_api_errors_carry_the_status_with_its_causes(client) -> None:
    configmaps = client.resource("v1", "configmaps", "default")
    with pytest.raises(kubeclient.Invalid) as caught:
        configmaps.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "Bad_Name"}})
    error = caught.value
    assert error.http_code == 422
    assert error.api_status is not None and error.api_status["kind"] == "Status"
    assert error.api_status["code"] == 422
    assert any(cause.get("field") == "metadata.name" for cause in error.causes), error.causes
    # Errors without an HTTP answer carry no Status.
    with pytest.raises(kubeclient.InvalidArgument) as local:
        configmaps.get("..")
    assert local.value.api_status is None and local.value.causes == []


def test_python_clients_default_to_kubectls_rate_limit() -> None:
    assert (Client.DEFAULT_QPS, Client.DEFAULT_BURST) == (50.0, 300)
    import inspect
    parameters = inspect.signature(Client.__init__).parameters
    assert parameters["qps"].default == 50.0 and parameters["burst"].default == 300


def test_library_log_lines_reach_python_logging(server, caplog) -> None:
    import logging
    caplog.set_level(logging.WARNING, logger="kubeclient")
    with Config.load(server.kubeconfig) as config, Client(config, qps=0.2, burst=1) as slow:
        slow.resource("v1", "namespaces").get("default")
        slow.resource("v1", "namespaces").get("default")  # waits for the limiter: logged
    lines = [r for r in caplog.records if r.name == "kubeclient" and "client-side throttling" in r.getMessage()]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING


def test_a_resumable_watch_survives_drops_and_410(client) -> None:
    configmaps = client.resource("v1", "configmaps", "default")
    prefix = "resume-" + os.urandom(3).hex()
    configmaps.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": prefix + "-a"}})
    seen: list = []

    def wait_for(kind: str, name: str) -> None:
        for event in watch:
            if event.type != "BOOKMARK" and event.object["metadata"]["name"].startswith(prefix):
                seen.append((event.type, event.object["metadata"]["name"]))
            if (kind, name) in seen:
                return
        raise AssertionError(f"the watch ended before {kind} {name}: {seen}")

    faults = "/_testserver/faults"
    with configmaps.watch(resume=True, timeout_seconds=30) as watch:
        wait_for("ADDED", prefix + "-a")
        assert client.request("POST", faults, {"action": "closeWatches", "abrupt": True}).status_code == 200
        configmaps.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": prefix + "-b"}})
        wait_for("ADDED", prefix + "-b")
        client.request("POST", faults, {"action": "stallWatches", "stalled": True})
        configmaps.delete(prefix + "-a")
        client.request("POST", faults, {"action": "compact"})
        client.request("POST", faults, {"action": "closeWatches", "abrupt": True})
        client.request("POST", faults, {"action": "stallWatches", "stalled": False})
        wait_for("DELETED", prefix + "-a")
    added = [name for kind, name in seen if kind == "ADDED"]
    assert len(added) == len(set(added)), seen


def test_watch_and_informer_factory_close_do_not_wait_for_a_hung_plugin(tmp_path: Path) -> None:
    config = Config.load(_kubeconfig(tmp_path, "https://127.0.0.1:1", _hung_plugin(tmp_path)))
    client = Client(config)
    watch = client.resource("v1", "configmaps", "default").watch()
    from kubeclient.informer import InformerFactory
    factory = InformerFactory(client)
    factory.informer("v1", "configmaps", "default")
    factory.start()
    for _ in range(3000):  # the plugin is running once it has touched its marker
        if (tmp_path / "started").exists():
            break
        threading.Event().wait(0.01)
    assert (tmp_path / "started").exists()
    finished, _ = _run_bounded(watch.close, 30)
    assert finished, "Watch.close() blocked on the hung plugin"
    finished, _ = _run_bounded(factory.close, 30)
    assert finished, "InformerFactory.close() blocked on the hung plugin"
    finished, _ = _run_bounded(client.close, 30)
    assert finished
    config.close()
