"""The Python binding against kubeclient-testserver: every verb, errors, watch, discovery."""
from __future__ import annotations

import threading

import pytest

import kubeclient
from kubeclient import _native


def configmap(name: str, **data: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"suite": "py"}},
            "data": dict(data)}


def test_every_header_function_is_declared_in_the_prototype_table():
    import re
    root = _native._repo_root()
    text = (root / "include/kubeclient.h").read_text()
    declared = set(re.findall(r"KC_EXTERN[^;(]*?\b(kc_\w+)\s*\(", text, re.S))
    assert len(declared) > 30
    assert declared == set(_native.PROTOTYPES)


def test_version_and_library_path():
    assert kubeclient.version() == "0.1.0"
    assert kubeclient.library_path().endswith("libkubeclient.so")


def test_config_load_reads_host_and_namespace(server):
    config = kubeclient.Config.load(server.kubeconfig)
    assert config.host == server.url
    assert config.namespace == "default"
    overridden = kubeclient.Config.load(server.kubeconfig, master="https://127.0.0.1:9", namespace="team")
    assert overridden.host == "https://127.0.0.1:9"
    assert overridden.namespace == "team"
    config.close()
    with pytest.raises(kubeclient.Closed):
        _ = config.host


def test_config_errors_name_the_cause(server, tmp_path):
    with pytest.raises(kubeclient.ConfigError, match="missing-file"):
        kubeclient.Config.load(str(tmp_path / "missing-file"))
    with pytest.raises(kubeclient.ConfigError, match="nope"):
        kubeclient.Config.load(server.kubeconfig, context="nope")
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nclusters: [\n")
    with pytest.raises(kubeclient.ConfigError):
        kubeclient.Config.load(str(bad))


def test_in_cluster_fails_outside_a_pod(monkeypatch):
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    with pytest.raises(kubeclient.ConfigError):
        kubeclient.Config.in_cluster()


def test_create_get_update_delete(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    created = cms.create(configmap("one", key="1"))
    assert created["metadata"]["namespace"] == namespace
    fetched = cms.get("one")
    fetched["data"]["key"] = "2"
    updated = cms.update(fetched)
    assert updated["data"]["key"] == "2"
    with pytest.raises(kubeclient.Conflict) as conflict:
        cms.update(created)  # stale resourceVersion
    assert conflict.value.http_code == 409
    assert cms.delete("one")["kind"] in ("Status", "ConfigMap")
    with pytest.raises(kubeclient.NotFound):
        cms.get("one")


def test_not_found_carries_status_reason_and_message(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    with pytest.raises(kubeclient.NotFound) as info:
        cms.get("missing")
    error = info.value
    assert isinstance(error, LookupError) and isinstance(error, kubeclient.ApiError)
    assert error.http_code == 404
    assert error.reason == "NotFound"
    assert "missing" in error.message
    assert error.status == 1


def test_create_accepts_yaml_text(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    created = cms.create("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  k: v\n")
    assert created["data"] == {"k": "v"}
    with pytest.raises(kubeclient.DecodeError):
        cms.create("kind: [")


def test_already_exists(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    cms.create(configmap("dup"))
    with pytest.raises(kubeclient.AlreadyExists):
        cms.create(configmap("dup"))


def test_patch_types(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    cms.create(configmap("p", a="1"))
    assert cms.patch("p", {"data": {"b": "2"}})["data"] == {"a": "1", "b": "2"}
    assert cms.patch("p", [{"op": "remove", "path": "/data/a"}], type="json")["data"] == {"b": "2"}
    assert cms.patch("p", {"data": {"c": "3"}}, type="strategic")["data"]["c"] == "3"
    with pytest.raises(ValueError):
        cms.patch("p", {}, type="bogus")


def test_server_side_apply_and_force(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    applied = cms.apply("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  k: mine\n",
                        field_manager="py-a")
    assert applied["data"]["k"] == "mine"
    body = configmap("ssa", k="theirs")
    with pytest.raises(kubeclient.Conflict):
        cms.apply(body, field_manager="py-b")
    assert cms.apply(body, field_manager="py-b", force=True)["data"]["k"] == "theirs"


def test_update_status(client, namespace):
    deployments = client.resource("apps/v1", "deployments", namespace=namespace)
    deployment = deployments.create({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}})
    deployment["status"] = {"replicas": 1, "readyReplicas": 1}
    assert deployments.update_status(deployment)["status"]["readyReplicas"] == 1


def test_list_pages_list_all_and_delete_collection(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    for i in range(7):
        cms.create(configmap(f"item-{i}"))
    page = cms.list(limit=3)
    assert len(page["items"]) == 3 and page["metadata"].get("continue")
    rest = cms.list(limit=3, continue_token=page["metadata"]["continue"])
    assert len(rest["items"]) == 3
    assert len(cms.list_all(page_size=2)["items"]) == 7
    assert len(cms.list(label_selector="suite=py")["items"]) == 7
    assert len(cms.list(field_selector="metadata.name=item-4")["items"]) == 1
    all_namespaces = client.resource("v1", "configmaps").list_all()
    assert len(all_namespaces["items"]) >= 7
    cms.delete_collection(label_selector="suite=py")
    assert cms.list()["items"] == []


def test_watch_iterates_and_stops(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    with cms.watch() as watch:
        cms.create(configmap("w1"))
        cms.create(configmap("w2"))
        names = []
        for event in watch:
            assert event.type == "ADDED"
            names.append(event.object["metadata"]["name"])
            if len(names) == 2:
                watch.stop()
        assert names == ["w1", "w2"]


def test_watch_ends_when_the_server_times_out(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    # Nothing changes in the namespace: only the server's timeout ends the watch.
    with cms.watch(timeout_seconds=1) as watch:
        assert list(watch) == []


def test_watch_can_be_stopped_from_another_thread(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    watch = cms.watch()
    timer = threading.Timer(0.3, watch.stop)
    timer.start()
    assert list(watch) == []
    watch.close()
    watch.close()  # idempotent


def test_watch_failure_is_raised_by_iteration(client, namespace):
    with client.resource("v1", "nosuchresources", namespace=namespace).watch() as watch:
        with pytest.raises(kubeclient.NotFound):
            list(watch)


def test_watch_from_resource_version_replays(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    rv = cms.list()["metadata"]["resourceVersion"]
    cms.create(configmap("after"))
    with cms.watch(resource_version=rv) as watch:
        event = watch.next(timeout=10)
        assert event is not None and event.object["metadata"]["name"] == "after"


def test_discovery(client):
    assert client.server_version()["gitVersion"].startswith("v")
    groups = [g["name"] for g in client.server_groups()["groups"]]
    assert "" in groups and "apps" in groups
    resources = {r["name"]: r for r in client.server_resources("apps/v1")["resources"]}
    assert resources["deployments"]["kind"] == "Deployment"
    assert resources["deployments"]["namespaced"] is True
    preferred = client.preferred_resources()
    names = {r["name"] for lst in preferred for r in lst["resources"]}
    assert {"pods", "deployments", "namespaces"} <= names
    client.invalidate_discovery()


def test_apply_manifest_text_and_path(client, namespace, tmp_path):
    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m1\ndata:\n  a: '1'\n---\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m2\n")
    applied = client.apply_manifest(text, namespace=namespace)
    assert [o["metadata"]["name"] for o in applied] == ["m1", "m2"]
    path = tmp_path / "one.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m3\n")
    assert client.apply_manifest(str(path), namespace=namespace)[0]["metadata"]["name"] == "m3"
    assert client.apply_manifest(path, namespace=namespace)[0]["metadata"]["namespace"] == namespace
    with pytest.raises(kubeclient.DecodeError):
        client.apply_manifest("kind: [", namespace=namespace)


def test_raw_request(client):
    response = client.request("GET", "/version")
    assert response.status_code == 200 and response.json()["major"]
    missing = client.request("GET", "/api/v1/namespaces/nope")
    assert missing.status_code == 404 and missing.json()["reason"] == "NotFound"
    with pytest.raises(kubeclient.InvalidArgument):
        client.request("GET", "no-slash")


def test_transport_error_is_not_an_api_error(server):
    config = kubeclient.Config.load(server.kubeconfig, master="https://127.0.0.1:9")
    with kubeclient.Client(config, timeout=5) as client:
        with pytest.raises(kubeclient.TransportError) as info:
            client.resource("v1", "namespaces").list()
        assert not isinstance(info.value, kubeclient.ApiError)
        assert info.value.http_code == 0


def test_forbidden_for_the_read_only_user(server):
    with kubeclient.Client(kubeclient.Config.load(server.kubeconfig, context="read-only")) as client:
        client.resource("v1", "namespaces").list()
        with pytest.raises(kubeclient.Forbidden) as info:
            client.resource("v1", "configmaps", namespace="default").create(configmap("x"))
        assert info.value.http_code == 403


def test_closed_client_raises(server):
    client = kubeclient.Client(kubeclient.Config.load(server.kubeconfig))
    client.close()
    with pytest.raises(kubeclient.Closed):
        client.server_version()
    client.close()


def test_clients_are_usable_from_many_threads(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    errors = []

    def work(i: int) -> None:
        try:
            cms.create(configmap(f"t-{i}"))
            cms.get(f"t-{i}")
            try:
                cms.get(f"absent-{i}")
            except kubeclient.NotFound:
                pass
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(cms.list()["items"]) == 8


def test_exception_table_covers_every_status():
    from kubeclient.errors import STATUS_TO_EXCEPTION
    assert sorted(STATUS_TO_EXCEPTION) == list(range(1, 18))
    assert issubclass(kubeclient.Timeout, TimeoutError)
    assert issubclass(kubeclient.Invalid, kubeclient.ApiError)


def _python(code: str, **env: str):
    import os
    import subprocess
    import sys
    from pathlib import Path
    environment = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]), **env)
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60)


def test_interpreter_exits_cleanly_with_an_open_watch(server):
    result = _python("import kubeclient\n"
                     f"c = kubeclient.Client(kubeclient.Config.load({server.kubeconfig!r}))\n"
                     "w = c.resource('v1', 'configmaps').watch()\n"
                     "print('started')\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_a_missing_library_fails_loudly_at_import():
    result = _python("import kubeclient", KUBECLIENT_LIBRARY="/nonexistent/libkubeclient.so")
    assert result.returncode != 0
    assert "libkubeclient.so not found" in result.stderr and "KUBECLIENT_LIBRARY" in result.stderr
