"""Issue 12, the Python side: patch(dict) chooses the patch type as the official client does
(a strategic merge patch keeps a deployment's sidecar), and informer listers default to the
informer's namespace with selectors keyword-only."""
from __future__ import annotations

import uuid
from typing import Any, Dict

import pytest

import kubeclient
from kubeclient.client import BUILTIN_GROUPS
from kubeclient.informer import InformerFactory
from waiting import eventually


def deployment(name: str) -> Dict[str, Any]:
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": 1, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "app", "image": "nginx:1.25"},
                                                          {"name": "sidecar", "image": "envoy:1.30"}]}}}}


# ---- patch -------------------------------------------------------------------------------


def test_patching_one_containers_image_keeps_the_sidecar(client, namespace):
    deployments = client.resource("apps/v1", "deployments", namespace=namespace)
    deployments.create(deployment("web"))
    patched = deployments.patch("web", {"spec": {"template": {"spec": {"containers": [
        {"name": "app", "image": "nginx:1.27"}]}}}})
    containers = {c["name"]: c["image"] for c in patched["spec"]["template"]["spec"]["containers"]}
    assert containers == {"app": "nginx:1.27", "sidecar": "envoy:1.30"}


def test_patch_type_overrides_and_a_list_is_a_json_patch(client, namespace):
    deployments = client.resource("apps/v1", "deployments", namespace=namespace)
    deployments.create(deployment("web"))
    # A merge patch, asked for, replaces the list: what the old default silently did.
    merged = deployments.patch("web", {"spec": {"template": {"spec": {"containers": [
        {"name": "app", "image": "nginx:1.27"}]}}}}, patch_type="merge")
    assert [c["name"] for c in merged["spec"]["template"]["spec"]["containers"]] == ["app"]
    replaced = deployments.patch("web", [{"op": "replace", "path": "/spec/replicas", "value": 3}])
    assert replaced["spec"]["replicas"] == 3
    as_text = deployments.patch("web", '[{"op": "replace", "path": "/spec/replicas", "value": 4}]')
    assert as_text["spec"]["replicas"] == 4
    assert deployments.patch("web", {"spec": {"replicas": 5}}, type="merge")["spec"]["replicas"] == 5
    with pytest.raises(ValueError):
        deployments.patch("web", {}, patch_type="bogus")
    with pytest.raises(TypeError):
        deployments.patch("web", {}, patch_type="merge", type="json")


@pytest.mark.parametrize("group_suffix", ["example.com", "k8s.io"])
def test_a_dict_patch_of_a_custom_resource_is_a_merge_patch(client, namespace, group_suffix):
    # "k8s.io" too: custom resources may live in such groups (the samples' samplecrd.k8s.io);
    # there the binding tries a strategic merge patch, gets 415 and sends a merge patch.
    group = f"py{uuid.uuid4().hex[:8]}.{group_suffix}"
    assert group not in BUILTIN_GROUPS
    crds = client.resource("apiextensions.k8s.io/v1", "customresourcedefinitions")
    crds.create({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                 "metadata": {"name": f"widgets.{group}"},
                 "spec": {"group": group, "scope": "Namespaced",
                          "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                          "versions": [{"name": "v1", "served": True, "storage": True, "schema": {
                              "openAPIV3Schema": {"type": "object",
                                                  "x-kubernetes-preserve-unknown-fields": True}}}]}})
    widgets = client.resource(f"{group}/v1", "widgets", namespace=namespace)
    assert eventually(lambda: _served(widgets))
    widgets.create({"apiVersion": f"{group}/v1", "kind": "Widget", "metadata": {"name": "w"},
                    "spec": {"size": 1, "tags": ["a", "b"]}})
    for _ in range(2):  # the second time the client remembers the group takes merge patches
        patched = widgets.patch("w", {"spec": {"size": 2, "tags": ["c"]}})
        assert patched["spec"] == {"size": 2, "tags": ["c"]}
    assert (group in client._merge_patch_groups) == (group_suffix == "k8s.io")


def _served(resource: kubeclient.Resource) -> bool:
    try:
        resource.list()
        return True
    except kubeclient.ApiError:
        return False


# ---- informer listers ---------------------------------------------------------------------


def test_informer_get_and_list_default_to_the_informers_namespace(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    cms.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "labels": {"app": "x"}}})
    cms.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b", "labels": {"app": "y"}}})
    with InformerFactory(client) as factory:
        informer = factory.informer("v1", "configmaps", namespace)
        everywhere = factory.informer("v1", "configmaps")
        factory.start()
        assert factory.wait_for_sync(timeout=30)
        assert informer.namespace == namespace
        assert informer.get("a")["metadata"]["name"] == "a"
        assert informer.get(f"{namespace}/a")["metadata"]["name"] == "a"  # a key works too
        assert informer.get("a", namespace=namespace)["metadata"]["name"] == "a"
        assert informer.get("missing") is None
        assert [o["metadata"]["name"] for o in informer.list(label_selector="app=x")] == ["a"]
        assert sorted(o["metadata"]["name"] for o in informer.list()) == ["a", "b"]
        # An informer of every namespace needs the namespace (or a key) for a namespaced get.
        assert everywhere.get(f"{namespace}/b")["metadata"]["name"] == "b"
        assert everywhere.get("b", namespace=namespace)["metadata"]["name"] == "b"
        assert [o["metadata"]["name"] for o in everywhere.list(namespace, label_selector="app=y")] == ["b"]


def test_informer_misuse_fails_loudly_instead_of_returning_nothing(client, namespace):
    with InformerFactory(client) as factory:
        informer = factory.informer("v1", "configmaps", namespace)
        factory.start()
        assert factory.wait_for_sync(timeout=30)
        with pytest.raises(kubeclient.InvalidArgument, match="label_selector="):
            informer.list("app=x")  # a selector where the namespace goes
        with pytest.raises(TypeError):
            informer.list(namespace, "app=x")  # the selector is keyword-only
        with pytest.raises(TypeError):
            informer.get("a", namespace)  # so is get's namespace: (name, ns) vs C's (ns, name)
        with pytest.raises(kubeclient.InvalidArgument, match="caches namespace"):
            informer.list("other-namespace")
        with pytest.raises(kubeclient.InvalidArgument, match="caches namespace"):
            informer.get("a", namespace="other-namespace")
