"""Issue 18: the stream examples — pod_logs (kubectl logs -f) and pod_exec (kubectl exec) — in
Python, C and Swift, run against the test server. The C ones run when built (make -C
examples/c), the Swift ones when built (swift build --product NAME). port_forward is run in
test_streams_portforward.py, whose server has a port-forward target."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from streams_support import INTERRUPTED, LANGUAGES, append_log, create_pod, example

ROOT = Path(__file__).resolve().parents[3]




def run(command: List[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, **kwargs)


@pytest.fixture
def talker(client, namespace) -> str:
    create_pod(client, namespace, "talker")
    append_log(client, namespace, "talker", "first", "second")
    return "talker"


@pytest.mark.parametrize("language", LANGUAGES)
def test_pod_logs_prints_the_log(server, namespace, talker, language):
    result = run(example("pod_logs", "--kubeconfig", server.kubeconfig, "-n", namespace, talker, language=language))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "first\nsecond\n"
    tail = run(example("pod_logs", "--kubeconfig", server.kubeconfig, "-n", namespace, "--tail", "1", talker,
                       language=language))
    assert tail.stdout == "second\n"


@pytest.mark.parametrize("language", LANGUAGES)
def test_pod_logs_follows_until_ctrl_c(server, client, namespace, talker, language):
    child = subprocess.Popen(example("pod_logs", "--kubeconfig", server.kubeconfig, "-n", namespace, "-f", talker, language=language),
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "first\n"
        assert child.stdout.readline() == "second\n"
        append_log(client, namespace, talker, "third")
        assert child.stdout.readline() == "third\n"
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=20) in INTERRUPTED
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


@pytest.mark.parametrize("language", LANGUAGES)
def test_pod_logs_reports_a_missing_pod(server, namespace, language):
    result = run(example("pod_logs", "--kubeconfig", server.kubeconfig, "-n", namespace, "nowhere", language=language))
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "nowhere" in result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_pod_exec_prints_the_output_and_exits_with_the_commands_status(server, client, namespace, language):
    create_pod(client, namespace, "box")
    common = ["--kubeconfig", server.kubeconfig, "-n", namespace, "box", "--"]
    echoed = run(example("pod_exec", *common, "echo", "hello", "world", language=language))
    assert (echoed.returncode, echoed.stdout) == (0, "hello world\n"), echoed.stderr
    failed = run(example("pod_exec", *common, "sh", "-c", "exit 3", language=language))
    assert failed.returncode == 3, failed.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_pod_exec_with_i_passes_stdin(server, client, namespace, language):
    create_pod(client, namespace, "box")
    result = run(example("pod_exec", "--kubeconfig", server.kubeconfig, "-n", namespace, "-i", "box", "--", "cat",
                         language=language),
                 input="one\ntwo\n")
    assert (result.returncode, result.stdout) == (0, "one\ntwo\n"), result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_pod_exec_reports_a_missing_pod(server, namespace, language):
    result = run(example("pod_exec", "--kubeconfig", server.kubeconfig, "-n", namespace, "nowhere", "--", "echo",
                         language=language),
                 env=dict(os.environ))
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
