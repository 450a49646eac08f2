"""Issue 12: write options (dry_run, field_manager, field_validation) on create, update, patch
and apply, against the test server."""
from __future__ import annotations

import pytest

import kubeclient


def configmap(name: str, data: dict, **extra) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data, **extra}


def managers(obj: dict) -> list:
    return [entry.get("manager") for entry in obj["metadata"].get("managedFields") or []]


def test_a_dry_run_create_returns_the_object_and_stores_nothing(client, namespace):
    configmaps = client.resource("v1", "configmaps", namespace)
    answer = configmaps.create(configmap("dry", {"a": "1"}), dry_run=True)
    assert answer["metadata"]["name"] == "dry"
    with pytest.raises(kubeclient.NotFound):
        configmaps.get("dry")


def test_dry_run_update_patch_and_apply_leave_the_stored_object_alone(client, namespace):
    configmaps = client.resource("v1", "configmaps", namespace)
    stored = configmaps.create(configmap("kept", {"a": "1"}))
    stored["data"]["a"] = "2"
    assert configmaps.update(stored, dry_run=True)["data"]["a"] == "2"
    assert configmaps.patch("kept", {"data": {"a": "3"}}, dry_run=True)["data"]["a"] == "3"
    assert configmaps.patch("kept", {"data": {"a": "4"}}, "merge", dry_run=True)["data"]["a"] == "4"
    assert configmaps.apply(configmap("kept", {"a": "5"}), field_manager="py", force=True,
                            dry_run=True)["data"]["a"] == "5"
    assert configmaps.get("kept")["data"]["a"] == "1"
    # Without options the verbs write as before.
    assert configmaps.patch("kept", {"data": {"a": "6"}})["data"]["a"] == "6"
    assert configmaps.get("kept")["data"]["a"] == "6"


def test_the_field_manager_of_a_create_and_an_apply_shows_in_managed_fields(client, namespace):
    configmaps = client.resource("v1", "configmaps", namespace)
    created = configmaps.create(configmap("managed", {"a": "1"}), field_manager="py-write-options")
    assert "py-write-options" in managers(created)
    assert "py-write-options" in managers(configmaps.get("managed"))
    applied = configmaps.apply(configmap("applied", {"a": "1"}), field_manager="py-apply")
    assert "py-apply" in managers(applied)


def test_strict_field_validation_refuses_unknown_fields_with_400(client, namespace):
    configmaps = client.resource("v1", "configmaps", namespace)
    body = configmap("strict", {"a": "1"}, spec={"foo": 1})
    with pytest.raises(kubeclient.ApiError) as raised:
        configmaps.create(body, field_validation="Strict")
    assert raised.value.http_code == 400
    assert raised.value.reason == "BadRequest"
    assert 'strict decoding error: unknown field "spec"' in str(raised.value)
    with pytest.raises(kubeclient.ApiError, match='unknown field "spec"'):
        configmaps.apply(body, field_manager="py", field_validation="Strict")
    # Ignore (like the server default, Warn) stores the object.
    stored = configmaps.create(body, field_validation="Ignore")
    assert stored["metadata"]["name"] == "strict"
    stored["metadata"]["bogus"] = True
    with pytest.raises(kubeclient.ApiError, match='unknown field "metadata.bogus"'):
        configmaps.update(stored, field_validation="Strict")
    with pytest.raises(kubeclient.ApiError, match='unknown field "metadata.foo"'):
        configmaps.patch("strict", {"metadata": {"foo": 1}}, "merge", field_validation="Strict")


def test_a_misspelled_field_validation_is_refused_before_any_request(client, namespace):
    configmaps = client.resource("v1", "configmaps", namespace)
    with pytest.raises(ValueError, match="field_validation must be one of"):
        configmaps.create(configmap("x", {}), field_validation="strict")
    with pytest.raises(ValueError):
        configmaps.apply(configmap("x", {}), field_validation="Loose")


def test_write_options_are_keyword_only(client, namespace):
    configmaps = client.resource("v1", "configmaps", namespace)
    with pytest.raises(TypeError):
        configmaps.create(configmap("x", {}), True)  # type: ignore[misc]
