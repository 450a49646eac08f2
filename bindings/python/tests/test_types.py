"""Type hints: kubeclient.models, typed Resource / Informer / LazyObject, ``kubeclient-gen --python``.

The mypy tests run mypy --strict once over three kinds of snippet: code that must pass (typed
get/list/informer lookups, a CRD's generated model, old untyped code), code that must fail at
exactly the marked lines (a positive control: a checker that accepted everything would pass the
first kind alone), and the CRD sample objects of Tests/KubeCRDTests written as literals of their
generated TypedDicts. The other tests check what holds at run time: nothing is converted, the
models are real TypedDicts, and ``import kubeclient`` does not load them.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path
from typing import Dict, List

import pytest

import kubeclient
from kubeclient.lazyobject import LazyObject

BINDING = Path(__file__).resolve().parents[1]
ROOT = BINDING.parents[1]
SCRIPTS = ROOT / "scripts"
CRD_TESTS = ROOT / "Tests" / "KubeCRDTests"

GOOD = '''
from typing import Any, Dict, List, Optional

from typing_extensions import TypedDict, assert_type

import kubeclient
from kubeclient.informer import Informer, InformerFactory, LazyObject
from kubeclient.models import ObjectList, PartialObjectMetadata
from kubeclient.models.apps_v1 import Deployment
from kubeclient.models.core_v1 import ConfigMap, Container, Pod, PodList
from samplecrd_v1 import Network

API = "example.com/v1"


def built_in(client: kubeclient.Client) -> None:
    pods = client.resource("v1", "pods", namespace="default")
    assert_type(pods, kubeclient.Resource[Pod])
    pod = pods.get("web")
    assert_type(pod["spec"]["containers"][0]["image"], str)
    listed = pods.list()
    assert_type(listed, ObjectList[Pod])
    assert_type(listed["items"][0]["metadata"].get("labels", {}), Dict[str, str])
    as_generated: PodList = listed  # the generated list type and ObjectList[Pod] are the same type
    again: ObjectList[Pod] = as_generated
    container: Container = {"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}
    pods.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {"containers": [container]}})
    assert_type(client.resource("apps/v1", "deployments").get("d")["spec"].get("replicas"), Optional[int])
    assert_type(pods.in_namespace("other"), kubeclient.Resource[Pod])
    with pods.watch(timeout_seconds=1) as events:
        for event in events:
            assert_type(event, kubeclient.WatchEvent[Pod])
            assert_type(event.object["metadata"].get("name"), Optional[str])


def custom(client: kubeclient.Client) -> None:
    networks = client.resource("samplecrd.k8s.io/v1", "networks", "default", model=Network)
    assert_type(networks.get("n")["spec"]["cidr"], str)
    dynamic = client.resource(API, "things")
    assert_type(dynamic.get("x"), Dict[str, Any])
    assert_type(dynamic.list()["items"], List[Dict[str, Any]])


def informers(factory: InformerFactory) -> None:
    configmaps = factory.informer("v1", "configmaps", "default")
    assert_type(configmaps, Informer[ConfigMap])
    assert_type(configmaps.get("default/x"), Optional[ConfigMap])
    assert_type(configmaps.list(), List[ConfigMap])

    @configmaps.on_update
    def changed(old: LazyObject[ConfigMap], new: LazyObject[ConfigMap]) -> None:
        if old.resource_version != new.resource_version:
            assert_type(new.typed.get("data", {}), Dict[str, str])

    def untyped(obj: LazyObject, initial: bool) -> None:  # written before typed informers: still fine
        print(obj.key, obj["metadata"])

    configmaps.add_handler(untyped)
    configmaps.add_handler(lambda obj, initial: print(obj.typed["metadata"].get("name")))
    configmaps.add_handler(on_add=lambda obj, initial: print(obj["data"]), lazy=False)
    with configmaps.add_pull() as registration:
        event = registration.next_event()
        if event is not None:
            assert_type(event.object.typed.get("data", {}), Dict[str, str])
    deployments = factory.informer("apps/v1", "deployments")
    assert_type(deployments, Informer[Deployment])
    assert_type(factory.informer("v1", "pods", metadata_only=True), Informer[PartialObjectMetadata])
    assert_type(factory.informer(API, "things"), Informer[Dict[str, Any]])
    assert_type(factory.informer("samplecrd.k8s.io/v1", "networks", model=Network).list(), List[Network])


async def pulled(informer: Informer[ConfigMap]) -> None:
    async for event in informer.events():
        assert_type(event.object, LazyObject[ConfigMap])


def old_style(client: kubeclient.Client, obj: LazyObject) -> Dict[str, Any]:
    resource: kubeclient.Resource = client.resource("v1", "configmaps")
    found: Dict[str, Any] = client.resource(API, "things").get("x")
    print(resource.get("x")["anything"], obj.to_dict())
    return found
'''

# Each line marked "# E" must get an error, and no other line.
BAD = '''
import kubeclient
from kubeclient.informer import InformerFactory, LazyObject
from kubeclient.models.core_v1 import ConfigMap, Container, Pod
from samplecrd_v1 import Network


def wrong_type(client: kubeclient.Client) -> int:
    pod = client.resource("v1", "pods").get("web")
    return pod["spec"]["containers"][0]["image"]  # E
def misspelled(client: kubeclient.Client) -> None:
    print(client.resource("v1", "pods").get("web")["spec"]["containerz"])  # E
def wrong_value() -> None:
    container: Container = {"name": "web", "ports": [{"containerPort": "80"}]}  # E
def missing_required() -> None:
    container: Container = {"image": "nginx"}  # E
def wrong_model(factory: InformerFactory) -> None:
    def handler(obj: LazyObject[Pod], initial: bool) -> None: ...
    factory.informer("v1", "configmaps").add_handler(handler)  # E
def wrong_crd_field(client: kubeclient.Client) -> None:
    network: Network = {"spec": {"cidr": 10}}  # E
'''


def _mypy(cwd: Path, files: List[str]) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy", reason="mypy is installed by scripts/setup.sh")
    env = dict(os.environ, MYPYPATH=f"{BINDING}{os.pathsep}{cwd}")
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cwd / ".mypy_cache"),
                           "--hide-error-context", "--no-error-summary", *files],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _generate_crds(out: Path) -> List[str]:
    """kubeclient-gen crd --python over the CRDs of Tests/KubeCRDTests (plus the sample network)."""
    pytest.importorskip("yaml", reason="PyYAML reads the YAML CRDs (scripts/setup.sh installs it)")
    crds = sorted(str(p) for p in (CRD_TESTS / "CRDs").iterdir() if p.suffix in (".yaml", ".json"))
    network = out / "network.json"
    network.write_text(json.dumps(_NETWORK_CRD))
    result = subprocess.run([sys.executable, str(SCRIPTS / "kubeclient-gen"), "crd", "--python", "--out", str(out),
                             str(network), *crds], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return sorted(p.name for p in out.glob("*.py"))


_NETWORK_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "networks.samplecrd.k8s.io"},
    "spec": {"group": "samplecrd.k8s.io", "scope": "Namespaced",
             "names": {"plural": "networks", "singular": "network", "kind": "Network", "listKind": "NetworkList"},
             "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                 "type": "object", "properties": {
                     "spec": {"type": "object", "properties": {
                         "cidr": {"type": "string"}, "gateway": {"type": "string"}}},
                     "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}}}]},
}


# Samples that leave their schema on purpose (they test the Swift models' tolerance), with the
# mypy error codes that therefore must be reported on their line, and only those.
DEVIATING_SAMPLES = {
    # enum values the schema does not list (Literal types refuse them; Swift keeps them as unknown cases)
    "certificate.json": {"list-item", "typeddict-item"},
    # keys an x-kubernetes-preserve-unknown-fields object keeps: a TypedDict cannot allow extra keys
    # until type checkers support PEP 728 (extra_items); mypy 2.4 does not
    "release.json": {"typeddict-unknown-key"},
}


def _samples_module(generated: List[str]) -> str:
    """Every sample object of Tests/KubeCRDTests/Samples as a literal of its generated TypedDict."""
    modules = {name[:-3] for name in generated}
    lines = []
    for index, path in enumerate(sorted((CRD_TESTS / "Samples").glob("*.json"))):
        sample = json.loads(path.read_text())
        group, _, version = sample["apiVersion"].rpartition("/")
        module = next(m for m in sorted(modules) if m.endswith("_" + version.lower()) and
                      m.startswith(group.split(".")[0].replace("-", "_")))
        lines.append(f"import {module}")
        lines.append(f"sample_{index}: {module}.{sample['kind']} = {sample!r}  # {path.name}")
    return "\n".join(lines) + "\n"


def test_mypy_accepts_typed_code_and_reports_each_type_error(tmp_path: Path) -> None:
    generated = _generate_crds(tmp_path)
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "samples.py").write_text(_samples_module(generated))
    result = _mypy(tmp_path, ["good.py", "bad.py", "samples.py", *generated])
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    expected = {i + 1 for i, line in enumerate(BAD.splitlines()) if line.endswith("# E")}
    reported = {int(m.group(1)) for line in errors if (m := re.match(r"bad\.py:(\d+):", line))}
    samples = (tmp_path / "samples.py").read_text().splitlines()
    deviations = {name: set() for name in DEVIATING_SAMPLES}
    elsewhere = []
    for line in errors:
        m = re.match(r"samples\.py:(\d+):.*\[([a-z-]+)\]$", line)
        sample = samples[int(m.group(1)) - 1].rpartition("# ")[2] if m else ""
        if m and m.group(2) in DEVIATING_SAMPLES.get(sample, ()):
            deviations[sample].add(m.group(2))
        elif not line.startswith("bad.py:"):
            elsewhere.append(line)
    assert elsewhere == [], "\n".join(elsewhere)
    assert reported == expected, result.stdout
    assert deviations == DEVIATING_SAMPLES, result.stdout
    assert result.returncode == 1


def test_lazy_object_typed_is_the_object_itself() -> None:
    obj: LazyObject[Dict[str, int]] = LazyObject(b'{"a": 1}')
    assert obj.typed is obj
    assert not obj.is_decoded


def test_the_models_are_typeddicts_whose_hints_resolve() -> None:
    from kubeclient.models import ObjectList, apps_v1, core_v1
    from kubeclient.models import meta_v1
    assert core_v1.Container.__required_keys__ == frozenset({"name"})
    assert core_v1.PodList.__required_keys__ == frozenset({"items"})
    assert ObjectList.__required_keys__ == frozenset({"items"})
    assert typing.get_type_hints(core_v1.Pod)["spec"] is core_v1.PodSpec
    assert "continue" in typing.get_type_hints(meta_v1.ListMeta)
    assert core_v1.Pod(metadata={"name": "x"}) == {"metadata": {"name": "x"}}  # a plain dict
    for module in (core_v1, apps_v1):
        for value in vars(module).values():
            if isinstance(value, type) and typing.is_typeddict(value):
                typing.get_type_hints(value)  # every forward reference resolves


def test_importing_kubeclient_loads_no_model() -> None:
    code = ("import sys, kubeclient, kubeclient.informer, kubeclient.controller, kubeclient.events; "
            "print(sorted(m for m in sys.modules if m.startswith('kubeclient.models')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=BINDING, timeout=60,
                            env=dict(os.environ, PYTHONPATH=str(BINDING)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_generated_models_are_those_the_generator_writes() -> None:
    sys.path.insert(0, str(SCRIPTS))
    try:
        from kubegen import python_types, swift_models
    finally:
        sys.path.remove(str(SCRIPTS))
    definitions, discovery = swift_models.load_inputs()
    files = python_types.generate_builtin(definitions, discovery, None)
    stale = [path for path, text in files.items() if (ROOT / path).read_text() != text]
    assert stale == [], "regenerate: scripts/kubeclient-gen builtin --python --out ."
    committed = {str(p.relative_to(ROOT)) for p in (BINDING / "kubeclient" / "models").glob("*.py*")}
    assert committed - set(files) == {"bindings/python/kubeclient/models/__init__.py"}


def test_a_typed_resource_returns_the_dicts_the_server_sent(client: kubeclient.Client, namespace: str) -> None:
    from kubeclient.models.core_v1 import ConfigMap
    configmaps = client.resource("v1", "configmaps", namespace, model=ConfigMap)
    created = configmaps.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "typed"},
                                 "data": {"k": "v"}})
    assert type(created) is dict and created["data"] == {"k": "v"}
    assert type(configmaps.get("typed")) is dict
    assert configmaps.in_namespace(namespace).model is ConfigMap
    assert [c["metadata"]["name"] for c in configmaps.list()["items"]] == ["typed"]


def test_the_crd_generator_is_deterministic(tmp_path: Path) -> None:
    first = tmp_path / "a"
    second = tmp_path / "b"
    first.mkdir()
    second.mkdir()
    names = _generate_crds(first)
    assert names == _generate_crds(second)
    for name in names:
        assert (first / name).read_text() == (second / name).read_text()
    network = (first / "samplecrd_v1.py").read_text()
    assert "class Network(TypedDict, total=False):" in network
    assert "spec: \"NetworkSpec\"" in network and "items: Required[list[\"Network\"]]" in network


def test_pyright_agrees(tmp_path: Path) -> None:
    """The same snippets under pyright (standard mode), when one is installed: it is not in the
    test venv (basedpyright with its Node.js is ~300 MB), so this runs where a developer has it
    on PATH (pip install basedpyright) or names it in $KUBECLIENT_PYRIGHT. Required keys read with
    [] are allowed here as mypy allows them (pyright's reportTypedDictNotRequiredAccess, see
    kubeclient/models/__init__.py)."""
    pyright = os.environ.get("KUBECLIENT_PYRIGHT") or shutil.which("basedpyright") or shutil.which("pyright")
    if not pyright:
        pytest.skip("no pyright on PATH (pip install basedpyright, or set KUBECLIENT_PYRIGHT)")
    generated = _generate_crds(tmp_path)
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "pyrightconfig.json").write_text(json.dumps({
        "typeCheckingMode": "standard", "extraPaths": [str(BINDING)], "include": ["good.py", "bad.py", *generated],
        "reportTypedDictNotRequiredAccess": False}))
    result = subprocess.run([pyright, "--outputjson"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    diagnostics = json.loads(result.stdout)["generalDiagnostics"]
    errors = [(Path(d["file"]).name, d["range"]["start"]["line"] + 1) for d in diagnostics if d["severity"] == "error"]
    expected = {("bad.py", i + 1) for i, line in enumerate(BAD.splitlines()) if line.endswith("# E")}
    assert set(errors) == expected, errors


def test_any_crd_schema_gives_python_that_imports_and_type_checks(tmp_path: Path) -> None:
    """Randomized, with the schemas of scripts/kubegen/tests/test_random_schemas.py (odd names,
    keywords, unions, enums of odd strings, nesting): every generated module imports (real
    TypedDicts whose hints resolve) and passes mypy --strict. KUBECLIENT_TEST_SEED=<n> replays one."""
    sys.path.insert(0, str(SCRIPTS))
    try:
        import random

        from kubegen import python_types
        from kubegen.crd import CRDVersion
        from kubegen.schema import Diagnostics
        from kubegen.tests.test_random_schemas import random_schema
    finally:
        sys.path.remove(str(SCRIPTS))
    seed = int(os.environ.get("KUBECLIENT_TEST_SEED", "15"))
    rng = random.Random(seed)
    versions = {}
    for i in range(40):
        kind = f"Kind{i}"
        version = CRDVersion(group=f"g{i % 7}.example.com", version=rng.choice(["v1", "v1beta1"]), kind=kind,
                             list_kind=f"{kind}List", plural=f"kind{i}s", singular=kind.lower(),
                             namespaced=rng.random() < 0.5, schema=random_schema(rng, 0), storage=True,
                             source=f"random-{seed}.yaml")
        versions.setdefault((version.group, version.version, kind), version)
    files = python_types.generate_crds(list(versions.values()), Diagnostics(stream=None), None)
    assert files == python_types.generate_crds(list(versions.values()), Diagnostics(stream=None), None)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    modules = [name[:-3] for name in sorted(files)]
    check = ("import importlib, sys, typing\n"
             f"for name in {modules!r}:\n"
             "    module = importlib.import_module(name)\n"
             "    for value in vars(module).values():\n"
             "        if isinstance(value, type) and typing.is_typeddict(value):\n"
             "            typing.get_type_hints(value)\n")
    imported = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                              env=dict(os.environ, PYTHONPATH=f"{BINDING}{os.pathsep}{tmp_path}"))
    assert imported.returncode == 0, f"seed {seed}: {imported.stderr[-3000:]}"
    result = _mypy(tmp_path, sorted(files))
    assert result.returncode == 0, f"seed {seed}: {result.stdout[-6000:]}"
