"""Issue 12: every example takes --kubeconfig PATH, --master URL and --context NAME, as
client-go's clientcmd.BuildConfigFromFlags(master, kubeconfig) does, and the flags win over
$KUBECONFIG and ~/.kube/config.

One example per language: the Python one always; the C one when built (make -C examples/c)
and the Swift one when built (swift build --product <example>), as in test_network_controller."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Dict, List

import pytest

ROOT = Path(__file__).resolve().parents[3]
LANGUAGES = ["c", "python", "swift"]


def command(language: str, example: str) -> List[str]:
    if language == "python":
        return [sys.executable, str(ROOT / "examples/python" / f"{example}.py")]
    if language == "c":
        binary = ROOT / ".build/examples-c" / example
        hint = "make -C examples/c"
    else:
        binary = next((ROOT / folder / example for folder in (".build/debug", ".build/release")
                       if (ROOT / folder / example).is_file()), ROOT / ".build/debug" / example)
        hint = f"swift build --product {example}"
    if not binary.is_file():
        pytest.skip(f"the {language} example {example} is not built ({hint})")
    return [str(binary)]


@pytest.fixture
def no_default_kubeconfig(tmp_path: Path) -> Dict[str, str]:
    """An environment where neither $KUBECONFIG nor ~/.kube/config leads anywhere: only the
    flags can make an example connect."""
    env = dict(os.environ, KUBECONFIG=str(tmp_path / "does-not-exist"), HOME=str(tmp_path))
    env.pop("KUBERNETES_SERVICE_HOST", None)
    return env


def run(language: str, example: str, args: List[str], env: Dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command(language, example) + args, env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def configmap(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"greeting": "hello"}}


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_kubeconfig_flag_is_used_when_the_environment_leads_nowhere(server, client, namespace, language,
                                                                     no_default_kubeconfig):
    client.resource("v1", "configmaps", namespace).create(configmap("flagged"))
    result = run(language, "configmap_list", ["--kubeconfig", server.kubeconfig, namespace], no_default_kubeconfig)
    assert result.returncode == 0, result.stderr
    assert f"1 configmap(s) in {namespace}" in result.stdout
    assert "greeting: hello" in result.stdout


@pytest.mark.parametrize("language", LANGUAGES)
def test_kubeconfig_flag_wins_over_the_environment(server, client, namespace, language, tmp_path):
    # $KUBECONFIG names a kubeconfig whose server refuses connections.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text(f"""apiVersion: v1
kind: Config
clusters: [{{name: c, cluster: {{server: "https://127.0.0.1:{unused_port()}"}}}}]
users: [{{name: u, user: {{}}}}]
contexts: [{{name: x, context: {{cluster: c, user: u}}}}]
current-context: x
""")
    env = dict(os.environ, KUBECONFIG=str(elsewhere), HOME=str(tmp_path))
    result = run(language, "configmap_list", [f"--kubeconfig={server.kubeconfig}", namespace], env)
    assert result.returncode == 0, result.stderr
    assert f"0 configmap(s) in {namespace}" in result.stdout


@pytest.mark.parametrize("language", LANGUAGES)
def test_context_flag_chooses_the_context(server, client, namespace, language, no_default_kubeconfig):
    # Only the write tells the contexts apart: "read-only" may list but not create.
    name = "ctx-" + uuid.uuid4().hex[:6]
    common = ["--kubeconfig", server.kubeconfig]
    refused = run(language, "deployment_create", common + ["--context", "read-only", name, namespace],
                  no_default_kubeconfig)
    assert refused.returncode != 0
    assert "forbidden" in refused.stderr.lower(), refused.stderr

    created = run(language, "deployment_create", common + ["--context", "client-cert", name, namespace],
                  no_default_kubeconfig)
    assert created.returncode == 0, created.stderr
    assert client.resource("apps/v1", "deployments", namespace).get(name)["metadata"]["name"] == name

    missing = run(language, "configmap_list", common + ["--context", "no-such-context", namespace],
                  no_default_kubeconfig)
    assert missing.returncode != 0
    assert 'context "no-such-context" not found' in missing.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_master_flag_overrides_the_server_url(server, namespace, language, no_default_kubeconfig):
    port = unused_port()
    wrong = run(language, "configmap_list",
                ["--kubeconfig", server.kubeconfig, "--master", f"https://127.0.0.1:{port}", namespace],
                no_default_kubeconfig)
    assert wrong.returncode != 0
    assert f"127.0.0.1 port {port}" in wrong.stderr or f"127.0.0.1:{port}" in wrong.stderr, wrong.stderr

    # Also over $KUBECONFIG: the environment names the right server, the flag a wrong one.
    env = dict(no_default_kubeconfig, KUBECONFIG=server.kubeconfig)
    wrong_over_env = run(language, "configmap_list", ["--master", f"https://127.0.0.1:{port}", namespace], env)
    assert wrong_over_env.returncode != 0
    assert str(port) in wrong_over_env.stderr, wrong_over_env.stderr

    right = run(language, "configmap_list", ["--kubeconfig", server.kubeconfig, "--master", server.url, namespace],
                no_default_kubeconfig)
    assert right.returncode == 0, right.stderr
