"""LazyObject (what informer handlers receive) without a server: it reads like the dict
json.loads makes of the same bytes, answers key/name/namespace/resourceVersion without a
full decode, decodes top-level members only up to the one asked for, and fails loudly where
a dict would be needed."""
from __future__ import annotations

import copy
import json
import pickle
import threading
from collections.abc import Mapping
from typing import Any, Dict, List

import pytest

import kubeclient

from kubeclient.lazyobject import LazyObject

POD: Dict[str, Any] = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "web-1", "generateName": "web-", "namespace": "team-a", "uid": "u-1",
                 "resourceVersion": "42", "labels": {"name": "not-the-name", "namespace": "nor-this"},
                 "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:metadata": {"f:name": {}}}}]},
    "spec": {"containers": [{"name": "c", "image": "nginx", "args": ["\"metadata\":{\"name\":\"x\"}"]}]},
    "status": {"phase": "Running"},
}

# The same object, and some harder ones, as bytes: compact, spaced, escaped, reordered.
DOCUMENTS: List[bytes] = [
    json.dumps(POD, separators=(",", ":")).encode(),
    json.dumps(POD, indent=2).encode(),
    json.dumps(POD, ensure_ascii=False).encode(),
    # metadata after spec, a template with its own metadata first, unicode and escapes
    b'{"spec":{"template":{"metadata":{"name":"tmpl","namespace":"t"}}},"kind":"Deployment",'
    b'"metadata":{"labels":{"a":"\\u00e9"},"name":"d\\u00e9ploiement","namespace":"ns","resourceVersion":"7"}}',
    # cluster-scoped, keys escaped, nested empty containers
    b' { "meta\\u0064ata" : { "name" : "node-1" , "annotations" : { } } , "spec" : [ ] , "x" : null } ',
    # no metadata at all; metadata that is not an object
    b'{"kind":"List","items":[]}',
    b'{"metadata":null,"kind":"X"}',
    b'{}',
]


@pytest.mark.parametrize("raw", DOCUMENTS)
def test_reads_like_the_decoded_dict(raw: bytes) -> None:
    expected = json.loads(raw)
    obj = LazyObject(raw)
    assert isinstance(obj, Mapping) and not isinstance(obj, dict)
    assert obj == expected and expected == obj and not (obj != expected)
    assert dict(obj) == expected and {**obj} == expected and obj.copy() == expected
    assert list(obj) == list(expected) and list(reversed(obj)) == list(reversed(list(expected)))
    assert len(obj) == len(expected) and bool(obj) == bool(expected)
    assert list(obj.keys()) == list(expected.keys())
    assert list(obj.items()) == list(expected.items()) and list(obj.values()) == list(expected.values())
    assert repr(obj) == repr(expected)
    assert obj.raw == raw


@pytest.mark.parametrize("raw", DOCUMENTS)
def test_member_access_decodes_up_to_the_member(raw: bytes) -> None:
    expected = json.loads(raw)
    for key in list(expected) + ["absent"]:
        obj = LazyObject(raw)
        assert obj.get(key, "default") == expected.get(key, "default")
        assert (key in obj) == (key in expected)
        if key in expected:
            assert obj[key] == expected[key]
        else:
            with pytest.raises(KeyError):
                obj[key]
        assert obj == expected  # then the rest


@pytest.mark.parametrize("raw", DOCUMENTS)
def test_metadata_properties_match_the_decoded_object(raw: bytes) -> None:
    expected = json.loads(raw)
    meta = expected.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    for decode_first in (False, True):
        obj = LazyObject(raw)
        if decode_first:
            dict(obj)
        assert obj.name == meta.get("name", "")
        assert obj.namespace == meta.get("namespace", "")
        assert obj.resource_version == meta.get("resourceVersion", "")
        name, namespace = meta.get("name", ""), meta.get("namespace", "")
        assert obj.key == (f"{namespace}/{name}" if namespace else name)


def test_key_needs_no_decode_and_metadata_no_full_decode() -> None:
    raw = DOCUMENTS[0]
    obj = LazyObject(raw)
    assert (obj.key, obj.name, obj.namespace, obj.resource_version) == ("team-a/web-1", "web-1", "team-a", "42")
    assert not obj.is_decoded and obj._partial is None
    assert obj["metadata"]["labels"]["name"] == "not-the-name"
    assert not obj.is_decoded and "spec" not in (obj._partial or {})
    metadata = obj["metadata"]
    assert obj["status"] == {"phase": "Running"} and obj.is_decoded
    assert obj["metadata"] is metadata  # one object throughout
    assert LazyObject(DOCUMENTS[4]).key == "node-1"


def test_equality_between_lazy_objects() -> None:
    compact, spaced = LazyObject(DOCUMENTS[0]), LazyObject(DOCUMENTS[1])
    assert compact == LazyObject(DOCUMENTS[0]) and not compact.is_decoded  # same bytes: bytes compared
    assert compact == spaced  # same value
    assert compact != LazyObject(DOCUMENTS[3])
    assert compact != 42 and compact != [1]
    with pytest.raises(TypeError):
        hash(compact)


def test_dict_only_uses_fail_loudly_and_have_explicit_fixes() -> None:
    obj = LazyObject(DOCUMENTS[0])
    with pytest.raises(TypeError):
        json.dumps(obj)
    with pytest.raises(TypeError):
        obj["kind"] = "Other"  # type: ignore[index]
    assert json.loads(json.dumps(obj.to_dict())) == POD
    assert json.loads(json.dumps(dict(obj))) == POD
    assert json.loads(json.dumps({"wrapped": obj}, default=dict)) == {"wrapped": POD}
    assert obj | {"kind": "Other"} == {**POD, "kind": "Other"}
    assert {"extra": 1} | obj == {"extra": 1, **POD}


def test_to_dict_is_independent_and_copies_round_trip() -> None:
    obj = LazyObject(DOCUMENTS[0])
    mine = obj.to_dict()
    mine["metadata"]["labels"]["changed"] = "yes"
    assert "changed" not in obj["metadata"]["labels"]
    assert pickle.loads(pickle.dumps(obj)) == obj
    assert copy.copy(obj) == obj and copy.deepcopy(obj) == obj


def test_malformed_or_too_deep_bytes_fail_with_decode_error() -> None:
    # DecodeError is a ValueError, as kubeclient.DecodeError is, so `except ValueError` still works.
    for raw in (b'{"metadata":{"name":"x"}', b'{"a":1} trailing', b'{"a":tru}'):
        with pytest.raises(kubeclient.DecodeError):
            dict(LazyObject(raw))
        with pytest.raises(kubeclient.DecodeError):
            LazyObject(raw)["zzz"]
    with pytest.raises(kubeclient.DecodeError):
        LazyObject(b'{"metadata":{"name":"x",}}').key
    deep = b'{"spec":' + b'[' * 100_000 + b']' * 100_000 + b',"metadata":{"name":"x"}}'
    for read in (lambda o: o.key, lambda o: o["metadata"], dict, LazyObject.to_dict):
        with pytest.raises(kubeclient.DecodeError, match="nested too deeply"):
            read(LazyObject(deep))
    with pytest.raises(TypeError):
        dict(LazyObject(b"[1, 2]"))
    with pytest.raises(TypeError):
        LazyObject(b"[1, 2]")["a"]


def test_threads_decoding_one_object_share_one_result() -> None:
    for _ in range(20):
        obj = LazyObject(DOCUMENTS[0])
        seen: List[Any] = []
        barrier = threading.Barrier(8)

        def read(i: int) -> None:
            barrier.wait()
            seen.append(obj["spec"] if i % 2 else obj["metadata"])
            seen.append(obj.key)
            seen.append(dict(obj)["status"])

        threads = [threading.Thread(target=read, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert obj == POD
        assert all(x is obj["spec"] or x is obj["metadata"] or x is obj["status"] or x == "team-a/web-1"
                   for x in seen)
