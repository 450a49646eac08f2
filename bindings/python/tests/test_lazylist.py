"""``Resource.list(lazy=True)`` / ``list_all(lazy=True)``: items as LazyObjects over bytes the
library split (kc_list_items / kc_list_all_items), against the test server."""
from __future__ import annotations

import gc
import json

import pytest

import kubeclient
from kubeclient.lazyobject import LazyObject


def configmap(name: str, **data: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"suite": "lazy"}},
            "data": dict(data)}


def fill(client: kubeclient.Client, namespace: str, count: int) -> kubeclient.Resource:
    cms = client.resource("v1", "configmaps", namespace=namespace)
    for i in range(count):
        # Escapes and non-ASCII text inside items must survive the split byte for byte.
        cms.create(configmap(f"item-{i}", text=f"line {i}\n\"quoted\" \u00e9\u4e2d \\ {{[", n=str(i)))
    return cms


def test_lazy_items_equal_the_dict_path(client, namespace):
    cms = fill(client, namespace, 5)
    eager = cms.list()
    lazy = cms.list(lazy=True)
    assert isinstance(lazy, dict)
    assert all(isinstance(item, LazyObject) for item in lazy["items"])
    assert [item.to_dict() for item in lazy["items"]] == eager["items"]
    assert [item.key for item in lazy["items"]] == [f"{namespace}/item-{i}" for i in range(5)]
    assert lazy["items"][3]["data"]["text"] == "line 3\n\"quoted\" \u00e9\u4e2d \\ {["
    # The list's own members, decoded as the dict path decodes them.
    assert {k: v for k, v in lazy.items() if k != "items"} == {k: v for k, v in eager.items() if k != "items"}
    assert lazy["metadata"]["resourceVersion"]
    # Each item's raw bytes are exactly one JSON object.
    assert json.loads(lazy["items"][0].raw) == eager["items"][0]


def test_lazy_pages_and_list_all(client, namespace):
    cms = fill(client, namespace, 7)
    page = cms.list(limit=3, lazy=True)
    assert len(page["items"]) == 3 and page["metadata"].get("continue")
    rest = cms.list(limit=3, continue_token=page["metadata"]["continue"], lazy=True)
    assert [item.name for item in rest["items"]] == ["item-3", "item-4", "item-5"]
    everything = cms.list_all(page_size=2, lazy=True)
    assert [item.to_dict() for item in everything["items"]] == cms.list_all(page_size=2)["items"]
    assert not everything["metadata"].get("continue")
    assert everything["metadata"]["resourceVersion"]
    unpaged = cms.list_all(lazy=True)
    assert [item.name for item in unpaged["items"]] == [f"item-{i}" for i in range(7)]
    selected = cms.list(label_selector="suite=lazy", field_selector="metadata.name=item-4", lazy=True)
    assert [item.name for item in selected["items"]] == ["item-4"]


def test_empty_lists(client, namespace):
    cms = client.resource("v1", "configmaps", namespace=namespace)
    for listed in (cms.list(lazy=True), cms.list_all(lazy=True), cms.list_all(page_size=1, lazy=True)):
        assert listed["items"] == []
        assert listed["kind"] == "ConfigMapList"
        assert listed["metadata"]["resourceVersion"]


def test_lazy_items_outlive_their_list(client, namespace):
    cms = fill(client, namespace, 3)
    items = cms.list(lazy=True)["items"]
    gc.collect()  # the list dict and the library's buffers are gone
    assert [item["data"]["n"] for item in items] == ["0", "1", "2"]
    assert items[1].resource_version and items[1].namespace == namespace


def test_errors_are_raised_like_the_dict_path(client, namespace):
    missing = client.resource("v1", "nosuchthings", namespace=namespace)
    with pytest.raises(kubeclient.ApiError) as lazy_error:
        missing.list(lazy=True)
    with pytest.raises(kubeclient.ApiError) as eager_error:
        missing.list()
    assert type(lazy_error.value) is type(eager_error.value)
    assert lazy_error.value.http_code == eager_error.value.http_code == 404
    with pytest.raises(kubeclient.ApiError):
        missing.list_all(lazy=True)
    with pytest.raises(kubeclient.InvalidArgument):
        client.resource("/v1", "configmaps").list(lazy=True)
    with pytest.raises(kubeclient.InvalidArgument):
        client.resource("v1", "configmaps/status", namespace=namespace).list_all(lazy=True)
    with pytest.raises(kubeclient.InvalidArgument):
        client.resource("v1", "configmaps", namespace=namespace).list(limit=-1, lazy=True)
    # A failed call leaves nothing behind: the next one works.
    assert client.resource("v1", "configmaps", namespace=namespace).list(lazy=True)["items"] == []


def test_from_another_thread(client, namespace):
    """Off the main thread the call runs in place (no helper hop); errors still carry their record."""
    import threading
    cms = fill(client, namespace, 2)
    outcome: dict = {}

    def work() -> None:
        outcome["names"] = [item.name for item in cms.list(lazy=True)["items"]]
        try:
            client.resource("v1", "nosuchthings", namespace=namespace).list_all(lazy=True)
        except kubeclient.NotFound as error:
            outcome["code"] = error.http_code

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == {"names": ["item-0", "item-1"], "code": 404}


LAZY_TYPES = '''
from typing import Any, Dict, List, Optional, Union

from typing_extensions import assert_type

import kubeclient
from kubeclient.lazylist import LazyObjectList
from kubeclient.lazyobject import LazyObject
from kubeclient.models import ObjectList
from kubeclient.models.core_v1 import Pod


def typed(client: kubeclient.Client, flag: bool) -> None:
    pods = client.resource("v1", "pods")
    lazy = pods.list(lazy=True)
    assert_type(lazy, LazyObjectList[Pod])
    assert_type(lazy["items"], List[LazyObject[Pod]])
    assert_type(lazy["items"][0].typed["spec"]["containers"][0]["image"], str)
    assert_type(lazy["metadata"].get("resourceVersion"), Optional[str])
    assert_type(pods.list_all(page_size=10, lazy=True), LazyObjectList[Pod])
    assert_type(pods.list(), ObjectList[Pod])
    assert_type(pods.list(lazy=False), ObjectList[Pod])
    assert_type(pods.list_all(lazy=flag), Union[ObjectList[Pod], LazyObjectList[Pod]])
    assert_type(client.resource("example.com/v1", "things").list(lazy=True)["items"],
                List[LazyObject[Dict[str, Any]]])
'''


def test_lazy_lists_type_check(tmp_path):
    """mypy --strict: lazy=True types the items as LazyObject[model]; the default stays ObjectList."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    pytest.importorskip("mypy", reason="mypy is installed by scripts/setup.sh")
    (tmp_path / "lazy_types.py").write_text(LAZY_TYPES)
    binding = Path(__file__).resolve().parents[1]
    env = dict(os.environ, MYPYPATH=str(binding))
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / ".mypy_cache"),
                             "--hide-error-context", "--no-error-summary", "lazy_types.py"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
