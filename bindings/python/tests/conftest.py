"""Fixtures: one kubeclient-testserver per test session, and a client per test."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Iterator

import sys

import pytest

# Runs from a checkout without `pip install -e bindings/python`.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import kubeclient  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]

# A shell without job control starts background commands with SIGINT ignored, and Python then
# installs no KeyboardInterrupt handler: the Ctrl-C tests would send signals nobody sees. Catch
# it here as an interactive Python does; children then start with the default action (exec
# resets caught signals, but keeps ignored ones ignored).
signal.signal(signal.SIGINT, signal.default_int_handler)


def _server_binary() -> str:
    override = os.environ.get("KUBECLIENT_TESTSERVER")
    if override:
        return override
    for folder in (".build/debug", ".build/release"):
        candidate = ROOT / folder / "kubeclient-testserver"
        if candidate.is_file():
            return str(candidate)
    subprocess.run(["swift", "build", "--product", "kubeclient-testserver"], cwd=ROOT, check=True)
    return str(ROOT / ".build/debug/kubeclient-testserver")


class TestServer:
    def __init__(self, url: str, kubeconfig: str) -> None:
        self.url = url
        self.kubeconfig = kubeconfig


@pytest.fixture(scope="session")
def server() -> Iterator[TestServer]:
    folder = tempfile.mkdtemp(prefix="kubeclient-pytest-")
    kubeconfig = os.path.join(folder, "kubeconfig")
    process = subprocess.Popen([_server_binary(), "--port", "0", "--kubeconfig-out", kubeconfig],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http"):
            raise RuntimeError(f"kubeclient-testserver did not start (first line: {url!r})")
        yield TestServer(url, kubeconfig)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def client(server: TestServer) -> Iterator[kubeclient.Client]:
    with kubeclient.Client(kubeclient.Config.load(server.kubeconfig)) as c:
        yield c


@pytest.fixture
def namespace(client: kubeclient.Client) -> Iterator[str]:
    """A fresh namespace per test."""
    name = "py-" + uuid.uuid4().hex[:8]
    client.resource("v1", "namespaces").create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    yield name
